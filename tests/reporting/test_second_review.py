"""Issue #10, second review: what the documents, their readiness and the ways of asking for
them still said that the record does not (reporter block, dates, titles, domains, the
publication item, names and languages of what is served, findings)."""

from io import StringIO

import pytest
from django.core.management import call_command

from incidents.choices import IncidentStatus, PublicationStatus
from reporting import rendering, services
from reporting.models import Report
from reporting.readiness import readiness as check
from reporting.snapshot import build_snapshot

from ..conftest import jst
from ..helpers import api_client, login
from .conftest import pdf_text, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_incident, member):
    """Under investigation, with the overview recorded in both languages."""
    return make_incident(
        user=member,
        members=[member],
        title="テスト事案",
        summary="業務用パソコン1台がマルウェアに感染しました。",
        summary_en="One office computer was infected with malware.",
        occurred_at=jst(2022, 2, 1, 9),
        detected_at=jst(2022, 2, 3, 10),
        aware_at=jst(2022, 2, 3, 10),
        publication_status=PublicationStatus.NOT_DECIDED,
    )


# L6 ---------------------------------------------------------------------------------------


def test_the_command_names_an_interim_public_report_as_the_document_does(
    case, media_root, django_capture_on_commit_callbacks
):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=False):
        call_command(
            "generate_report",
            case.reference,
            kind="public-final",
            lang="ja",
            date="2022-02-10",
            allow_gaps=True,
            stdout=out,
        )
    assert case.status != IncidentStatus.CLOSED
    said = out.getvalue()
    assert "中間報告" in said and "最終報告" not in said, said
    # Once the record says the investigation is over, it is the final report.
    report = Report.objects.get()
    report.snapshot["incident"]["status"] = IncidentStatus.CLOSED
    assert "最終報告" in str(report)


