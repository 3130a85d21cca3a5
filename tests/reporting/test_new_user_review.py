"""Issue #10, new-user review: a document of another regime, back-dated unresolved items,
a notice sent before its date, readiness's query and output, the command's messages."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from incidents.models import Incident
from reporting.models import Report

from ..helpers import api_client, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def appi_only(make_incident, member):
    from ..conftest import jst

    return make_incident(
        user=member,
        members=[member],
        summary="業務用パソコン1台がマルウェアに感染した。",
        occurred_at=jst(2022, 2, 1, 9),
        detected_at=jst(2022, 2, 3, 10),
        aware_at=jst(2022, 2, 3, 10),
    )


# 1. A document of another regime ------------------------------------------------------------


def test_no_gdpr_notification_for_an_appi_only_case_through_any_door(
    appi_only, member, client, english
):
    assert appi_only.regimes == ["appi"]
    api = api_client(member, "en")
    asked = api.post(
        "/api/v1/reports/",
        {"incident": appi_only.pk, "kind": "gdpr-art33", "language": "en", "allow_gaps": True},
        format="json",
    )
    assert asked.status_code == 400, asked.content
    assert "not a document of this incident's regimes" in asked.json()["error"]["fields"]["kind"][0]
    checked = api.get(
        f"/api/v1/incidents/{appi_only.pk}/readiness/", {"kind": "gdpr-art33", "language": "en"}
    )
    assert checked.status_code == 400
    refused = checked.json()["error"]["fields"]["kind"][0]
    assert "not a document of this incident's regimes" in refused
    for options in ({"allow_gaps": True}, {"check": True}):
        with pytest.raises(CommandError, match="--kind: .*not a document of this incident's"):
            call_command(
                "generate_report", appi_only.reference, kind="gdpr-art33", lang="en", **options
            )
    login(client, member, "en")
    member.user_permissions.add(*_perms("add_report", "view_report"))
    page = client.post(
        "/admin/incidents/incident/",
        {
            "action": "generate_report",
            "_selected_action": [appi_only.pk],
            "report_kind": "gdpr-art33",
            "report_language": "en",
            "allow_gaps": "on",
        },
        follow=True,
    )
    assert "not a document of this incident&#x27;s regimes" in page.content.decode()
    assert not Report.objects.exists()
    # The PPC's documents still are its documents.
    ok = api.get(
        f"/api/v1/incidents/{appi_only.pk}/readiness/", {"kind": "ppc-final", "language": "en"}
    )
    assert ok.status_code == 200
    # Once the case is under the GDPR too, Art. 33 is one of its documents.
    Incident.objects.filter(pk=appi_only.pk).update(regimes=["appi", "gdpr"])
    assert (
        api.get(
            f"/api/v1/incidents/{appi_only.pk}/readiness/",
            {"kind": "gdpr-art33", "language": "en"},
        ).status_code
        == 200
    )


def _perms(*codenames, app="reporting"):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label=app, codename__in=codenames)


# 2. When an item was determined to stay unknown ---------------------------------------------


def test_an_unresolved_item_back_filled_counts_from_when_it_was_determined(appi_only, member):
    from incidents.choices import IncidentStatus, PPCItem
    from incidents.models import UnresolvedItem

    from ..conftest import jst

    Incident.objects.filter(pk=appi_only.pk).update(status=IncidentStatus.RECOVERING)
    member.user_permissions.add(
        *_perms("add_unresolveditem", "change_unresolveditem", app="incidents")
    )
    api = api_client(member, "en")
    made = api.post(
        "/api/v1/unresolved-items/",
        {"incident": appi_only.pk, "item": PPCItem.PEOPLE, "reason_en": "Logs were overwritten."},
        format="json",
    )
    assert made.status_code == 201, made.content
    url = f"/api/v1/unresolved-items/{made.json()['id']}/"

    def states(day: str) -> set[str]:
        answer = api.get(
            f"/api/v1/incidents/{appi_only.pk}/readiness/",
            {"kind": "ppc-final", "language": "en", "date": day},
        )
        assert answer.status_code == 200, answer.content
        return {i["state"] for i in answer.json()["items"] if i["item"] == PPCItem.PEOPLE}

    # Recorded today: a document dated in 2022 does not know of it yet.
    assert states("2022-03-10") == {"missing"}
    # recorded_at is the system's: sent, it is refused, not dropped without a word.
    refused = api.patch(url, {"recorded_at": "2022-03-01T10:00:00+09:00"}, format="json")
    assert refused.status_code == 400
    assert "determined_at" in refused.json()["error"]["fields"]["recorded_at"][0]
    # When it was determined is the user's to give when back-filling.
    moved = api.patch(url, {"determined_at": "2022-03-01T10:00"}, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["determined_at"].startswith("2022-03-01T10:00:00+09:00")
    assert states("2022-03-10") == {"unresolved"}
    assert states("2022-02-20") == {"missing"}  # dated before it was determined
    # Neither in the future nor before the organization knew of the incident.
    for when in ("2999-01-01T10:00:00+09:00", "2022-02-03T09:00:00+09:00"):
        bad = api.patch(url, {"determined_at": when}, format="json")
        assert bad.status_code == 400, when
        assert list(bad.json()["error"]["fields"]) == ["determined_at"]
    item = UnresolvedItem.objects.get()
    assert item.determined_at == jst(2022, 3, 1, 10)
    # Its history keeps each value it had.
    assert jst(2022, 3, 1, 10) in {h.determined_at for h in item.history.all()}


def test_the_admin_sets_when_an_unresolved_item_was_determined(appi_only, admin_client):
    from incidents.choices import PPCItem
    from incidents.models import UnresolvedItem

    from ..conftest import jst

    admin_client.cookies["django_language"] = "en"
    data = {
        "incident": appi_only.pk,
        "item": PPCItem.CAUSE,
        "reason_ja": "",
        "reason_en": "Logs were overwritten.",
        "determined_at_0": "2022-01-01",
        "determined_at_1": "10:00",
    }
    page = admin_client.post("/admin/incidents/unresolveditem/add/", data)
    assert page.status_code == 200
    assert "cannot be determined earlier" in page.content.decode()
    assert not UnresolvedItem.objects.exists()
    data["determined_at_0"] = "2022-03-01"
    saved = admin_client.post("/admin/incidents/unresolveditem/add/", data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert UnresolvedItem.objects.get().determined_at == jst(2022, 3, 1, 10)


# 4. Readiness's query and answer ------------------------------------------------------------


def test_readiness_refuses_an_unknown_parameter_and_says_its_date(appi_only, member, english):
    api = api_client(member, "en")
    url = f"/api/v1/incidents/{appi_only.pk}/readiness/"
    misspelt = api.get(url, {"kind": "ppc-final", "language": "ja", "document_date": "2022-03-01"})
    assert misspelt.status_code == 400
    assert list(misspelt.json()["error"]["fields"]) == ["document_date"]
    assert "Unknown parameter" in misspelt.json()["error"]["fields"]["document_date"][0]
    dated = api.get(url, {"kind": "ppc-final", "language": "ja", "date": "2022-03-01"})
    assert dated.status_code == 200 and dated.json()["date"] == "2022-03-01"
    today = api.get(url, {"kind": "ppc-final", "language": "ja", "format": "json"})
    assert today.status_code == 200
    assert today.json()["date"] == appi_only.today().isoformat()
    # Two documents named at once: refused, not the last one checked silently.
    twice = api.get(f"{url}?kind=ppc-final&language=ja&kind=public-final")
    assert twice.status_code == 400
    assert twice.json()["error"]["fields"]["kind"] == ["Give this parameter once."]


# 5. What the command prints -----------------------------------------------------------------


def test_generating_logs_nothing_beside_the_commands_own_output(
    appi_only, media_root, django_capture_on_commit_callbacks, caplog
):
    import logging

    out, err = StringIO(), StringIO()
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        call_command(
            "generate_report",
            appi_only.reference,
            kind="ppc-preliminary",
            lang="ja",
            date="2022-03-01",
            allow_gaps=True,
            stdout=out,
            stderr=err,
        )
    assert Report.objects.get().status == "ready"
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert not [m for m in said if "hostname" in m or "succeeded" in m], said
    # On stderr only the gaps --allow-gaps let through (a line saying so, then one a gap).
    lines = err.getvalue().splitlines()
    assert lines and lines[0].startswith("不足している")
    assert all(line.startswith("missing\t") for line in lines[1:]), lines


def test_the_admin_readiness_page_of_an_unknown_kind_asks_for_one(appi_only, member, client):
    """No document or an unknown one: the page's form with what to do, never the text typed."""
    login(client, member, "ja")
    url = f"/admin/incidents/incident/{appi_only.pk}/readiness/"
    for query in ({"kind": "bogus", "language": "ja"}, {"kind": "ppc-final", "language": "xx"}):
        page = client.get(url, query)
        body = page.content.decode().split('id="content-main"')[1]
        assert page.status_code == 200 and 'id="readiness-form"' in body
        assert "一覧の文書から選んでください。" in body and "bogus" not in body
        assert 'id="readiness"' not in body
    bare = client.get(url).content.decode()
    assert 'id="readiness-form"' in bare and "errornote" not in bare
    page = client.get(url, {"kind": "ppc-final", "language": "ja"})
    assert page.status_code == 200 and "bogus" not in page.content.decode()
    # A document of another regime: said so, not listed as if it were owed.
    other = client.get(url, {"kind": "gdpr-art33", "language": "en"}).content.decode()
    assert "適用される法令の文書ではありません" in other


def test_the_checks_lines_are_in_the_commands_language_and_say_each_thing_once(appi_only):
    import re

    Incident.objects.filter(pk=appi_only.pk).update(regimes=["appi", "gdpr"])
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "generate_report",
            appi_only.reference,
            kind="gdpr-art33",
            lang="en",
            check=True,
            stdout=out,
        )
    lines = [line.split("\t") for line in out.getvalue().splitlines() if "\t" in line]
    said = [text for _state, _item, text in lines]
    assert said and len(said) == len(set(said)), said
    # Labels and details in Japanese (the command's language), not the form's English.
    assert not [text for text in said if re.search(r"[A-Za-z]{3,}", text)], said
    phased = [text for state, item, text in lines if item == "phased"]
    assert len(phased) == 1 and "、原因、" in phased[0]
