"""Recurrence-prevention and remediation measures."""

import zoneinfo
from datetime import UTC, date, datetime
from functools import cache, lru_cache

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
from .case import Incident
from .queries import OfIncidentQuerySet


def _local_dates(now: datetime) -> dict[date, list[str]]:
    """The known time zones grouped by their date at `now` (at most three dates).

    Every zone's offset is a whole number of minutes, so the grouping holds for the whole
    UTC minute: it is computed once per minute.
    """
    return _local_dates_in_minute(now.astimezone(UTC).replace(second=0, microsecond=0))


@lru_cache(maxsize=4)
def _local_dates_in_minute(minute: datetime) -> dict[date, list[str]]:
    groups: dict[date, list[str]] = {}
    for name, zone in _zones():
        groups.setdefault(minute.astimezone(zone).date(), []).append(name)
    return groups


@cache
def _zones() -> tuple[tuple[str, zoneinfo.ZoneInfo], ...]:
    """Every IANA zone, loaded once (ZoneInfo keeps only a few in its own cache)."""
    return tuple((name, zoneinfo.ZoneInfo(name)) for name in sorted(zoneinfo.available_timezones()))


def overdue_action_q(
    now: datetime | None = None, *, prefix: str = "", zone: str = "incident__time_zone"
) -> Q:
    """The one rule, in SQL: open, with a due date before today in the incident's time zone.

    `prefix` is the path to the action ("actions__" from an incident), `zone` the path to
    its incident's time zone ("time_zone" when the query is over incidents). A zone's today
    is one of three dates around the UTC one; the dates that depend on the zone are decided
    by the zone's name (zones not in the IANA list count by the UTC date).
    """
    now = now or timezone.now()
    utc_today = now.astimezone(UTC).date()
    by_date = _local_dates(now)
    due = f"{prefix}due_date"
    # Before every zone's today.
    late = Q(**{f"{due}__lt": min(by_date)})
    for day in sorted(by_date):
        ahead = [name for d, names in by_date.items() if d > day for name in names]
        if day < utc_today:
            # Due on a day some zones have passed: late where the zone is not still on it.
            late |= Q(**{due: day}) & ~Q(**{f"{zone}__in": by_date[day]})
        elif ahead:
            late |= Q(**{due: day, f"{zone}__in": ahead})
    return (
        ~Q(**{f"{prefix}status__in": ActionStatus.closed()}) & Q(**{f"{due}__isnull": False}) & late
    )


class ActionQuerySet(OfIncidentQuerySet):
    def open(self) -> "ActionQuerySet":
        return self.exclude(status__in=ActionStatus.closed())

    def overdue(self, now: datetime | None = None) -> "ActionQuerySet":
        """Open and past its due date in its incident's time zone (Action.is_overdue_at)."""
        return self.filter(overdue_action_q(now))


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
        return self.is_overdue_at()

    def is_overdue_at(self, now: datetime | None = None) -> bool:
        """Derived, never stored: open and past its due date in the incident's time zone.

        The same rule as ActionQuerySet.overdue (overdue_action_q).
        """
        if self.status in ActionStatus.closed() or self.due_date is None:
            return False
        return self.due_date < self.incident.today(now)


# Legal clocks ---------------------------------------------------------------------