def test_the_english_mail_text_is_served_as_english(
    case, member, media_root, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(
            case, "individual-notice", "en", member, document_date="2022-02-10", allow_gaps=True
        )
    api = api_client(member, "ja")
    served = api.get(f"/api/v1/reports/{report.pk}/text/")
    assert served.status_code == 200 and "What happened" in served.content.decode()
    assert served["Content-Language"] == "en"
    login(client, member, "ja")
    admin = client.get(f"/admin/reporting/report/{report.pk}/text/")
    assert admin.status_code == 200 and admin["Content-Language"] == "en"


# L2 ---------------------------------------------------------------------------------------


def test_without_awareness_a_document_is_not_dated_before_discovery_or_occurrence(
    make_incident, member, english
):
    api = api_client(member, "en")

    def ask(incident, day):
        return api.get(
            f"/api/v1/incidents/{incident.pk}/readiness/",
            {"kind": "ppc-preliminary", "language": "ja", "date": day},
        )

    discovered = make_incident(
        user=member, members=[member], occurred_at=jst(2022, 1, 20), detected_at=jst(2022, 2, 3)
    )
    assert discovered.aware_at is None
    refused = ask(discovered, "2022-02-02")
    assert refused.status_code == 400
    assert "discovered on 2022-02-03" in str(refused.json()["error"]["fields"]["date"])
    assert ask(discovered, "2022-02-03").status_code == 200
    occurred = make_incident(user=member, members=[member], occurred_at=jst(2022, 1, 20))
    refused = ask(occurred, "2022-01-19")
    assert refused.status_code == 400
    assert "occurred on 2022-01-20" in str(refused.json()["error"]["fields"]["date"])
    assert ask(occurred, "2022-01-20").status_code == 200
    # Nothing recorded in time: any past day will do.
    unknown = make_incident(user=member, members=[member])
    assert ask(unknown, "2010-01-01").status_code == 200


# L5 ---------------------------------------------------------------------------------------


def test_an_undecided_publication_reads_the_same_in_readiness_and_in_the_preliminary(case):
    snapshot = build_snapshot(case)
    publication = [
        gap for gap in check("ppc-preliminary", "ja", snapshot).gaps if gap.item == "publication"
    ]
    assert [(gap.state, gap.detail) for gap in publication] == [
        ("provisional", "まだ決まっていません。報告書には「未定」と記載されます。")
    ]
    text = squeeze(pdf_text(rendering.render_pdf("ppc-preliminary", "ja", snapshot).content))
    assert "7公表の実施状況未定" in text
    # A 確報 has no "not decided": the item is missing, and printed as the gap it is.
    final = [g for g in check("ppc-final", "ja", snapshot).gaps if g.item == "publication"]
    assert [g.state for g in final] == ["missing"]
    text = squeeze(pdf_text(rendering.render_pdf("ppc-final", "ja", snapshot).content))
    assert "7公表の実施状況追って報告" in text


# M4 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["ppc-final", "ppc-preliminary"])
def test_the_reporter_block_is_checked_and_printed_as_a_gap_in_the_documents_language(
    case, kind, english
):
    organization = case.organization
    organization.address_ja = "東京都千代田区霞が関1-1-1"
    organization.representative_title_ja = "代表取締役"
    organization.representative_title_en = "Representative Director"
    organization.representative_name_ja = "山田太郎"
    organization.regulator_contact_name_ja = "総務部"
    organization.regulator_contact_name_en = "General Affairs"
    organization.regulator_contact_email = "privacy@example.com"
    organization.save()
    snapshot = build_snapshot(case)
    state = "missing" if kind == "ppc-final" else "provisional"

    def reporter(language):
        return [
            (g.state, g.label, g.detail)
            for g in check(kind, language, snapshot).gaps
            if g.item in ("reporter", "contact")
        ]

    assert reporter("ja") == []
    assert reporter("en") == [
        (state, "Reporter", "The organization's address."),
        (state, "Reporter", "The name of the organization's representative."),
    ]
    ja = squeeze(pdf_text(rendering.render_pdf(kind, "ja", snapshot).content))
    assert "テスト株式会社" in ja and "東京都千代田区霞が関1-1-1代表者代表取締役山田太郎" in ja
    en = squeeze(pdf_text(rendering.render_pdf(kind, "en", snapshot).content))
    # The Japanese address and name are never printed in English: the gaps say so instead.
    assert "霞が関" not in en and "山田" not in en
    assert "TestK.K.Tobereportedlater" in en, en
    assert "RepresentativeRepresentativeDirectorTobereportedlater" in en, en


# L3 ---------------------------------------------------------------------------------------


def test_an_english_document_without_an_english_title_says_it_is_missing(case):
    assert case.title_ja and not case.title_en
    snapshot = build_snapshot(case)
    for kind in ("public-notice", "public-final"):
        assert ("title", "missing") in {(g.item, g.state) for g in check(kind, "en", snapshot).gaps}
    interim = pdf_text(rendering.render_pdf("public-final", "en", snapshot).content)
    # The company's own title is not under investigation: it is to follow.
    assert "Subject: We will let you know as soon as we can." in interim
    notice = pdf_text(rendering.render_pdf("public-notice", "en", snapshot).content)
    assert notice.split("Important notice", 1)[1].split()[:3] == ["We", "will", "let"]
    assert "テスト事案" not in interim + notice


# L4 ---------------------------------------------------------------------------------------


def test_a_domain_among_our_senders_is_called_a_domain(founding):
    snapshot = build_snapshot(founding)
    assert "d1-seihan-p.example" in [
        s["address"] for s in snapshot["organization"]["sender_addresses"]
    ]
    said = {
        "ja": "弊社では、下記のメールアドレス及びドメインを利用しております。",
        "en": "We send e-mail only from the following addresses and domains.",
    }
    for language, sentence in said.items():
        for kind in ("public-notice", "public-final", "individual-notice"):
            text = squeeze(pdf_text(rendering.render_pdf(kind, language, snapshot).content))
            assert squeeze(sentence) in text, (kind, language)
        mail = rendering.render_text("individual-notice", language, snapshot)
        assert sentence.rstrip("。.") + ("。" if language == "ja" else ":") in mail
    # Addresses only: they are called addresses.
    snapshot["organization"]["sender_addresses"] = [
        s for s in snapshot["organization"]["sender_addresses"] if "@" in s["address"]
    ]
    text = squeeze(pdf_text(rendering.render_pdf("public-final", "en", snapshot).content))
    assert "fromthefollowingaddresses." in text and "anddomains" not in text
    assert "domain" not in rendering.render_text("individual-notice", "en", snapshot)


# L7 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["public-final", "ppc-final"])
def test_findings_name_each_investigation_once_beside_its_result(founding, kind):
    snapshot = build_snapshot(founding)
    lines = [
        " ".join(line.split())
        for line in pdf_text(rendering.render_pdf(kind, "en", snapshot).content).splitlines()
    ]
    assert "Reported on Investigation Result" in lines
    # One row per finding: the date, the investigation named once, its result or "—".
    assert "April 19, 2022 Internal network investigation —" in lines
    forensics = next(line for line in lines if line.startswith("May 18, 2022 Device forensic"))
    assert forensics.count("Device forensic investigation") == 1
    assert forensics.endswith("Confirmed that the mail data stored on the device")
    ja = squeeze(pdf_text(rendering.render_pdf(kind, "ja", snapshot).content))
    assert "報告日調査結果" in ja
    assert "令和4年5月18日端末フォレンジック調査当該端末に保存されていた" in ja
