"""Fixed vocabularies of documents."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The publication status of a document dated before the case was published, when the record
# of that day says neither planned nor decided against: not yet published (未公表). Not a
# choice of the case (it is never recorded), only of a snapshot (reporting.snapshot).
NOT_YET_PUBLISHED = "not_yet_published"


class ReportKind(models.TextChoices):
    PPC_PRELIMINARY = "ppc-preliminary", _("PPC report (preliminary)")
    PPC_FINAL = "ppc-final", _("PPC report (final)")
    PUBLIC_NOTICE = "public-notice", _("Public notice")
    PUBLIC_FINAL = "public-final", _("Public final report")
    GDPR_ART33 = "gdpr-art33", _("GDPR Art. 33 notification to the supervisory authority")
    INDIVIDUAL_NOTICE = "individual-notice", _("Notice to the people concerned")

    @classmethod
    def regulatory(cls) -> frozenset["ReportKind"]:
        """Kinds that are submitted to an authority (the others are published)."""
        return frozenset({cls.PPC_PRELIMINARY, cls.PPC_FINAL, cls.GDPR_ART33})

    @classmethod
    def applies(cls, kind: str, regimes) -> bool:
        """Whether the kind is a document of the case: a regulator's only under its regime
        (the PPC's under the APPI, Art. 33 under EU or UK GDPR); the others always."""
        needed = REGIMES_OF.get(kind)
        return needed is None or bool(needed & set(regimes or ()))

    @classmethod
    def languages(cls, kind: str) -> tuple[str, ...]:
        """The languages a kind is written in: a form exists only where its authority reads it."""
        return ONLY_IN.get(kind, tuple(ReportLanguage.values))


class ReportLanguage(models.TextChoices):
    JA = "ja", _("Japanese")
    EN = "en", _("English")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")

    @classmethod
    def pending(cls) -> frozenset["ReportStatus"]:
        return frozenset({cls.QUEUED, cls.RENDERING})


class ReportEvent(models.TextChoices):
    """What happened to a report, as its history names it."""

    REQUESTED = "requested", _("Requested")
    RENDERING = "rendering", _("Rendering started")
    RENDERED = "rendered", _("Rendered")
    FAILED = "failed", _("Failed")
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")
    SENT = "sent", _("Sent to the people concerned")


# Kinds written in fewer than every language (the others: all of ReportLanguage).
# The regimes under which a regulator's document is owed; a kind not named here always is.
REGIMES_OF: dict[str, frozenset[str]] = {
    ReportKind.PPC_PRELIMINARY: frozenset({"appi"}),
    ReportKind.PPC_FINAL: frozenset({"appi"}),
    ReportKind.GDPR_ART33: frozenset({"gdpr", "uk-gdpr"}),
}

ONLY_IN: dict[str, tuple[str, ...]] = {
    ReportKind.GDPR_ART33: (ReportLanguage.EN,),
}
