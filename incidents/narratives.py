"""The narratives: every free text a document prints, kept in Japanese and in English.

Named by model here, without side effects, so that reporting can read the list; the columns
themselves are made by incidents/translation.py (django-modeltranslation).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("ja", "en")

NARRATIVES: dict[str, tuple[str, ...]] = {
    "organization": (
        "address",
        "representative_title",
        "representative_name",
        "regulator_contact_name",
        "public_contact_name",
        "copyright_notice",
    ),
    "incident": (
        "title",
        "summary",
        "discovered_by",
        "description_of_events",
        "personal_data_detail",
        "cause",
        "secondary_damage",
        "support_for_affected",
        "request_to_customers",
        "data_subject_categories",
        "gdpr_unlikely_risk_reason",
        "gdpr_delay_reason",
    ),
    "milestone": ("title", "detail"),
    "engagement": ("vendor", "scope"),
    "finding": ("summary", "conclusion"),
    "action": ("title", "description", "verification"),
}


def narrative_fields(model: type[models.Model] | models.Model) -> tuple[str, ...]:
    """The fields of `model` kept per language (empty for a model without narratives)."""
    return NARRATIVES.get(model._meta.model_name or "", ())


def require_one_language(obj: models.Model, *fields: str) -> None:
    """A required narrative (a title, a vendor) needs its text in one language at least; the
    other may follow. Checked by the model's clean(), so admin, API and commands agree."""
    errors = {}
    for field in fields:
        if not any(
            (getattr(obj, f"{field}_{language}", "") or "").strip() for language in LANGUAGES
        ):
            errors[f"{field}_ja"] = ValidationError(
                _("Give the %(field)s in Japanese or in English (or both)."),
                code="required_in_one_language",
                params={"field": getattr(obj._meta.get_field(field), "verbose_name", field)},
            )
    if errors:
        raise ValidationError(errors)
