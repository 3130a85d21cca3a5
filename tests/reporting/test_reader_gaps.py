"""Issue #10, a new user's review of the documents for the public and the people concerned:
a fact recorded as not determinable says so with its reason (not 調査中), and a text the
company writes itself (what it did for the people affected, what it asks of them) is to
follow, politely, never "under investigation"."""

import pytest
from django.utils import translation

from incidents.choices import PPCItem
from incidents.models import UnresolvedItem
from reporting import rendering
from reporting.readiness import readiness as check
from reporting.snapshot import build_snapshot

from ..conftest import jst
from .conftest import pdf_text, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_incident, member):
    """Secondary damage stayed unknown (with its reason); no support for the people affected
    and no request to them recorded; no sign of abused mail."""
    incident = make_incident(
        user=member,
        members=[member],
        title="業務用パソコンのマルウェア感染",
        title_en="Malware on a work computer",
        summary="業務用パソコン1台がマルウェアに感染した。",
        summary_en="A work computer was infected with malware.",
        cause="添付ファイルを開いたため。",
        cause_en="An attachment was opened.",
        occurred_at=jst(2022, 2, 1, 9),
        detected_at=jst(2022, 2, 3, 10),
        aware_at=jst(2022, 2, 3, 10),
        personal_data_items=["email_address"],
    )
    UnresolvedItem.objects.create(
        incident=incident,
        item=PPCItem.SECONDARY_DAMAGE,
        reason_ja="外部への送信記録が残っていないため",
        reason_en="no record of outbound traffic survives",
    )
    return incident


DOCUMENTS = [("public-notice", "ja"), ("public-final", "ja"), ("individual-notice", "ja")]


@pytest.mark.parametrize(("kind", "language"), [*DOCUMENTS, ("public-final", "en")])
def test_a_fact_not_determinable_says_so_with_its_reason(case, kind, language):
    snapshot = build_snapshot(case)
    text = squeeze(pdf_text(rendering.render_pdf(kind, language, snapshot).content))
    if language == "ja":
        said = "調査の結果、特定できませんでした（理由:外部への送信記録が残っていないため）。"
        assert said in text
    else:
        assert "Couldnotbedetermined:norecordofoutboundtrafficsurvives" in text
    # Readiness says the same of it: unresolved, with the reason, not under investigation.
    gaps = [g for g in check(kind, language, snapshot).gaps if g.item == "secondary_damage"]
    assert [g.state for g in gaps] == ["unresolved"], gaps


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_mail_text_of_the_notice_says_it_too(case, language):
    mail = rendering.render_text("individual-notice", language, build_snapshot(case))
    section = mail.split("4.")[1].split("5.")[0]
    if language == "ja":
        said = "調査の結果、特定できませんでした（理由: 外部への送信記録が残っていないため）。"
        assert said in section
    else:
        assert "Could not be determined: no record of outbound traffic survives" in section
    assert "調査中" not in section and "Under investigation" not in section


@pytest.mark.parametrize(("kind", "language"), [*DOCUMENTS, ("individual-notice", "en")])
def test_texts_the_company_writes_are_to_follow_not_under_investigation(case, kind, language):
    snapshot = build_snapshot(case)
    text = squeeze(pdf_text(rendering.render_pdf(kind, language, snapshot).content))
    if language == "ja":
        heading = "皆様へのお願い" if kind == "individual-notice" else "お客様へのお願い】"
        support = "弊社の対応" if kind == "individual-notice" else "影響を受けた方々への対応】"
        request = text.split(heading)[1][:40]
        assert request.startswith("追ってお知らせいたします。"), request
        if kind != "public-notice":
            assert text.split(support)[1].startswith("追ってお知らせいたします。")
    else:
        request = text.split("Whatyoucando")[1][:60]
        assert request.startswith("Wewillletyouknowassoonaswecan."), request
    # Still missing for readiness: the document cannot go out without them unless allowed.
    states = {(g.item, g.state) for g in check(kind, language, snapshot).gaps}
    assert ("request_to_customers", "missing") in states
    assert ("support_for_affected", "missing") in states or kind == "public-notice"
    mail = rendering.render_text("individual-notice", language, snapshot)
    assert "調査中" not in mail.split("5.")[1] and "Under investigation" not in mail.split("5.")[1]


