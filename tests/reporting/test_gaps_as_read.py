"""A new user's review of the documents: each gap reads as it should for its reader, and
only for the fact it is about (reasons of the 確報, gaps of the public texts, the 速報's
plan for the 確報, time zones in Japanese, the publication as of the document's day)."""

from datetime import date, datetime

import pytest

from incidents.choices import PPCItem, PublicationStatus
from incidents.models import Incident, UnresolvedItem
from reporting import rendering
from reporting.readiness import readiness as check
from reporting.snapshot import build_snapshot

from ..conftest import jst
from .conftest import half_recorded, pdf_text, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_incident, member):
    """Overview recorded, Art. 7 facts partly unknown, nothing from the cause on."""
    return half_recorded(
        make_incident,
        member,
        summary_en="A work computer was infected with malware.",
        over_1000_people=None,
    )


def pdf(kind: str, snapshot: dict, language: str = "ja") -> str:
    return squeeze(pdf_text(rendering.render_pdf(kind, language, snapshot).content))


def test_an_article7_case_takes_the_reason_of_its_own_item_only(case, english):
    """The reason the overview stayed unknown (its dates) is not the reason the number of
    people is: 第4号 prints the people item's gap, never the overview's reason."""
    UnresolvedItem.objects.create(
        incident=case,
        item=PPCItem.OVERVIEW,
        reason_ja="感染日時を示すログが残っていないため",
        reason_en="no log shows when the infection happened",
    )
    snapshot = build_snapshot(case)
    row = pdf("ppc-final", snapshot).split("規則第7条各号該当性")[1].split("委託元")[0]
    assert "(規則第7条第4号):追って報告" in row
    assert "感染日時" not in row
    # Readiness agrees: the overview's reason does not settle 第4号, the people item's does.
    people = [g for g in check("ppc-final", "ja", snapshot).gaps if g.item == PPCItem.PEOPLE]
    assert any("Art. 7" in g.detail and g.state == "missing" for g in people), people
    UnresolvedItem.objects.create(
        incident=case,
        item=PPCItem.PEOPLE,
        reason_ja="送受信先の範囲を特定できないため",
        reason_en="the range of correspondents cannot be established",
    )
    snapshot = build_snapshot(case)
    row = pdf("ppc-final", snapshot).split("規則第7条各号該当性")[1].split("委託元")[0]
    assert "(規則第7条第4号):特定できず:送受信先の範囲を特定できないため" in row
    assert "感染日時" not in row
    en = pdf("ppc-final", snapshot, "en").split("Art.7(iv))")[1]
    assert en.startswith(":Couldnotbedetermined:therangeofcorrespondentscannotbeestablished")
    people = [g for g in check("ppc-final", "ja", snapshot).gaps if g.item == PPCItem.PEOPLE]
    assert people and all(g.state == "unresolved" for g in people), people


def gap_items(kind: str, snapshot: dict, language: str = "ja") -> set[str]:
    return {g.item for g in check(kind, language, snapshot).gaps}


def test_public_readiness_lists_exactly_the_sections_printed_as_gaps(case, english):
    """No secondary damage, no measure and no public milestone recorded: readiness lists
    them, and the document prints their gap, with no table of a header without rows."""
    Incident.objects.filter(pk=case.pk).update(
        title_en="Malware infection",
        cause_ja="メールの添付ファイルを開いた。",
        cause_en="An attachment was opened.",
        request_to_customers_ja="不審なメールは開かずに削除してください。",
        request_to_customers_en="Please delete suspicious e-mails without opening them.",
        support_for_affected_ja="お詫びの連絡をしました。",
        support_for_affected_en="We apologised to them.",
        personal_data_items=[],
    )
    snapshot = build_snapshot(case)
    notice = check("public-notice", "en", snapshot)
    assert {(g.item, g.state) for g in notice.gaps} == {
        ("data_items", "provisional"),
        (PPCItem.SECONDARY_DAMAGE, "provisional"),
        (PPCItem.MEASURES, "provisional"),
        ("timeline", "provisional"),
        ("contact", "missing"),
    }
    text = pdf("public-notice", snapshot, "en")
    assert "SecondarydamageUnderinvestigation" in text
    # The company's own measures and account of its response are to follow, not investigated.
    assert "CountermeasuresandrecurrencepreventionWewillletyouknowassoonaswecan." in text
    assert "OurresponseWewillletyouknowassoonaswecan." in text
    assert "DateWhathappened" not in text  # the timeline's header, without rows
    # A final report: the course of events, the investigations, the same sections.
    final = gap_items("public-final", snapshot, "en")
    assert {PPCItem.SECONDARY_DAMAGE, PPCItem.MEASURES, "timeline", "investigations"} <= final
    assert "data_items" not in final  # the final report does not print them


