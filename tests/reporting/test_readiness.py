"""Readiness before rendering: what a document lacks, through the API, the command and the
admin; the 確報 refused with gaps unless allowed, and what it then prints."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from incidents.choices import IncidentStatus, PPCItem
from incidents.models import Incident, UnresolvedItem
from reporting import rendering
from reporting.choices import ReportKind
from reporting.models import Report
from reporting.readiness import readiness as check
from reporting.snapshot import build_snapshot

from ..helpers import api_client
from .conftest import half_recorded, pdf_text, squeeze

pytestmark = pytest.mark.django_db

# What the half-recorded case below lacks for a 確報, exactly: (item, state).
HALF_RECORDED_FINAL_JA = {
    ("reporter", "missing"),  # the organization's address and representative
    ("contact", "missing"),
    (PPCItem.PEOPLE, "missing"),
    (PPCItem.CAUSE, "missing"),
    (PPCItem.SECONDARY_DAMAGE, "missing"),
    (PPCItem.RESPONSE_TO_AFFECTED, "missing"),
    (PPCItem.PUBLICATION, "missing"),
    (PPCItem.MEASURES, "missing"),
    (PPCItem.OTHER, "missing"),  # no investigation recorded
    ("status", "provisional"),  # still under investigation: its own line, not a second "other"
}


@pytest.fixture
def half(make_incident, member):
    """Overview, data items and containment recorded; nothing from the cause on."""
    return half_recorded(make_incident, member)


@pytest.fixture
def member_api(member):
    return api_client(member)


def render(kind: str, snapshot: dict) -> bytes:
    return rendering.render_pdf(kind, "ja", snapshot).content


def readiness(client, incident, kind="ppc-final", language="ja", **extra):
    return client.get(
        f"/api/v1/incidents/{incident.pk}/readiness/",
        {"kind": kind, "language": language, **extra},
    )


def gaps(response) -> set[tuple[str, str]]:
    return {(item["item"], item["state"]) for item in response.json()["items"]}


def test_api_lists_exactly_what_a_half_recorded_case_lacks(member_api, half):
    response = readiness(member_api, half)
    assert response.status_code == 200
    assert response.json()["ready"] is False
    assert gaps(response) == HALF_RECORDED_FINAL_JA
    # The 速報 may say 調査中: the same gaps are provisional there, only the contact too.
    preliminary = readiness(member_api, half, kind="ppc-preliminary")
    assert preliminary.json()["ready"] is True
    assert {state for _item, state in gaps(preliminary)} == {"provisional"}


def test_an_item_unknown_after_the_investigation_needs_its_reason_in_the_language(member_api, half):
    UnresolvedItem.objects.create(
        incident=half, item=PPCItem.PEOPLE, reason_ja="送受信先の範囲を特定できないため"
    )
    ja = readiness(member_api, half)
    assert (PPCItem.PEOPLE, "unresolved") in gaps(ja)
    assert (PPCItem.PEOPLE, "missing") not in gaps(ja)
    # In English the reason is not recorded: it counts as missing.
    en = readiness(member_api, half, language="en")
    assert (PPCItem.PEOPLE, "missing") in gaps(en)


def test_a_narrative_recorded_in_the_other_language_only_is_missing(half, english):
    snapshot = build_snapshot(half)
    snapshot["incident"].update({"cause_ja": "", "cause_en": "Malware infection."})
    result = check(ReportKind.PPC_FINAL, "ja", snapshot)
    cause = [g for g in result.gaps if g.item == PPCItem.CAUSE]
    assert [(g.state, g.detail) for g in cause] == [
        ("missing", "Recorded only in English; the document needs it in Japanese.")
    ]
    assert not [g for g in check(ReportKind.PPC_FINAL, "en", snapshot).gaps if g.item == "cause"]


def test_hidden_and_missing_incidents_answer_alike_and_bad_input_is_400(
    member_api, half, make_user, english
):
    outsider = api_client(make_user("outsider", role="legal"))
    assert readiness(outsider, half).status_code == 404
    assert (
        member_api.get("/api/v1/incidents/999999/readiness/?kind=ppc-final&language=ja").status_code
        == 404
    )
    bad = readiness(member_api, half, kind="ppc-draft")
    assert bad.status_code == 400 and "kind" in bad.json()["error"]["fields"]
    only_en = readiness(member_api, half, kind="gdpr-art33", language="ja")
    assert only_en.status_code == 400 and "language" in only_en.json()["error"]["fields"]
    far = readiness(member_api, half, date="2222-01-01")
    assert far.status_code == 400 and "date" in far.json()["error"]["fields"]


def test_readiness_is_in_the_openapi_schema(member_api):
    schema = member_api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/incidents/{id}/readiness/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"kind", "language", "date"}
    assert "/api/v1/reports/{id}/sent/" in schema["paths"]


def test_command_check_lists_gaps_and_fails(half, english):
    out = StringIO()
    with pytest.raises(CommandError, match="Not ready: 10 item"):
        call_command(
            "generate_report", half.reference, kind="ppc-final", lang="ja", check=True, stdout=out
        )
    lines = {tuple(line.split("\t")[:2]) for line in out.getvalue().splitlines() if "\t" in line}
    assert lines == {(state_item[1], state_item[0]) for state_item in HALF_RECORDED_FINAL_JA}
    ready = StringIO()
    call_command(
        "generate_report",
        half.reference,
        kind="ppc-preliminary",
        lang="ja",
        check=True,
        stdout=ready,
    )
    assert "Ready: ppc-preliminary (ja)." in ready.getvalue()
    typed = StringIO()  # the reference as typed, in small letters
    call_command(
        "generate_report",
        f" {half.reference.lower()}",
        kind="ppc-preliminary",
        lang="ja",
        check=True,
        stdout=typed,
    )
    assert "Ready: ppc-preliminary (ja)." in typed.getvalue()
    with pytest.raises(CommandError, match="--date"):
        call_command(
            "generate_report", half.reference, kind="ppc-final", lang="ja", date="2022-13-01"
        )


def test_final_report_with_gaps_is_refused_without_override(
    member_api, half, media_root, django_capture_on_commit_callbacks, english
):
    body = {"incident": half.pk, "kind": "ppc-final", "language": "ja", "date": "2022-03-04"}
    member_api.cookies["django_language"] = "en"
    refused = member_api.post("/api/v1/reports/", body, format="json")
    assert refused.status_code == 400
    assert "not ready" in refused.json()["error"]["message"]
    assert not Report.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = member_api.post("/api/v1/reports/", {**body, "allow_gaps": True}, format="json")
    assert accepted.status_code == 202
    report = Report.objects.get()
    assert report.allow_gaps and str(report.document_date) == "2022-03-04"
    text = squeeze(pdf_text(report.file.read()))
    assert "確報" in text and "追って報告" in text and "調査中" not in text
    assert "令和4年3月4日" in text


def test_final_report_states_an_unresolved_item_with_its_reason(
    half, media_root, django_capture_on_commit_callbacks
):
    UnresolvedItem.objects.create(
        incident=half,
        item=PPCItem.PEOPLE,
        reason_ja="送受信先の範囲を特定できないため",
        reason_en="the range of correspondents cannot be established",
    )
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "generate_report",
            half.reference,
            kind="ppc-final",
            lang="ja",
            allow_gaps=True,
            stdout=out,
        )
    text = squeeze(pdf_text(Report.objects.get().file.read()))
    assert "特定できず:送受信先の範囲を特定できないため" in text
    assert "調査中" not in text


def test_admin_shows_readiness_and_hides_it_from_outsiders(half, member, make_user, client):
    client.force_login(member)
    page = client.get(
        f"/admin/incidents/incident/{half.pk}/readiness/", {"kind": "ppc-final", "language": "ja"}
    )
    assert page.status_code == 200
    body = page.content.decode()
    # One row per gap: the reporter's address and its representative are two.
    rows = len(HALF_RECORDED_FINAL_JA) + 1
    assert 'id="readiness"' in body and body.count("<tr><td>") == rows
    # Each document's readiness is on the incident page's reports tab.
    change = client.get(
        f"/admin/incidents/incident/{half.pk}/change/", {"tab": "reports"}
    ).content.decode()
    assert f"/admin/incidents/incident/{half.pk}/readiness/?kind=ppc-final" in change
    client.force_login(make_user("stranger", role="legal"))
    assert (
        client.get(
            f"/admin/incidents/incident/{half.pk}/readiness/",
            {"kind": "ppc-final", "language": "ja"},
        ).status_code
        == 404
    )


def test_closed_case_is_not_provisional(member_api, half):
    Incident.objects.filter(pk=half.pk).update(status=IncidentStatus.CLOSED)
    assert ("status", "provisional") not in gaps(readiness(member_api, half))


def test_article7_is_never_none_while_a_deciding_fact_is_unknown(member_api, half, english):
    """なし claims that no case of Rules Art. 7 holds; while a fact that decides one is
    unknown, the report names that case with 調査中 / 追って報告 and readiness lists it,
    also beside a case that holds."""
    Incident.objects.filter(pk=half.pk).update(
        wrongful_purpose=None,
        financial_damage_risk=None,
        sensitive_data=False,
        over_1000_people=None,
    )
    snapshot = build_snapshot(half)
    row = squeeze(pdf_text(render("ppc-preliminary", snapshot))).split("規則第7条各号該当性")[1]
    assert row.startswith(
        "不正に利用されることにより財産的被害が生じるおそれがある漏えい等(規則第7条第2号):調査中"
    )
    assert "(規則第7条第3号):調査中" in row and "(規則第7条第4号):調査中" in row
    assert not row.startswith("なし")
    final = squeeze(pdf_text(render("ppc-final", snapshot))).split("規則第7条各号該当性")[1]
    assert "(規則第7条第2号):追って報告" in final
    # Each under the item its deciding fact belongs to (2: secondary damage, 3: cause,
    # 4: people), whose recorded reason, if any, is the one the report prints for it.
    art7 = [g.item for g in check("ppc-final", "ja", snapshot).gaps if "Rules Art. 7" in g.detail]
    assert sorted(art7) == sorted([PPCItem.SECONDARY_DAMAGE, PPCItem.CAUSE, PPCItem.PEOPLE])
    # A case holds and another's fact is unknown: both are said.
    Incident.objects.filter(pk=half.pk).update(wrongful_purpose=True, financial_damage_risk=False)
    holding = squeeze(pdf_text(render("ppc-final", build_snapshot(half))))
    row = holding.split("規則第7条各号該当性")[1]
    assert row.startswith("•不正の目的をもって行われたおそれがある漏えい等(規則第7条第3号)")
    assert "(規則第7条第4号):追って報告" in row
    # Every fact known and none holds: なし, and nothing to list.
    Incident.objects.filter(pk=half.pk).update(wrongful_purpose=False, over_1000_people=False)
    known = build_snapshot(half)
    assert (
        squeeze(pdf_text(render("ppc-final", known)))
        .split("規則第7条各号該当性")[1]
        .startswith("なし")
    )
    assert not any("Art. 7" in g.detail for g in check("ppc-final", "ja", known).gaps)


def test_public_documents_see_what_was_done_for_the_people_affected(member_api, half):
    """Recorded in both languages, it is not listed as missing (it was, for every public
    document and the notice to the people, whatever the record said)."""
    for kind in ("public-final", "individual-notice"):
        assert ("support_for_affected", "missing") in gaps(readiness(member_api, half, kind=kind))
    Incident.objects.filter(pk=half.pk).update(
        support_for_affected_ja="お詫びの連絡をした。", support_for_affected_en="We apologised."
    )
    for kind in ("public-final", "individual-notice"):
        for language in ("ja", "en"):
            result = gaps(readiness(member_api, half, kind=kind, language=language))
            assert ("support_for_affected", "missing") not in result, (kind, language)


def test_a_document_is_dated_neither_in_the_future_nor_before_awareness(
    member_api, half, english, django_capture_on_commit_callbacks
):
    body = {"incident": half.pk, "kind": "ppc-preliminary", "language": "ja"}
    future = member_api.post("/api/v1/reports/", {**body, "date": "2099-01-01"}, format="json")
    assert future.status_code == 400 and "今日(" in str(future.json()["error"]["fields"]["date"])
    before = member_api.post("/api/v1/reports/", {**body, "date": "2022-02-02"}, format="json")
    assert before.status_code == 400
    assert "事態を知った日時は2022-02-03" in str(before.json()["error"]["fields"]["date"])
    assert readiness(member_api, half, date="2099-01-01").status_code == 400
    with pytest.raises(CommandError, match="--date: 文書の日付に今日"):
        call_command(
            "generate_report", half.reference, kind="ppc-final", lang="ja", date="2099-12-31"
        )
    assert not Report.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        # The day of awareness is a date it may bear (the case, recorded today, needs gaps
        # allowed for a document of 2022: its narratives are as they read now).
        aware_day = member_api.post(
            "/api/v1/reports/", {**body, "date": "2022-02-03", "allow_gaps": True}, format="json"
        )
    assert aware_day.status_code == 202


@pytest.mark.parametrize("kind", ["public-notice", "public-final", "individual-notice"])
def test_every_document_with_missing_items_is_refused_unless_allowed(
    half, kind, media_root, django_capture_on_commit_callbacks
):
    """A public notice whose title, summary and cause exist only in Japanese would print an
    empty subject and 'Under investigation' in English: refused, like a 確報 with gaps."""
    from reporting import services

    with pytest.raises(services.NotReady):
        services.request_report(half, kind, "en", None)
    assert not Report.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(half, kind, "en", None, allow_gaps=True)
    assert report.allow_gaps


def test_a_misspelt_option_is_refused_not_ignored(member_api, half):
    """document_date (the response's name) used to be ignored: the document was dated today."""
    response = member_api.post(
        "/api/v1/reports/",
        {
            "incident": half.pk,
            "kind": "ppc-preliminary",
            "language": "ja",
            "document_date": "2022-03-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "document_date" in response.json()["error"]["fields"]
    assert not Report.objects.exists()


def test_with_gaps_allowed_a_public_text_claims_no_request_or_contact_it_lacks(half):
    """No request recorded and nothing showing mail was abused: no general warning about
    spoofed mail, no list of the company's addresses; no reachable contact: a gap, and
    no "contact us as above"."""
    from reporting import rendering

    Incident.objects.filter(pk=half.pk).update(
        organization=half.organization, request_to_customers_ja=""
    )
    half.organization.public_contact_name_ja = "広報部"
    half.organization.save()
    snapshot = build_snapshot(half)
    for kind in ("public-notice", "individual-notice"):
        text = squeeze(pdf_text(rendering.render_pdf(kind, "ja", snapshot).content))
        assert "不審なメール" not in text and "装った" not in text, kind
        assert "広報部追ってお知らせいたします。" in text, kind
        assert "追って報告" not in text, kind  # the regulator's words, not the reader's
        assert "上記のお問い合わせ先までご連絡ください" not in text, kind
    mail = rendering.render_text("individual-notice", "ja", snapshot)
    assert "不審なメール" not in mail and "広報部\n追ってお知らせいたします。" in mail


def test_admin_readiness_page_checks_a_document_as_of_a_date(half, member, client):
    """The page's own form: a document and the date it would bear; the gaps as of that day,
    and a date out of range is said beside the form."""
    client.force_login(member)
    url = f"/admin/incidents/incident/{half.pk}/readiness/"
    page = client.get(url, {"document": "ppc-final:ja", "date": ""}).content.decode()
    assert 'id="readiness"' in page and '<option value="ppc-final:ja" selected>' in page
    future = client.get(url, {"document": "ppc-final:ja", "date": "2999-01-01"}).content.decode()
    assert "errornote" in future and 'id="readiness"' not in future
    assert 'value="2999-01-01"' in future


def test_ppc_readiness_lists_the_items_in_the_forms_order(member_api, half):
    """Who reports, then the nine items of Rules Art. 8(1) in their order, an item's facts
    together (not the overview three times, spread apart)."""
    from incidents.choices import PPCItem
    from reporting.readiness import PPC_ORDER

    items = [gap["item"] for gap in readiness(member_api, half).json()["items"]]
    ranks = [PPC_ORDER.get(item, len(PPC_ORDER)) for item in items]
    assert ranks == sorted(ranks), items
    assert items.count("reporter") > 1 and PPCItem.CAUSE in items  # an item's facts together