def test_the_letter_is_signed_by_the_representative_or_says_the_gap(case):
    """The notice is signed by the organization and its representative in the letter's
    language. Without the representative's name it is signed by the organization alone (a
    letter is not signed "we will let you know"); readiness lists the name missing."""
    org = case.organization
    org.representative_title_ja, org.representative_name_ja = "代表取締役", ""
    org.name_en = ""
    org.save()
    snapshot = build_snapshot(case)
    letter = squeeze(pdf_text(rendering.render_pdf("individual-notice", "ja", snapshot).content))
    assert "テスト株式会社個人情報の漏えい等" in letter, letter[:200]
    assert "代表取締役" not in letter and "追ってお知らせいたします。個人情報" not in letter
    mail = rendering.render_text("individual-notice", "ja", snapshot)
    assert "テスト株式会社\n令和" in mail, mail[:200]
    assert "代表取締役" not in mail
    english = rendering.render_text("individual-notice", "en", snapshot)
    assert english.startswith("To the people concerned\n\nWe will let you know"), english[:80]
    with translation.override("en"):
        signed = [
            (g.state, g.detail)
            for language in ("ja", "en")
            for g in check("individual-notice", language, snapshot).gaps
            if g.item == "signatory"
        ]
    assert signed == [
        ("missing", "The name of the organization's representative."),
        ("missing", "The organization's name."),
        ("missing", "The name of the organization's representative."),
    ]
    org.representative_name_ja = "山田 太郎"
    org.save()
    snapshot = build_snapshot(case)
    letter = squeeze(pdf_text(rendering.render_pdf("individual-notice", "ja", snapshot).content))
    assert "テスト株式会社代表取締役山田太郎" in letter
    assert not [g for g in check("individual-notice", "ja", snapshot).gaps if g.item == "signatory"]


@pytest.mark.parametrize("kind", ["public-final", "ppc-final"])
def test_a_date_in_the_findings_table_is_never_broken(case, kind):
    from incidents.models import Engagement, Finding

    engagement = Engagement.objects.create(
        incident=case, vendor="株式会社調査", scope="端末", requested_at=jst(2026, 11, 10, 9)
    )
    Finding.objects.create(
        engagement=engagement,
        reported_at=jst(2026, 11, 18, 9),
        kind="network",
        summary="社内ネットワークの通信記録と各端末のログについての詳細な調査の結果",
        conclusion="他の端末への感染及び外部への不審な通信は確認されませんでした。" * 2,
    )
    lines = pdf_text(rendering.render_pdf(kind, "ja", build_snapshot(case)).content).splitlines()
    assert any("令和8年11月18日" in line for line in lines), [
        line for line in lines if "令和8年11月" in line
    ]


def test_ppc_readiness_says_an_unresolved_item_once_per_fact(case):
    """The secondary damage stayed unknown and so did whether misuse risks financial damage
    (Rules Art. 7 item 2, a fact of the same item): two facts, two distinct lines."""
    case.financial_damage_risk = None
    case.save()
    with translation.override("en"):
        lines = [
            g.detail
            for g in check("ppc-final", "en", build_snapshot(case)).gaps
            if g.item == PPCItem.SECONDARY_DAMAGE
        ]
    assert len(lines) == len(set(lines)) == 2, lines
    assert any(line.startswith("Whether this case of Rules Art. 7 applies") for line in lines)
    assert all("no record of outbound traffic survives" in line for line in lines)


