"""A document prints its own language only: every kind of the founding case, read back as text."""

import re

import pytest

from reporting import rendering
from reporting.choices import ReportKind
from reporting.snapshot import build_snapshot

from .conftest import pdf_text, squeeze

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

# Hiragana, Katakana, CJK ideographs, half-width Katakana.
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
DOCUMENTS = [
    (kind, language) for kind in ReportKind.values for language in ReportKind.languages(kind)
]

# A notification to a European authority and the letter to the people concerned print no
# timeline; every other document prints the police report among the milestones.
NO_TIMELINE = (ReportKind.GDPR_ART33, ReportKind.INDIVIDUAL_NOTICE)


@pytest.fixture
def snapshot(founding):
    organization = founding.organization
    organization.name_ja = "ディーワン製版株式会社"
    organization.name_en = "D1 Seihan-P Co., Ltd."
    organization.address_ja = "東京都千代田区千代田1-1"
    organization.address_en = "1-1 Chiyoda, Chiyoda-ku, Tokyo"
    organization.representative_name_ja = "山田太郎"
    organization.representative_name_en = "Taro Yamada"
    organization.public_contact_name_ja = "お客様相談窓口"
    organization.public_contact_name_en = "Customer desk"
    organization.regulator_contact_name_ja = "総務部"
    organization.regulator_contact_name_en = "General Affairs Department"
    organization.public_contact_email = "desk@d1-seihan-p.example"
    organization.regulator_contact_email = "soumu@d1-seihan-p.example"
    organization.save()
    return build_snapshot(founding)


@pytest.mark.parametrize(("kind", "language"), [d for d in DOCUMENTS if d[1] == "en"])
def test_english_documents_print_no_japanese(snapshot, kind, language):
    text = pdf_text(rendering.render_pdf(kind, language, snapshot).content)
    japanese = [line.strip() for line in text.splitlines() if JAPANESE.search(line)]
    assert japanese == []
    flat = squeeze(text)
    assert squeeze("D1 Seihan-P Co., Ltd.") in flat  # the letterhead in English
    if kind not in NO_TIMELINE:
        assert squeeze("Reported to the local police station") in flat


@pytest.mark.parametrize(("kind", "language"), [d for d in DOCUMENTS if d[1] == "ja"])
def test_japanese_documents_print_the_japanese_narratives(snapshot, kind, language):
    text = squeeze(pdf_text(rendering.render_pdf(kind, language, snapshot).content))
    assert "ディーワン製版株式会社" in text
    if kind not in NO_TIMELINE:
        assert "所轄警察署に報告" in text
    assert "D1Seihan-PCo.,Ltd." not in text
    assert "Reportedtothelocalpolicestation" not in text
    assert "Emotet" in text  # the malware's name is the same word in both


def test_a_narrative_missing_in_english_stays_missing(founding):
    founding.summary_en = ""
    founding.save()
    snapshot = build_snapshot(founding)
    text = pdf_text(rendering.render_pdf("ppc-final", "en", snapshot).content)
    assert not JAPANESE.search(text)  # not the Japanese summary instead
    assert squeeze("One of our company's PCs") not in squeeze(text)
    assert squeeze("The device was infected with the Emotet malware") in squeeze(text)
