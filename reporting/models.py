"""Generated documents. The row is the truth about a job; a submitted report never changes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.limits import apply_limits
from incidents.models import Incident, OfIncidentQuerySet

from .choices import ReportEvent, ReportKind, ReportLanguage, ReportStatus
from .readiness import investigation_complete


class ReportLocked(Exception):
    """A submitted or published report was about to change; a correction is a new version."""

    api_status = 409

    def __init__(self, message=None):
        self.message = message or _(
            "This report has been submitted or published and can no longer change; "
            "request a new version instead."
        )
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)


def report_path(incident_id: int, kind: str, language: str, version: int) -> str:
    """Deterministic: one name per report, so a re-delivered task cannot make a second file."""
    return f"reports/{incident_id}/{kind}-{language}-v{version}.pdf"


def report_upload_to(instance: "Report", filename: str) -> str:
    return instance.storage_name


class ReportQuerySet(OfIncidentQuerySet):
    def locked(self) -> "ReportQuerySet":
        return self.filter(submitted_at__isnull=False)

    def update(self, **kwargs):
        if self.locked().exists():
            raise ReportLocked()
        return super().update(**kwargs)

    def delete(self):
        if self.locked().exists():
            raise ReportLocked()
        return super().delete()


class Report(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="reports", verbose_name=_("incident")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=ReportKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=ReportLanguage.choices)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    enqueued_at = models.DateTimeField(
        _("last enqueued at"),
        null=True,
        blank=True,
        help_text=_("When a render task was last sent for it (the sweeper re-sends)."),
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    file = models.FileField(_("PDF"), upload_to=report_upload_to, blank=True, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    document_date = models.DateField(
        _("date of the document"),
        null=True,
        blank=True,
        help_text=_(
            "The date the document bears and speaks as of, given by the person asking "
            "(default: the day of the request in the incident's time zone)."
        ),
    )
    allow_gaps = models.BooleanField(
        _("generated with gaps"),
        default=False,
        help_text=_(
            "The person asking chose to generate it although items were missing; "
            "they are printed as to be reported later."
        ),
    )
    allow_current_text = models.BooleanField(
        _("printed with the current text"),
        default=False,
        help_text=_(
            "The case was recorded after the document's date, and the person asking chose to "
            "print its narratives and assessed facts as they read now, having checked them; "
            "without it they print as gaps."
        ),
    )
    snapshot = models.JSONField(
        _("snapshot"),
        null=True,
        blank=True,
        help_text=_("The exact data the document was made from."),
    )

    submitted_at = models.DateTimeField(_("submitted or published at"), null=True, blank=True)
    submitted_to = models.CharField(_("submitted to"), max_length=200, blank=True)
    authority_reference = models.CharField(_("authority's reference"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    objects = ReportQuerySet.as_manager()
    # Every event (requested, rendering, rendered, failed, submitted or published) with who
    # and when; the event's name is the history row's change reason. The snapshot is kept
    # once, on the report itself.
    history = HistoricalRecords(excluded_fields=["snapshot", "enqueued_at", "attempts"])

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-requested_at", "-id"]
        permissions = [
            ("submit_report", _("Can mark a report as submitted or published")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "kind", "language", "version"],
                name="report_version_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values), name="report_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(language__in=ReportLanguage.values), name="report_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.READY)
                | (~Q(file="") & Q(sha256__regex=r"^[0-9a-f]{64}$") & Q(size__isnull=False)),
                name="report_ready_has_file",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(status=ReportStatus.READY),
                name="report_submitted_only_when_ready",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "enqueued_at"], name="report_status_enqueued_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.incident.reference} {self.kind_name} ({self.language}) v{self.version}"

    # The events its history names, as the admin's history page labels them.
    HISTORY_EVENTS = ReportEvent

    def save(self, *args, event: str = "", by=None, held: bool = False, **kwargs):
        """`event` names the change in the report's history; `by` is who caused it (None:
        the pipeline). `held`: the caller read this row for update in the same transaction
        and found it not submitted, so nothing can have submitted it since (no second read)."""
        if self.pk and not held and type(self).objects.filter(pk=self.pk).locked().exists():
            raise ReportLocked()
        if event:
            self._change_reason = event
        self._history_user = by if by is not None and getattr(by, "pk", None) else None
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk).locked().exists():
            raise ReportLocked()
        return super().delete(*args, **kwargs)

    @property
    def kind_name(self) -> str:
        """The kind as the document calls itself: a public final report of a case whose
        investigation its snapshot does not show complete is an interim report (so its
        title says). Where the snapshot is not loaded (deferred), the kind's label."""
        if (
            self.kind == ReportKind.PUBLIC_FINAL
            and "snapshot" not in self.get_deferred_fields()
            and self.snapshot
            and not investigation_complete(self.snapshot)
        ):
            return str(_("Public interim report"))
        return self.get_kind_display()

    @property
    def storage_name(self) -> str:
        return report_path(self.incident_id, self.kind, self.language, self.version)

    @property
    def is_locked(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_regulatory(self) -> bool:
        return self.kind in ReportKind.regulatory()

    @property
    def filename(self) -> str:
        return f"{self.incident.reference}-{self.kind}-{self.language}-v{self.version}.pdf"


apply_limits(Report)
