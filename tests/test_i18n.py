"""The Japanese catalog is complete for our apps: nothing a user sees stays in English."""

import shutil
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.utils import translation

ROOT = Path(settings.BASE_DIR)
OUR_APPS = ["incidents", "reporting", "scope", "dashboard"]
SOURCES = ["config", "incidents", "reporting", "scope", "dashboard", "templates"]


def test_shipped_catalog_has_no_untranslated_or_fuzzy_entries():
    po = polib.pofile(str(ROOT / "locale/ja/LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    assert untranslated == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.slow
def test_every_marked_string_in_the_sources_is_in_the_catalog(tmp_path, monkeypatch, settings):
    """Extract afresh (as `make messages` does) and check nothing new is left untranslated."""
    if shutil.which("xgettext") is None:
        pytest.fail("gettext is not installed: run `make sysdeps`")
    for name in SOURCES:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    call_command("makemessages", locale=["ja"], no_obsolete=True, verbosity=0)
    po = polib.pofile(str(tmp_path / "locale/ja/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == [], "run `make messages` and translate these"


def labels():
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS or model.__name__.startswith("Historical"):
            continue
        yield f"{model.__name__}.verbose_name", model._meta.verbose_name
        yield f"{model.__name__}.verbose_name_plural", model._meta.verbose_name_plural
        for field in model._meta.get_fields():
            if not isinstance(field, models.Field) or field.auto_created:
                continue
            yield f"{model.__name__}.{field.name}", field.verbose_name
            if field.help_text:
                yield f"{model.__name__}.{field.name}.help_text", field.help_text
            for value, label in field.flatchoices:
                yield f"{model.__name__}.{field.name}={value}", label


# Names that read the same in Japanese.
SAME_IN_JAPANESE = {"SHA-256", "PDF", "EU GDPR", "UUID", "URL", "TLP"} | {
    f"TLP:{colour}" for colour in ["CLEAR", "GREEN", "AMBER", "RED"]
}


def test_every_model_field_and_choice_label_reads_in_japanese():
    with translation.override("ja"):
        english_only = [
            name
            for name, label in labels()
            if str(label).isascii() and str(label) not in SAME_IN_JAPANESE
        ]
    assert english_only == []


def test_english_stays_available():
    from incidents.models import Incident

    with translation.override("en"):
        assert str(Incident._meta.verbose_name_plural) == "incidents"
    with translation.override("ja"):
        assert "インシデント" in str(Incident._meta.verbose_name_plural)
