import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader


@pytest.fixture
def media_root(settings):
    """Where this test's files go (the root conftest gives each test its own MEDIA_ROOT)."""
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def member(make_user):
    """A legal user, named on the incidents a test makes for it."""
    return make_user("member", role="legal")


def half_recorded(make_incident, member, **overrides):
    """A case with its overview, data items and containment recorded, and nothing from the
    cause on (the readiness tests' half-recorded case); `overrides` change single facts."""
    from incidents.choices import PublicationStatus
    from tests.conftest import jst

    facts = {
        "summary": "業務用パソコン1台がマルウェアに感染した。",
        "description_of_events": "感染を確認し、ネットワークから遮断した。",
        "occurred_at": jst(2022, 2, 1, 9),
        "detected_at": jst(2022, 2, 3, 10),
        "aware_at": jst(2022, 2, 3, 10),
        "contained_at": jst(2022, 2, 3, 11),
        "discovered_by": "情報システム部",
        "contractor_involved": False,
        "personal_data_items": ["email_address"],
        "data_medium": "electronic",
        "sensitive_data": False,
        "wrongful_purpose": True,
        "financial_damage_risk": False,
        "over_1000_people": False,
        "publication_status": PublicationStatus.NOT_DECIDED,
    }
    return make_incident(user=member, members=[member], **{**facts, **overrides})


def pdf_text(content: bytes) -> str:
    """What a reader sees: poppler's text extraction (pypdf when poppler is absent)."""
    if shutil.which("pdftotext"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(content)
            handle.flush()
            command = ["pdftotext", "-layout", "-enc", "UTF-8", handle.name, "-"]
            result = subprocess.run(  # noqa: S603 - a fixed command on our own file
                command,
                capture_output=True,
                check=True,
            )
        return result.stdout.decode("utf-8")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def squeeze(text: str) -> str:
    """Text without layout whitespace, for phrases a line break may split."""
    return "".join(text.split())


def embedded_fonts(content: bytes) -> list[tuple[str, str]]:
    """(font name, font-file key) of every embedded font descriptor."""
    reader = PdfReader(io.BytesIO(content))
    fonts = []
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            targets = [d.get_object() for d in descendants] if descendants else [font]
            for target in targets:
                descriptor = target.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                keys = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
                fonts.append((str(descriptor.get("/FontName")), keys[0] if keys else ""))
    return fonts


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: end to end with a real Celery worker and Redis")