@pytest.mark.parametrize("kind", ["public-notice", "individual-notice"])
def test_data_items_and_dates_not_determinable_say_so_and_readiness_agrees(case, kind):
    case.personal_data_items = []
    case.detected_at = None
    case.save()
    for item, reason in (
        (PPCItem.DATA_ITEMS, "暗号化された通信のため"),
        (PPCItem.OVERVIEW, "ログが残っていないため"),
    ):
        UnresolvedItem.objects.create(
            incident=case, item=item, reason_ja=reason, reason_en="no trace"
        )
    snapshot = build_snapshot(case)
    text = squeeze(pdf_text(rendering.render_pdf(kind, "ja", snapshot).content))
    assert "特定できませんでした（理由:暗号化された通信のため）" in text
    assert "ログが残っていないため" in text
    states = {(g.item, g.state) for g in check(kind, "ja", snapshot).gaps}
    assert ("data_items", "unresolved") in states
    assert ("detected" if kind == "public-notice" else "overview", "unresolved") in states


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("status", ["investigating", "closed"])
def test_what_the_company_writes_itself_is_to_follow_whatever_the_stage(case, status, language):
    """No measures, no public milestone and no summary recorded: the company has yet to write
    them, so the public report says they will follow; never 調査中 (they are not being
    investigated) and never 特定できず (the record does not say they could not be)."""
    case.summary = case.summary_en = ""
    case.status = status
    case.save()
    snapshot = build_snapshot(case)
    text = squeeze(pdf_text(rendering.render_pdf("public-final", language, snapshot).content))
    if language == "ja":
        headings = ("【対策と再発防止策】", "【弊社の対応】")
        follow, under, undetermined = "追ってお知らせいたします。", "調査中", "特定できず"
    else:
        headings = ("Countermeasuresandrecurrenceprevention", "Ourresponse")
        follow = "Wewillletyouknowassoonaswecan."
        under, undetermined = "Underinvestigation", "Couldnotbedetermined"
    for heading in headings:
        assert text.split(heading)[1].startswith(follow), (heading, text.split(heading)[1][:60])
    assert text.count(follow) >= 3, text  # the summary, the measures, the timeline
    assert (
        undetermined
        not in text.replace("Couldnotbedetermined:norecordofoutboundtrafficsurvives", "")
        and "特定できず" not in text
    )
    # A fact not recorded: under investigation while it is; once over, to follow.
    case.cause = case.cause_en = ""
    case.save()
    snapshot = build_snapshot(case)
    text = squeeze(pdf_text(rendering.render_pdf("public-final", language, snapshot).content))
    cause = text.split("原因】" if language == "ja" else "Cause")[1]
    assert cause.startswith(under if status == "investigating" else follow), cause[:60]


def test_a_date_the_letter_cannot_give_without_a_reason_in_its_language_says_so(case):
    case.occurred_at = None
    case.save()
    UnresolvedItem.objects.create(
        incident=case, item=PPCItem.OVERVIEW, reason_ja="ログが残っていないため", reason_en=""
    )
    mail = rendering.render_text("individual-notice", "en", build_snapshot(case))
    assert "Date of the breach: Could not be determined.\n" in mail


def test_a_preliminary_report_made_after_a_fact_was_given_up_on_says_so(case):
    """A 速報 dated after the record says a fact could not be determined states it with its
    reason, as the 確報 does, not 調査中; one dated before that day still says 調査中."""
    case.occurred_at = None
    case.save()
    UnresolvedItem.objects.create(
        incident=case,
        item=PPCItem.OVERVIEW,
        reason_ja="感染の日時を示す記録が残っていないため",
        reason_en="no record shows when",
        determined_at=jst(2022, 3, 1, 9),
    )
    later = build_snapshot(case)
    text = squeeze(pdf_text(rendering.render_pdf("ppc-preliminary", "ja", later).content))
    assert "特定できず:感染の日時を示す記録が残っていないため" in text
    assert ("overview", "unresolved") in {
        (g.item, g.state) for g in check("ppc-preliminary", "ja", later).gaps
    }
    from datetime import date

    before = build_snapshot(case, document_date=date(2022, 2, 4))
    text = squeeze(pdf_text(rendering.render_pdf("ppc-preliminary", "ja", before).content))
    assert "感染の日時を示す記録が残っていないため" not in text
    assert "調査中" in text
    assert ("overview", "provisional") in {
        (g.item, g.state) for g in check("ppc-preliminary", "ja", before).gaps
    }


def test_a_reason_recorded_as_a_sentence_is_not_closed_twice(case):
    UnresolvedItem.objects.filter(incident=case).update(
        reason_ja="外部への送信記録が残っていない。", reason_en="No record survives."
    )
    snapshot = build_snapshot(case)
    letter = squeeze(pdf_text(rendering.render_pdf("individual-notice", "ja", snapshot).content))
    assert "（理由:外部への送信記録が残っていない）。" in letter and "。）" not in letter
    mail = rendering.render_text("individual-notice", "en", snapshot)
    assert "Could not be determined: No record survives\n" in mail


def test_a_late_preliminary_report_of_a_closed_case_does_not_say_under_investigation(case):
    """The investigation is over: a 速報 made now says 追って報告 for what is still not
    recorded, as a 確報 does, and readiness lists it missing (not provisional)."""
    case.status = "closed"
    case.occurred_at = None
    case.save()
    snapshot = build_snapshot(case)
    text = squeeze(pdf_text(rendering.render_pdf("ppc-preliminary", "ja", snapshot).content))
    assert "調査中" not in text
    assert "発生日追って報告" in text
    states = {(g.item, g.state) for g in check("ppc-preliminary", "ja", snapshot).gaps}
    assert ("overview", "missing") in states and ("overview", "provisional") not in states
