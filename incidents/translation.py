"""Every narrative a document prints, in Japanese and in English (django-modeltranslation).

Each field named here gets `<field>_ja` and `<field>_en` columns on the same table: lists and
the dashboard read one row without joins, and migrations stay plain AddField/RunPython. The
plain name (e.g. `incident.title`) reads the active language, then Japanese, then English
(settings.MODELTRANSLATION_FALLBACK_LANGUAGES), for screens; a document reads one exact
column (reporting.context.narrative) and never the other language.

The organization's legal name was bilingual before (name_ja, name_en) and stays as it is.

simple-history builds a historical model from the fields a model has when it is registered,
so the translated models register for history here, after their columns exist (the way
simple-history documents for django-modeltranslation), instead of `history = HistoricalRecords()`
on the class.
"""

import simple_history
from modeltranslation.translator import TranslationOptions, translator

from .models import Action, Engagement, Finding, Incident, Milestone, Organization
from .narratives import NARRATIVES

HISTORY_OPTIONS: dict[type, dict] = {
    Incident: {
        "m2m_fields": ["members"],
        "excluded_fields": [
            "first_containment_milestone_at",
            "first_regulator_report_at",
            "first_public_notice_at",
            "first_final_report_at",
        ],
    },
}

MODELS = [Organization, Incident, Milestone, Engagement, Finding, Action]
for _model in MODELS:
    _fields = NARRATIVES[str(_model._meta.model_name)]
    translator.register(
        _model, type(f"{_model.__name__}Narratives", (TranslationOptions,), {"fields": _fields})
    )
    simple_history.register(_model, **HISTORY_OPTIONS.get(_model, {}))
