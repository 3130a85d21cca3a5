"""What the documents say: only what the record shows, dated as asked, in one polite style,
with the request to customers, the support given, the cause and public spoofed senders;
rows kept whole, headers repeated, references as links."""

import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from incidents.choices import IncidentStatus
from incidents.models import Incident
from reporting import rendering
from reporting.dates import format_date
from reporting.snapshot import build_snapshot
from reporting.wording import facts

from .conftest import pdf_text, squeeze

pytestmark = pytest.mark.django_db

DAY = date(2022, 3, 31)


def text_of(kind, language, snapshot) -> str:
    return pdf_text(rendering.render_pdf(kind, language, snapshot).content)


@pytest.fixture
def investigating(founding):
    Incident.objects.filter(pk=founding.pk).update(status=IncidentStatus.INVESTIGATING)
    return build_snapshot(founding, document_date=DAY)


def test_a_case_under_investigation_claims_no_completed_investigation(investigating):
    ja = squeeze(text_of("public-final", "ja", investigating))
    assert "完了" not in ja
    assert "調査状況のご報告(中間報告)" in ja and "現在も調査を継続しております" in ja
    assert "【現時点までの調査状況】" in ja and "【調査結果について】" not in ja
    en = text_of("public-final", "en", investigating)
    assert "complete" not in en.lower()
    assert "Interim report on our investigation" in en


def test_a_closed_case_reports_the_investigation_completed(founding):
    ja = squeeze(text_of("public-final", "ja", build_snapshot(founding, document_date=None)))
    assert "調査が完了しましたので" in ja and "中間報告" not in ja


def test_a_document_says_what_the_record_showed_on_the_day_it_bears(founding):
    """Dated 2022-03-31, the founding case's final report is an interim one: the forensic
    result came on 5/18, the case closed later, the report was published on 7/13; its
    timeline stops at 3/31 and measures done later are still to be done."""
    ja = squeeze(text_of("public-final", "ja", build_snapshot(founding, document_date=DAY)))
    assert "調査状況のご報告(中間報告)" in ja and "調査が完了しましたので" not in ja
    assert "令和4年3月31日現在" in ja
    assert "2月8日お客様にサイト上に状況を公表" in ja
    for later in ("4月19日", "5月18日", "7月13日", "端末フォレンジック調査の調査結果報告"):
        assert later not in ja, later
    # The 速報 dated the day the organization became aware: not yet published, not yet
    # disposed of, no finding, nothing done yet.
    preliminary = squeeze(
        text_of("ppc-preliminary", "ja", build_snapshot(founding, document_date=date(2022, 2, 3)))
    )
    assert "公表済み" not in preliminary and "令和4年2月8日" not in preliminary
    assert "証拠物の処分" not in preliminary and "5月18日" not in preliminary
    # Dated today, everything recorded is in.
    today = squeeze(text_of("public-final", "ja", build_snapshot(founding)))
    assert "7月13日お客様に今回の調査結果の最終報告をサイト上に公表" in today


def heading(text: str, greeting: str) -> str:
    """The document's heading: everything before its greeting."""
    return squeeze(text)[: squeeze(text).index(greeting)]


def test_only_the_final_report_is_headed_as_one(founding):
    """The incident's title is the matter; "final report" is the document's kind, printed
    by the final report alone (the notice and an interim report used to repeat a title
    that said 最終報告)."""
    closed = build_snapshot(founding)
    Incident.objects.filter(pk=founding.pk).update(status=IncidentStatus.INVESTIGATING)
    investigating = build_snapshot(founding)
    greeting = "平素は格別のご高配を賜り"
    final = heading(text_of("public-final", "ja", closed), greeting)
    assert "弊社名を装った迷惑メール(なりすましメール)に関するお詫び調査結果の最終報告" in final
    for kind, snapshot in (("public-notice", closed), ("public-final", investigating)):
        head = heading(text_of(kind, "ja", snapshot), greeting)
        assert "なりすましメール)に関するお詫び" in head and "最終報告" not in head, kind
    english = "We thank you for your continued support"
    final_en = text_of("public-final", "en", closed)
    assert "Final report of our investigation" in final_en.split(english)[0]
    for kind, snapshot in (("public-notice", closed), ("public-final", investigating)):
        head = text_of(kind, "en", snapshot).split(english)[0]
        assert "spoofed e-mails" in head and "final report" not in head.lower(), kind


@pytest.mark.parametrize(
    ("kind", "language", "expected"),
    [
        ("public-notice", "ja", "令和4年3月31日現在"),
        ("public-final", "en", "as of March 31, 2022"),
        ("ppc-preliminary", "ja", "報告日令和4年3月31日"),
        ("ppc-final", "en", "Date of report March 31, 2022"),
        ("gdpr-art33", "en", "Date of this notification March 31, 2022"),
    ],
)
def test_documents_bear_the_requested_date(founding, kind, language, expected):
    text = text_of(kind, language, build_snapshot(founding, document_date=DAY))
    assert squeeze(expected) in squeeze(text)
    assert squeeze(format_date(date.today(), language)) not in squeeze(text)


