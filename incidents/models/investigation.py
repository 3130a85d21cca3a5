"""The investigation: engaged firms, their findings, evidence and its custody, the timeline."""

import hashlib
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from ..choices import (
    CustodyAction,
    EvidenceKind,
    FindingKind,
    MilestoneKind,
)
from ..narratives import require_one_language
from .case import Incident
from .errors import IncidentError
from .queries import OfIncidentQuerySet


class EvidenceFileLocked(IncidentError):
    """An evidence file was about to be replaced or removed (409)."""


class EvidenceFileRefused(IncidentError):
    """An upload refused for its size (413) or type (415)."""

    def __init__(self, message, api_status: int):
        super().__init__(message)
        self.api_status = api_status


class Engagement(models.Model):
    """An outside firm hired to investigate."""

    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="engagements",
        verbose_name=_("incident"),
    )
    vendor = models.CharField(_("vendor"), max_length=200)
    scope = models.TextField(_("scope"), blank=True)
    requested_at = models.DateTimeField(_("requested at"))

    objects = OfIncidentQuerySet.as_manager()
    # history: registered in incidents/translation.py, after the _ja/_en columns exist.

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return self.vendor

    def clean(self) -> None:
        require_one_language(self, "vendor")


class FindingQuerySet(OfIncidentQuerySet):
    incident_path = "engagement__incident"


