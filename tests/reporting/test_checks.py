import ctypes.util

from django.core import checks


def ids():
    return {message.id for message in checks.run_checks()}


def test_no_warning_when_harfbuzz_subsetting_and_fonts_are_there():
    assert not {"reporting.W001", "reporting.W002"} & ids()


def test_warns_when_harfbuzz_subsetting_is_missing(monkeypatch):
    real = ctypes.util.find_library
    monkeypatch.setattr(
        ctypes.util, "find_library", lambda name: None if name == "harfbuzz-subset" else real(name)
    )
    assert "reporting.W001" in ids()


def test_warns_when_a_report_font_is_missing(settings, tmp_path):
    settings.REPORT_FONT_PATHS = {"gothic": str(tmp_path / "missing.ttf")}
    assert "reporting.W002" in ids()