def test_public_documents_carry_cause_support_and_request(founding):
    Incident.objects.filter(pk=founding.pk).update(
        support_for_affected="お問い合わせ窓口を設置しました。",
    )
    snapshot = build_snapshot(founding, document_date=DAY)
    notice = squeeze(text_of("public-notice", "ja", snapshot))
    for phrase in [
        "【原因】",
        "当該端末がマルウェア「Emotet」に感染し、メール情報が窃取されたこと。",
        "【影響を受けた方々への対応】",
        "お問い合わせ窓口を設置しました。",
        "【お客様へのお願い】",
        "添付ファイルを開いたりせず",
    ]:
        assert phrase in notice, phrase
    final = squeeze(text_of("public-final", "ja", snapshot))
    assert "【影響を受けた方々への対応】" in final and "【お客様へのお願い】" in final


def test_plain_style_text_is_quoted_as_facts_polite_text_as_prose():
    plain = facts("端末が感染した。遮断した。", "ja")
    assert not plain["polite"] and plain["sentences"] == ["端末が感染した。", "遮断した。"]
    polite = facts("端末が感染しました。遮断しました。", "ja")
    assert polite["polite"]
    assert facts("The device was infected.", "en")["polite"]


def test_public_html_lists_plain_text_and_prints_polite_text(founding):
    snapshot = build_snapshot(founding, document_date=DAY)
    html = rendering.render_html("public-notice", "ja", snapshot)
    # The founding summary is recorded in plain style (…確認した。): a list of facts.
    assert '<ul class="facts"><li>弊社で使用するパソコン1台' in html
    snapshot["incident"]["summary_ja"] = "弊社のパソコンが感染しました。"
    html = rendering.render_html("public-notice", "ja", snapshot)
    assert "<p>弊社のパソコンが感染しました。</p>" in html


def test_public_spoofed_senders_are_listed_and_escaped(founding):
    snapshot = build_snapshot(founding, document_date=DAY)
    snapshot["spoofed_senders"] = [
        {"address": "<b>boss</b>@evil.example", "first_seen": None, "last_seen": None}
    ]
    html = rendering.render_html("public-notice", "ja", snapshot)
    assert "&lt;b&gt;boss&lt;/b&gt;@evil.example" in html and "<b>boss" not in html
    text = squeeze(text_of("public-notice", "en", snapshot))
    assert "fromthefollowingaddresses" in text and "<b>boss</b>@evil.example" in text


def test_references_are_links_and_tables_repeat_their_header(founding):
    snapshot = build_snapshot(founding, document_date=DAY)
    pdf = rendering.render_pdf("public-final", "ja", snapshot).content
    uris = [
        annotation.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(pdf)).pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    ]
    assert "https://www.ipa.go.jp/security/announce/20191202.html" in uris


def test_a_thousand_milestones_stay_readable(founding):
    snapshot = build_snapshot(founding, document_date=DAY)
    first = snapshot["milestones"][0]
    start = date(2022, 2, 3)
    snapshot["milestones"] = [
        {
            **first,
            "occurred_at": f"{start + timedelta(days=i // 20)}T10:{i % 60:02d}:00+09:00",
            "title_ja": f"対応記録その{i}",
            "public": True,
        }
        for i in range(1000)
    ]
    pdf = rendering.render_pdf("ppc-preliminary", "ja", snapshot)
    reader = PdfReader(io.BytesIO(pdf.content))
    assert pdf.pages > 10
    timeline_pages = [
        page.extract_text() for page in reader.pages if "対応記録その" in page.extract_text()
    ]
    # The header row is repeated on every page the timeline spans.
    assert len(timeline_pages) > 5
    assert all("日時" in page and "内容" in page for page in timeline_pages)
    # No row is split: every entry's title is whole on one page.
    whole = "".join(timeline_pages)
    assert all(f"対応記録その{i}" in whole for i in (0, 499, 999))


def test_a_timeline_of_another_year_than_the_document_shows_its_years(founding):
    # Dated the same year: month and day, as the founding report writes them.
    same_year = squeeze(text_of("public-notice", "ja", build_snapshot(founding, document_date=DAY)))
    assert "2月3日弊社内でマルウェア感染" in same_year
    # Dated a year later: "2月3日" alone would read as that later year's February.
    later = build_snapshot(founding, document_date=date(2023, 1, 20))
    ja = squeeze(text_of("public-notice", "ja", later))
    assert "令和4年2月3日弊社内でマルウェア感染" in ja
    en = squeeze(text_of("public-final", "en", later))
    assert "February3,2022Confirmedin-house" in en


