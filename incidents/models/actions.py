"""Recurrence-prevention and remediation measures."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import (
    ActionCategory,
    ActionStatus,
)
from ..narratives import require_one_language
from .case import Incident, OfIncidentQuerySet


class ActionQuerySet(OfIncidentQuerySet):
    def open(self) -> "ActionQuerySet":
        return self.exclude(status__in=ActionStatus.closed())

    def overdue(self, today: date | None = None) -> "ActionQuerySet":
        return self.open().filter(due_date__lt=today or timezone.localdate())


class Action(models.Model):
    """A recurrence-prevention or remediation measure."""

    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="actions",
        verbose_name=_("incident"),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=16, choices=ActionCategory.choices)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    verification = models.TextField(
        _("verification"), blank=True, help_text=_("How it was verified that the measure works.")
    )

    objects = ActionQuerySet.as_manager()
    # history: registered in incidents/translation.py, after the _ja/_en columns exist.

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=ActionStatus.DONE) & Q(done_at__isnull=False))
                | (~Q(status=ActionStatus.DONE) & Q(done_at__isnull=True)),
                name="action_done_at_iff_done",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        require_one_language(self, "title")
        if self.status == ActionStatus.DONE and not self.done_at:
            raise ValidationError({"done_at": _("A done action needs the time it was done.")})
        if self.status != ActionStatus.DONE and self.done_at:
            raise ValidationError(
                {"done_at": _("Only a done action has a done time; clear it or mark it done.")}
            )

    @property
    def is_overdue(self) -> bool:
        """Derived, never stored: open and past its due date in the incident's time zone."""
        if self.status in ActionStatus.closed() or self.due_date is None:
            return False
        return self.due_date < self.incident.today()


# Legal clocks ---------------------------------------------------------------------