class Finding(models.Model):
    """What an engaged firm reported, and when."""

    # A finding outlives a mistaken deletion of its engagement: the engagement cannot be
    # deleted while findings (cited by the timeline and the documents) refer to it.
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("engagement"),
    )
    reported_at = models.DateTimeField(_("reported at"))
    kind = models.CharField(_("kind"), max_length=32, choices=FindingKind.choices)
    summary = models.TextField(_("summary"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)

    objects = FindingQuerySet.as_manager()
    # history: registered in incidents/translation.py, after the _ja/_en columns exist.

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["reported_at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    # The original name is kept for people; a random folder keeps names from colliding.
    return f"evidence/{instance.incident_id}/{uuid.uuid4().hex}/{PurePath(filename).name}"


class EvidenceQuerySet(OfIncidentQuerySet):
    def with_disposal(self) -> "EvidenceQuerySet":
        disposals = CustodyEntry.objects.filter(
            evidence=models.OuterRef("pk"), action__in=CustodyAction.disposals()
        )
        return self.annotate(
            disposed_at=models.Subquery(disposals.values("at")[:1]),
            disposal_action=models.Subquery(disposals.values("action")[:1]),
        )


class Evidence(models.Model):
    HASH_CHUNK_SIZE = 1024 * 1024

    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("incident"),
    )
    label = models.CharField(_("label"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    description = models.TextField(_("description"), blank=True)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)
    collected_by = models.CharField(_("collected by"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=evidence_upload_to,
        blank=True,
        max_length=300,
        help_text=_("Uploaded once, when the item is recorded; it is never replaced."),
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True, editable=False)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
        help_text=_("The item this one corrects (e.g. a wrong file): the old one stays as it was."),
    )

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["incident", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "label"], name="evidence_label_unique_per_incident"
            ),
            models.CheckConstraint(
                condition=Q(size__gte=0) | Q(size__isnull=True), name="evidence_size_non_negative"
            ),
            models.CheckConstraint(
                condition=(Q(file="") & Q(sha256="") & Q(size__isnull=True))
                | (~Q(file="") & Q(sha256__regex=r"^[0-9a-f]{64}$") & Q(size__isnull=False)),
                name="evidence_hash_and_size_with_file",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("file", flat=True).first()
            if stored and stored != (self.file.name or ""):
                # Write-once: an item without a file may get one; a stored file stays,
                # whatever form or client tried to replace or clear it.
                raise EvidenceFileLocked(
                    _(
                        "An evidence file is never replaced or removed: record a new item "
                        "that corrects this one instead."
                    )
                )
        if self.file and not getattr(self.file, "_committed", True):
            self.sha256, self.size = self._digest(self.file)
        elif not self.file:
            self.sha256, self.size = "", None
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.corrects_id is not None:
            if self.corrects_id == self.pk:
                raise ValidationError({"corrects": _("An item cannot correct itself.")})
            if self.corrects is not None and self.corrects.incident_id != self.incident_id:
                raise ValidationError(
                    {"corrects": _("The item corrected belongs to another incident.")}
                )

    @classmethod
    def _digest(cls, file) -> tuple[str, int]:
        """SHA-256 and size by streaming: memory stays bounded whatever the file's size."""
        digest = hashlib.sha256()
        size = 0
        for chunk in file.chunks(chunk_size=cls.HASH_CHUNK_SIZE):
            digest.update(chunk)
            size += len(chunk)
        file.seek(0)
        return digest.hexdigest(), size

    @property
    def disposal(self) -> "CustodyEntry | None":
        return self.custody_entries.filter(action__in=CustodyAction.disposals()).first()


class CustodyEntryQuerySet(OfIncidentQuerySet):
    incident_path = "evidence__incident"


class CustodyEntry(models.Model):
    """One link in the chain of custody: who handed what to whom, when and why."""

    # The chain of custody is write-once: an item with entries cannot be deleted (a mistaken
    # item is corrected by a new one that refers to it).
    evidence = models.ForeignKey(
        Evidence,
        on_delete=models.PROTECT,
        related_name="custody_entries",
        verbose_name=_("evidence"),
    )
    at = models.DateTimeField(_("at"))
    action = models.CharField(
        pgettext_lazy("custody", "action"), max_length=16, choices=CustodyAction.choices
    )
    from_party = models.CharField(pgettext_lazy("custody", "from"), max_length=200, blank=True)
    to_party = models.CharField(pgettext_lazy("custody", "to"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = CustodyEntryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("custody entry")
        verbose_name_plural = _("custody entries")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evidence"],
                condition=Q(action__in=["returned", "destroyed"]),
                name="custody_single_disposal_per_evidence",
            ),
            models.CheckConstraint(
                condition=Q(action__in=CustodyAction.values), name="custody_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"

    @property
    def is_disposal(self) -> bool:
        return self.action in CustodyAction.disposals()


class Milestone(models.Model):
    """A dated entry on the incident's timeline."""

    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("incident"),
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    kind = models.CharField(_("kind"), max_length=32, choices=MilestoneKind.choices)
    title = models.CharField(_("title"), max_length=300)
    detail = models.TextField(_("detail"), blank=True)
    public = models.BooleanField(
        _("public"), default=False, help_text=_("Appears in public documents.")
    )
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("engagement"),
    )
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("finding"),
    )
    evidence = models.ForeignKey(
        Evidence,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("evidence"),
    )
    obligation = models.ForeignKey(
        "incidents.Obligation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("obligation fulfilled"),
        help_text=_(
            "For a report to the regulator: the legal clock it fulfils. Left empty, the one "
            "open clock it can fulfil is chosen (you are asked when several fit)."
        ),
    )

    objects = OfIncidentQuerySet.as_manager()
    # history: registered in incidents/translation.py, after the _ja/_en columns exist.

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["incident", "occurred_at"], name="milestone_incident_time_idx"),
            # The dashboard's key durations read the first milestone of a kind per incident.
            models.Index(
                fields=["kind", "incident", "occurred_at"], name="milestone_kind_time_idx"
            ),
            # The dashboard's latest milestones across incidents.
            models.Index(fields=["-occurred_at", "-id"], name="milestone_latest_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        require_one_language(self, "title")
        errors = {}
        incident_id = self.incident_id
        if self.engagement is not None and self.engagement.incident_id != incident_id:
            errors["engagement"] = _("This engagement belongs to another incident.")
        if self.finding is not None and self.finding.engagement.incident_id != incident_id:
            errors["finding"] = _("This finding belongs to another incident.")
        if self.evidence is not None and self.evidence.incident_id != incident_id:
            errors["evidence"] = _("This evidence belongs to another incident.")
        if errors:
            raise ValidationError(errors)
