from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reporting.context import build_context, format_date, wareki
from reporting.snapshot import build_snapshot

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2022, 2, 3), "令和4年2月3日"),
        (date(2022, 7, 13), "令和4年7月13日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 12, 31), "令和元年12月31日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
    ],
)
def test_wareki(day, expected):
    assert wareki(day) == expected


@given(st.dates(min_value=date(1989, 1, 8), max_value=date(2100, 12, 31)))
def test_wareki_year_follows_the_gregorian_year(day):
    text = wareki(day)
    era, rest = text[:2], text[2:]
    year = 1 if rest.startswith("元") else int(rest.split("年")[0])
    base = 2018 if era == "令和" else 1988
    assert era in {"令和", "平成"}
    assert base + year == day.year
    assert text.endswith(f"{day.month}月{day.day}日")


def test_english_dates():
    assert format_date(date(2022, 2, 3), "en") == "February 3, 2022"


def test_context_is_pure_and_per_language(founding, django_assert_num_queries):
    snapshot = build_snapshot(founding)
    with django_assert_num_queries(0):
        ja = build_context("ppc-final", "ja", snapshot)
        en = build_context("ppc-final", "en", snapshot)
    assert ja["overview"]["detected"] == "令和4年2月3日 10時00分"
    assert en["overview"]["detected"].startswith("February 3, 2022, 10:00")
    # A 確報 never says 調査中: the unknown count is to follow (generated with an override).
    assert ja["people"] == "追って報告"
    # Nor does a 速報 of the closed case made now; one dated while it was investigated does.
    assert build_context("ppc-preliminary", "ja", snapshot)["people"] == "追って報告"
    early = build_snapshot(founding, document_date=date(2022, 2, 3))
    assert build_context("ppc-preliminary", "ja", early)["people"] == "調査中"
    assert ja["overview"]["article7"] == [
        "不正の目的をもって行われたおそれがある漏えい等(規則第7条第3号)"
    ]
    assert [a["title"] for a in ja["actions"]["taken"]] == [
        "代表取締役を責任者とした対策委員会の設置",
        "第三者検証機関による脆弱性診断の実施",
    ]
    assert len(ja["actions"]["planned"]) == 3


def test_public_final_timeline_groups_by_day(founding):
    snapshot = build_snapshot(founding, document_date=date(2022, 7, 13))
    context = build_context("public-final", "ja", snapshot)
    days = [(d["day"], len(d["entries"])) for d in context["timeline"]]
    assert days == [
        ("2月 3日", 3),
        ("2月 4日", 2),
        ("2月 8日", 1),
        ("4月19日", 1),
        ("5月18日", 2),
        ("7月13日", 1),
    ]
    assert context["as_of"] == "令和4年7月13日"
    assert context["malware"] == "emotet"


def test_snapshot_is_json_with_offsets_and_values(founding, django_assert_max_num_queries):
    import json

    with django_assert_max_num_queries(10):  # 9: spoofed senders (scope); 10: unresolved items
        snapshot = build_snapshot(founding)
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["incident"]["aware_at"].endswith("+00:00")
    assert snapshot["incident"]["category"] == "malware"
    assert snapshot["incident"]["article7_cases"] == [3]
    assert snapshot["organization"]["sender_addresses"][0]["address"] == "d1-seihan-p.example"
    assert snapshot["evidence"][0]["disposal_action"] == "destroyed"
    assert snapshot["time_zone"] == "Asia/Tokyo"


def test_unknown_kind_or_language():
    with pytest.raises(ValueError):
        build_context("gdpr", "ja", {})
    with pytest.raises(ValueError):
        build_context("ppc-final", "fr", {})


def test_public_documents_carry_the_request_and_the_support(founding):
    snapshot = build_snapshot(founding)
    for kind in ("public-notice", "public-final"):
        context = build_context(kind, "ja", snapshot)
        # Quoted as facts or prose (reporting.wording.facts): the recorded text, whole.
        assert "メールごと削除" in context["request_to_customers"]["text"]
        assert "お詫び" in context["support"]["text"]
        assert "Emotet" in context["cause"]["text"]
    assert "お詫び" in build_context("ppc-final", "ja", snapshot)["support_for_affected"]


def _single_language(obj: dict) -> dict:
    """As snapshots were stored before schema 4: one plain value per narrative."""
    plain = {k: v for k, v in obj.items() if not k.endswith(("_ja", "_en")) or k.startswith("name")}
    plain.update({k[:-3]: v for k, v in obj.items() if k.endswith("_ja") and k != "name_ja"})
    return plain


def test_a_snapshot_stored_before_bilingual_narratives_still_renders(founding):
    """Stored reports re-render from their own snapshot: a schema-2 one prints what it held,
    in either language, and lacks only what did not exist then."""
    snapshot = build_snapshot(founding)
    incident = _single_language(snapshot["incident"])
    incident["response_to_affected"] = incident.pop("support_for_affected")
    del incident["request_to_customers"]
    old = {
        **snapshot,
        "schema": 2,
        "incident": incident,
        "organization": _single_language(snapshot["organization"]),
        "milestones": [_single_language(m) for m in snapshot["milestones"]],
        "actions": [_single_language(a) for a in snapshot["actions"]],
        "engagements": [
            {**_single_language(e), "findings": [_single_language(f) for f in e["findings"]]}
            for e in snapshot["engagements"]
        ],
    }
    for language in ("ja", "en"):
        context = build_context("ppc-final", language, old)
        assert context["support_for_affected"] == snapshot["incident"]["support_for_affected_ja"]
        assert context["milestones"][0]["title"] == snapshot["milestones"][0]["title_ja"]
    assert build_context("public-final", "ja", old)["request_to_customers"]["text"] == ""


def test_each_language_prints_only_its_own_narratives(founding):
    snapshot = build_snapshot(founding)
    assert "title" not in snapshot["incident"]  # no plain value a template could print
    en = build_context("public-final", "en", snapshot)
    ja = build_context("public-final", "ja", snapshot)
    assert en["title"].startswith("Apology for spoofed e-mails")
    assert ja["title"].startswith("弊社名を装った")
    assert en["timeline"][0]["entries"][0].startswith("Confirmed in-house")
    assert en["engagements"][0]["findings"][3]["kind_label"] == "Device forensic investigation"
    assert ja["organization"]["representative"] == "代表取締役"
    assert en["organization"]["representative"] == "Representative Director"

    # A narrative missing in English is missing, never the Japanese text instead.
    founding.cause_en = ""
    founding.save()
    snapshot = build_snapshot(founding)
    assert build_context("public-final", "en", snapshot)["cause"]["text"] == ""
    assert "Emotet" in build_context("public-final", "ja", snapshot)["cause"]["text"]
