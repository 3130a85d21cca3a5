"""The regimes and their stages, with the names people read."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Regime = str
Stage = str

JAPAN_TZ = "Asia/Tokyo"
NEW_YORK_TZ = "America/New_York"

REGIMES: dict[Regime, Promise] = {
    "appi": _("Japan APPI (report to the PPC)"),
    "gdpr": _("EU GDPR"),
    "uk-gdpr": _("UK GDPR (report to the ICO)"),
    "nis2": _("EU NIS2 Directive"),
    "sec": _("US SEC Form 8-K Item 1.05"),
    "hipaa": _("US HIPAA Breach Notification Rule"),
}

# The regimes as choices (API fields, the obligation's regime column, the OpenAPI enum).
REGIME_CHOICES: list[tuple[Regime, Promise]] = list(REGIMES.items())

STAGES: dict[tuple[Regime, Stage], Promise] = {
    ("appi", "preliminary"): _("Preliminary report to the PPC"),
    ("appi", "final"): _("Final report to the PPC"),
    ("appi", "individuals"): _("Notice to the individuals concerned"),
    ("gdpr", "authority"): _("Notification to the supervisory authority (Art. 33)"),
    ("gdpr", "individuals"): _("Communication to the data subjects (Art. 34)"),
    ("uk-gdpr", "authority"): _("Notification to the ICO (Art. 33)"),
    ("uk-gdpr", "individuals"): _("Communication to the data subjects (Art. 34)"),
    ("nis2", "early-warning"): _("Early warning to the CSIRT or authority"),
    ("nis2", "notification"): _("Incident notification"),
    ("nis2", "final"): _("Final report"),
    ("nis2", "intermediate"): _("Intermediate report on request"),
    ("nis2", "progress"): _("Progress report"),
    ("sec", "8-k"): _("Form 8-K, Item 1.05"),
    ("sec", "8-k-amendment"): _("Form 8-K/A with the information not available before"),
    ("hipaa", "individuals"): _("Notice to the individuals"),
    ("hipaa", "hhs"): _("Notice to the Secretary of HHS"),
    ("hipaa", "media"): _("Notice to prominent media outlets"),
    ("hipaa", "covered-entity"): _("Business associate's notice to the covered entity"),
}


# Stages that are reports to an authority (a regulator-report milestone or a submitted
# regulator document fulfils one of them); in each regime's order.
AUTHORITY_STAGES: tuple[tuple[Regime, Stage], ...] = (
    ("appi", "preliminary"),
    ("appi", "final"),
    ("gdpr", "authority"),
    ("uk-gdpr", "authority"),
    ("nis2", "early-warning"),
    ("nis2", "notification"),
    ("nis2", "intermediate"),
    ("nis2", "progress"),
    ("nis2", "final"),
    ("sec", "8-k"),
    ("sec", "8-k-amendment"),
    ("hipaa", "hhs"),
)
INDIVIDUALS_STAGE: Stage = "individuals"
