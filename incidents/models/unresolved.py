"""Items of the regulator's report that stayed unknown after the investigation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import PPCItem
from ..limits import validate_in_range
from ..timeformat import format_datetime
from .case import Incident
from .queries import OfIncidentQuerySet


class UnresolvedItem(models.Model):
    """An item of the PPC report that stayed unknown after the investigation, and why.

    The final report states it as such ("特定できず: <reason>") instead of a gap; the reason is
    kept in both languages, and a reason missing in the document's language is a gap.
    """

    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="unresolved_items",
        verbose_name=_("incident"),
    )
    item = models.CharField(_("item"), max_length=32, choices=PPCItem.choices)
    reason_ja = models.TextField(_("reason (Japanese)"), blank=True)
    reason_en = models.TextField(_("reason (English)"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # When it was determined that the item stays unknown: what a document dated before it
    # does not know yet. Set by whoever records a case after the fact (like a status move's
    # effective time); recorded_at stays when the row was written.
    determined_at = models.DateTimeField(
        _("determined at"),
        default=timezone.now,
        validators=[validate_in_range],
        help_text=_(
            "When it was determined that the item stays unknown (default: now); for a case "
            "entered after the fact. Documents dated before it do not state it."
        ),
    )

    objects = OfIncidentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("item unknown after the investigation")
        verbose_name_plural = _("items unknown after the investigation")
        ordering = ["incident", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "item"],
                name="unresolved_item_unique",
                violation_error_message=_("This item is already recorded for the incident."),
            ),
            models.CheckConstraint(
                condition=Q(item__in=PPCItem.values), name="unresolved_item_valid"
            ),
            models.CheckConstraint(
                condition=~Q(reason_ja="") | ~Q(reason_en=""),
                name="unresolved_item_has_reason",
                violation_error_message=_("Say why the item could not be determined."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident.reference}: {self.get_item_display()}"

    def clean(self) -> None:
        at = self.determined_at
        if at is None or timezone.is_naive(at):
            return
        if at > timezone.now():
            raise ValidationError(
                {"determined_at": _("This has not happened yet: it cannot be in the future.")}
            )
        incident = self.incident if self.incident_id else None
        if incident is not None and incident.aware_at is not None and at < incident.aware_at:
            raise ValidationError(
                {
                    "determined_at": _(
                        "The organization became aware of the incident at %(aware)s: what "
                        "stayed unknown after the investigation cannot be determined earlier."
                    )
                    % {"aware": format_datetime(incident.aware_at, incident.tzinfo)}
                }
            )

    def reason(self, language: str) -> str:
        return getattr(self, f"reason_{language}", "") or ""
