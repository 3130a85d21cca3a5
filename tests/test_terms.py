"""One Japanese term per concept: every label of a concept, in any case, reads the same."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES" / "django.po"
TERMS = {
    "severity": "重大度",
    "status": "ステータス",
    "timeline": "時系列",
    "milestone": "時系列記録",
    "milestones": "時系列記録",
    "latest milestones": "最新の時系列記録",
    "actions": "対策",
    "filed at": "届出日時",
    "owner": "担当者",
}


@pytest.mark.parametrize(("concept", "term"), TERMS.items())
def test_one_term_per_concept(concept, term):
    labels = [
        entry
        for entry in polib.pofile(str(CATALOG))
        if entry.msgid.lower() == concept and not entry.msgctxt and not entry.obsolete
    ]
    assert labels, concept
    assert {entry.msgstr for entry in labels} == {term}, [(e.msgid, e.msgstr) for e in labels]


def test_severity_has_one_name():
    assert "深刻度" not in CATALOG.read_text(encoding="utf-8")


# A second name some pages used for a concept the admin names otherwise (the dashboard's
# 経過 for the timeline's records, 再発防止策 for the actions, 証拠 for an evidence item).
SECOND_NAMES = {"経過": "時系列記録", "再発防止策": "対策"}


@pytest.mark.parametrize(("second", "term"), SECOND_NAMES.items())
def test_no_second_name_for_a_concept(second, term):
    catalog = polib.pofile(str(CATALOG))
    using = [
        (e.msgid, e.msgstr)
        for e in catalog
        if second in e.msgstr.replace("事実経過", "") and not e.obsolete
    ]
    assert using == [], f"use {term}"


def test_an_evidence_item_is_always_shohin():
    catalog = polib.pofile(str(CATALOG))
    bare = [(e.msgid, e.msgstr) for e in catalog if "証拠" in e.msgstr.replace("証拠品", "")]
    assert bare == []