def test_documents_for_the_public_and_the_people_word_a_gap_for_them(case):
    """No public contact: the public documents and the letter say politely that it will
    follow; the regulator's 追って報告 stays in the 確報 (its own contact is missing too)."""
    snapshot = build_snapshot(case)
    for kind in ("public-notice", "public-final", "individual-notice"):
        ja = pdf(kind, snapshot)
        assert "追ってお知らせいたします。" in ja, kind
        assert "追って報告" not in ja, kind
        en = pdf(kind, snapshot, "en")
        assert "Wewillletyouknowassoonaswecan." in en, kind
        assert "Tobereportedlater" not in en, kind
    mail = rendering.render_text("individual-notice", "en", snapshot)
    assert "We will let you know as soon as we can." in mail
    assert "追って報告" in pdf("ppc-final", snapshot)


def test_a_preliminary_report_states_the_final_report_as_of_its_date(founding):
    """Before the 確報's day, a plan; after it, no plan for the past: the deadline has passed,
    or the 確報 was filed, when the record shows it filed by the document's date."""

    def preliminary(day: date, language: str = "ja") -> str:
        snapshot = build_snapshot(founding, document_date=day)
        return pdf("ppc-preliminary", snapshot, language)

    assert "確報は令和4年4月4日までに提出する予定です。" in preliminary(date(2022, 2, 3))
    assert "確報は令和4年4月4日までに提出する予定です。" in preliminary(date(2022, 4, 4))
    late = preliminary(date(2022, 4, 10))
    assert "提出する予定" not in late
    assert "確報の提出期限(令和4年4月4日)を過ぎています。" in late
    assert "Thedeadlineforthefinalreport(April4,2022)haspassed." in preliminary(
        date(2022, 4, 10), "en"
    )
    founding.obligations.filter(regime="appi", stage="final").update(
        fulfilled_at=jst(2022, 4, 1), channel="web_form"
    )
    assert "確報は令和4年4月1日に提出しました。" in preliminary(date(2022, 4, 10))
    # Filed after the document's date: as of that date it was not.
    assert "確報は令和4年4月4日までに提出する予定です。" in preliminary(date(2022, 3, 1))


def test_japanese_documents_spell_out_a_zone_other_than_japans(make_incident, member):
    """A case kept in Asia/Kabul: its Japanese times carry their offset, as the English ones
    do; a case in Tokyo prints its times as the Japanese forms do, without a zone."""
    from zoneinfo import ZoneInfo

    kabul = ZoneInfo("Asia/Kabul")
    far = make_incident(
        user=member,
        members=[member],
        time_zone="Asia/Kabul",
        summary="端末がマルウェアに感染した。",
        occurred_at=datetime(2019, 4, 30, 5, 30, tzinfo=kabul),
        detected_at=datetime(2019, 5, 2, 9, 0, tzinfo=kabul),
        aware_at=datetime(2019, 5, 2, 9, 0, tzinfo=kabul),
    )
    snapshot = build_snapshot(far, document_date=date(2019, 5, 10))
    ja = pdf("ppc-final", snapshot)
    assert "平成31年4月30日5時30分(UTC+4:30)" in ja
    assert "令和元年5月2日9時00分(UTC+4:30)" in ja
    assert "April30,2019,05:30+0430" in pdf("ppc-final", snapshot, "en")
    tokyo = pdf("ppc-final", build_snapshot(case_in_tokyo(make_incident, member)))
    assert "令和4年2月3日10時00分事態を知った日" in tokyo and "(UTC+9:00)" not in tokyo


def case_in_tokyo(make_incident, member):
    return make_incident(
        user=member,
        members=[member],
        detected_at=jst(2022, 2, 3, 10),
        aware_at=jst(2022, 2, 3, 10),
    )


def test_publication_is_printed_as_the_record_shows_it_on_the_documents_date(founding):
    """The founding case was published on 2022-02-08: a 確報 dated 2022-02-03 says it was not
    yet published (not a gap); planned, where the record of that day says so."""
    early = build_snapshot(founding, document_date=date(2022, 2, 3))
    ja = pdf("ppc-final", early)
    assert "7公表の実施状況未公表8" in ja
    assert "Publication" in pdf("ppc-final", early, "en")
    assert "7PublicationNotyetpublished8" in pdf("ppc-final", early, "en")
    assert "publication" not in {g.item for g in check("ppc-final", "ja", early).gaps}
    later = pdf("ppc-final", build_snapshot(founding, document_date=date(2022, 2, 10)))
    assert "7公表の実施状況公表済み(令和4年2月8日)" in later


def test_publication_planned_on_the_documents_date_is_printed_as_planned(case):
    """Recorded as planned on the document's date and published later: 予定 as of it."""
    Incident.objects.filter(pk=case.pk).update(publication_status=PublicationStatus.PLANNED)
    case.refresh_from_db()
    case.save()  # a history record of the planned publication, dated below
    case.history.update(history_date=jst(2022, 2, 4, 9))
    Incident.objects.filter(pk=case.pk).update(
        publication_status=PublicationStatus.PUBLISHED, published_at=jst(2022, 2, 20, 10)
    )
    snapshot = build_snapshot(case, document_date=date(2022, 2, 10))
    assert "7公表の実施状況予定8" in pdf("ppc-final", snapshot)
    later = build_snapshot(case, document_date=date(2022, 2, 21))
    assert "7公表の実施状況公表済み(令和4年2月20日)8" in pdf("ppc-final", later)
