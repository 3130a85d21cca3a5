"""What rendering costs a process: fonts registered once, folders removed, WeasyPrint loaded
only where documents are rendered."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reporting import pdf, rendering

from .conftest import embedded_fonts, pdf_text

ROOT = Path(__file__).resolve().parents[2]
HTML = (
    '<html><head><link rel="stylesheet" href="taisaku-asset:report.css"></head>'
    "<body><p>{text}</p></body></html>"
)


@pytest.fixture
def font_dir(settings, tmp_path):
    """A font folder root of the test's own; the process's configuration starts afresh."""
    settings.REPORT_FONT_CACHE_DIR = str(tmp_path / "fonts")
    pdf.close_fonts()
    yield tmp_path / "fonts"
    pdf.close_fonts()


def folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir())


def size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def test_fonts_are_copied_once_per_process_not_per_render(font_dir):
    first = rendering.html_to_pdf(HTML.format(text="第一の文書"))
    [folder] = folders(font_dir)
    assert folder.name.startswith(f"taisaku-fonts-{os.getpid()}-")
    files_after_first, bytes_after_first = sorted(folder.iterdir()), size(folder)

    for n in range(5):
        later = rendering.html_to_pdf(HTML.format(text=f"文書{n}"))
        assert f"文書{n}" in pdf_text(later.content)

    assert folders(font_dir) == [folder]
    assert sorted(folder.iterdir()) == files_after_first
    assert size(folder) == bytes_after_first
    # One font declared, one font copied: the gothic the documents use (no unused mincho).
    assert len(files_after_first) == 1
    assert "第一の文書" in pdf_text(first.content)
    assert {name.split("+")[-1] for name, _ in embedded_fonts(first.content)} == {"Taisaku-Gothic"}


def test_the_font_folder_goes_with_the_process(font_dir):
    rendering.html_to_pdf(HTML.format(text="対策"))
    assert len(folders(font_dir)) == 1
    pdf.close_fonts()  # what a worker process does at shutdown
    assert folders(font_dir) == []


def test_folders_of_killed_processes_are_removed_by_the_next(font_dir):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    gone.wait()
    stale = font_dir / f"taisaku-fonts-{gone.pid}-abc123"
    stale.mkdir(parents=True)
    (stale / "font").write_bytes(b"x" * 1000)
    alive = font_dir / f"taisaku-fonts-{os.getppid()}-def456"  # a live process's folder
    alive.mkdir()
    unrelated = font_dir / "someone-elses-folder"
    unrelated.mkdir()

    rendering.html_to_pdf(HTML.format(text="対策"))

    assert not stale.exists()
    assert alive.exists() and unrelated.exists()
    assert len(list(font_dir.glob(f"taisaku-fonts-{os.getpid()}-*"))) == 1


def test_the_web_process_does_not_import_weasyprint():
    """The admin, API and dashboard load without WeasyPrint (about 0.4 s and 40 MB saved)."""
    code = (
        "import sys\n"
        "from config.wsgi import application\n"
        "from django.test import Client\n"
        "assert Client().get('/admin/login/').status_code == 200\n"
        "from django.urls import get_resolver\n"
        "get_resolver().url_patterns\n"
        "import reporting.admin, reporting.api, reporting.services, dashboard.views\n"
        "print(sorted(m for m in sys.modules if m.startswith('weasyprint')))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    env["ALLOWED_HOSTS"] = "testserver"
    env.setdefault("SECRET_KEY", "test")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