def test_a_notice_says_contact_us_as_above_only_with_a_contact_above(founding):
    snapshot = build_snapshot(founding)  # closed: nothing more to announce
    assert not snapshot["organization"]["public_contact_email"]
    for language, phrase in [
        ("ja", "上記のお問い合わせ先までご連絡ください"),
        ("en", "please contact us as above"),
    ]:
        assert squeeze(phrase) not in squeeze(text_of("individual-notice", language, snapshot))
        assert phrase not in rendering.render_text("individual-notice", language, snapshot)
    snapshot["organization"]["public_contact_email"] = "privacy@d1-seihan-p.example"
    ja = squeeze(text_of("individual-notice", "ja", snapshot))
    assert (
        "privacy@d1-seihan-p.example本件に関するご質問は、上記のお問い合わせ先までご連絡ください"
        in ja
    )
    text = rendering.render_text("individual-notice", "en", snapshot)
    assert "privacy@d1-seihan-p.example" in text and "please contact us as above" in text


def test_a_preliminary_report_never_says_its_own_contact_is_under_investigation(founding):
    snapshot = build_snapshot(founding, document_date=DAY)
    assert not snapshot["organization"]["regulator_contact_name_ja"]
    ja = squeeze(text_of("ppc-preliminary", "ja", snapshot))
    assert "連絡先追って報告" in ja and "連絡先調査中" not in ja
    assert "発生日調査中" in ja  # what is still being established may say so
    en = squeeze(text_of("ppc-preliminary", "en", snapshot))
    assert "ContactTobereportedlater" in en


@pytest.mark.django_db(transaction=True)  # the command's own commit sends the task
def test_every_row_of_a_long_public_timeline_carries_its_date(founding, media_root, tmp_path):
    """A day's rows break across pages: the row at the top of a page keeps its date."""
    from django.core.management import call_command

    from incidents.models import Milestone

    from ..conftest import jst

    Milestone.objects.bulk_create(
        Milestone(
            incident=founding,
            occurred_at=jst(2022, 2, 4 + i // 40, 9) + timedelta(minutes=i % 40),
            kind="other",
            title_ja=f"対応記録{i}",
            title_en=f"Log entry {i}",
            public=True,
        )
        for i in range(1000)
    )
    output = tmp_path / "long.pdf"
    call_command(
        "generate_report",
        founding.reference,
        kind="public-final",
        lang="en",
        date="2022-03-31",
        output=str(output),
        timeout=300,
        allow_gaps=True,  # the founding case has no public contact
    )
    pages = pdf_text(output.read_bytes()).split("\f")
    rows = [
        (number, line.strip())
        for number, page in enumerate(pages)
        for line in page.splitlines()
        if "Log entry " in line
    ]
    assert len(rows) == 1000
    assert len({number for number, _row in rows}) > 10  # the timeline spans many pages
    undated = [row for _number, row in rows if not re.match(r"(February|March) \d+ +Log", row)]
    assert undated == []
    # The rows of one day that go on onto the next page carry that day there too.
    assert "February 5 Log entry 40" in [" ".join(row.split()) for _n, row in rows]


def test_an_actions_plain_style_verification_is_quoted_as_a_fact(founding):
    """本件発生と同時に立ち上げ。 is plain style: in a public text it is an item of a list,
    not a sentence of the company's own prose."""
    snapshot = build_snapshot(founding)
    for kind in ("public-final", "individual-notice"):
        ja = squeeze(text_of(kind, "ja", snapshot))
        assert "対策委員会の設置(令和4年2月3日)◦本件発生と同時に立ち上げ。" in ja, kind


def test_a_back_dated_document_leaves_out_what_was_recorded_or_seen_after_its_day(founding):
    """An item found unknown later, a measure's verification, a spoofed sender first seen
    later: none is in a document dated before them."""
    from incidents.choices import PPCItem
    from incidents.models import UnresolvedItem
    from scope import services as scope

    from ..conftest import jst

    UnresolvedItem.objects.create(
        incident=founding,
        item=PPCItem.OVERVIEW,
        reason_ja="記録が残っていないため",
        reason_en="no record was kept",
        recorded_at=jst(2022, 6, 1, 9),
    )
    scope.create_indicator(
        incident=founding,
        user=None,
        type="email-sender",
        value="later@spoofed.example",
        tlp="clear",
        public=True,
        first_seen=jst(2022, 2, 10, 9),
    )
    early = build_snapshot(founding, document_date=date(2022, 2, 5))
    assert early["unresolved"] == [] and early["spoofed_senders"] == []
    letter = squeeze(text_of("individual-notice", "ja", early))
    assert "特定できず" not in letter and "現在も継続" in letter
    preliminary = squeeze(text_of("ppc-preliminary", "ja", early))
    assert "第三者検証機関による脆弱性診断の実施" in preliminary
    assert "再発防止策の構築に取り組んだ" not in preliminary
    later = build_snapshot(founding)
    assert [u["item"] for u in later["unresolved"]] == [PPCItem.OVERVIEW]
    assert [s["address"] for s in later["spoofed_senders"]] == ["later@spoofed.example"]
    assert "再発防止策の構築に取り組んだ" in squeeze(text_of("ppc-final", "ja", later))
