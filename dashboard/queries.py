"""What the dashboard and the status page read, in a fixed number of queries.

Every function here runs a constant number of queries however many incidents there are:
counts and firsts are aggregated in the database (Count/Min with filter, subqueries),
lists are capped (the page says "showing N of M"). Need-to-know is
`Incident.objects.visible_to(user)`, applied once in `visible_incidents`.

Definitions (also on the page, see templates/dashboard/dashboard.html):
* Deadline board: obligations that apply and are not fulfilled, of visible incidents,
  open or closed (a closed case can still owe a filing), each in its state as
  ObligationQuerySet.with_state defines it (the admin and the status page show the same).
  Red: overdue. Amber: due soon (from each rule's own `soon_from`) or provisional. Undated
  ones (no fixed deadline yet) come last.
* Recurrence prevention: actions by status; an open action past its due date in its
  incident's time zone counts as overdue (ActionQuerySet.overdue's rule), cancelled ones
  are left out.
* Key durations, from awareness (`aware_at`) to:
  containment: `contained_at`, else the first containment milestone;
  regulator report: the earlier of the first regulator_report milestone and the first
  filing with an authority (Obligation.is_filed_with_authority);
  public notice: the first public_notice milestone;
  final report: the first final_report_published milestone.
  An incident belongs to the period when its awareness falls in it. Negative durations
  (a date entered before awareness) are left out of the medians.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, TypedDict

from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from incidents.choices import ActionStatus, IncidentStatus, ObligationState, Severity
from incidents.models import Action, CustodyEntry, Evidence, Incident, Milestone, Obligation
from incidents.models.actions import overdue_action_q
from incidents.models.queries import CLOSED_INCIDENT, IncidentQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

DEADLINE_CAP = 50
PREVENTION_CAP = 25
DURATION_CAP = 25
MILESTONE_CAP = 20
DEFAULT_PERIOD_DAYS = 365

DURATION_KEYS = ["containment", "regulator", "public_notice", "final_report"]


def visible_incidents(user) -> QuerySet[Incident]:
    """The incidents this person may see; without the view permission, none."""
    if not user.has_perm("incidents.view_incident"):
        return Incident.objects.none()
    return Incident.objects.visible_to(user)


# Dashboard ------------------------------------------------------------------------


def open_by_status_and_severity(incidents: IncidentQuerySet) -> dict:
    """{status: {severity: n}} for incidents not closed, plus the total. One query."""
    counts = {s: dict.fromkeys(Severity.values, 0) for s in IncidentStatus.values}
    counts.pop(IncidentStatus.CLOSED)
    rows = incidents.open().order_by().values("status", "severity").annotate(n=Count("id"))
    total = 0
    for row in rows:
        counts[row["status"]][row["severity"]] = row["n"]
        total += row["n"]
    return {"counts": counts, "total": total}


@dataclass
class DeadlineBoard:
    rows: list[Obligation]
    total: int
    overdue: int
    due_soon: int
    provisional: int
    now: datetime
    # Open incidents whose clocks cannot run: no regime ticked, or awareness not recorded.
    unclocked: list[Incident]
    unclocked_total: int


# The board's row class for each state of an open obligation.
BOARD_CLASS = {
    ObligationState.OVERDUE: "overdue",
    ObligationState.DUE_SOON: "due-soon",
    ObligationState.PROVISIONAL: "provisional",
    ObligationState.PENDING: "pending",
}


def deadline_board(incidents: IncidentQuerySet, now: datetime, cap=DEADLINE_CAP):
    """The most urgent pending obligations, totals, and incidents without a clock.

    Three queries. Provisional obligations (facts not yet known) are pending like any
    other: their clock runs. The counts read the one state rule (with_state): a provisional
    obligation past its due time counts as overdue, not provisional.
    """
    pending = Obligation.objects.filter(incident__in=incidents.values("pk")).open().with_state(now)
    totals = pending.aggregate(
        total=Count("id"),
        overdue=Count("id", filter=Q(state=ObligationState.OVERDUE)),
        due_soon=Count("id", filter=Q(state=ObligationState.DUE_SOON)),
        provisional=Count("id", filter=Q(state=ObligationState.PROVISIONAL)),
    )
    unclocked = list(
        incidents.open()
        .filter(Q(regimes=[]) | Q(aware_at__isnull=True))
        .with_recipients()
        .annotate(full_count=Window(Count("id")))
        .order_by("-created_at", "-id")[:cap]
    )
    rows = list(
        pending.select_related("incident", "incident__organization").order_by(
            F("due_at").asc(nulls_last=True), "id"
        )[:cap]
    )
    for row in rows:
        row.urgency = "undated" if row.due_at is None else BOARD_CLASS[row.state]
        row.state_label = ObligationState(row.state).label
        row.time_left = row.due_at - now if row.due_at else None
    return DeadlineBoard(
        rows=rows,
        now=now,
        unclocked=unclocked,
        unclocked_total=unclocked[0].full_count if unclocked else 0,
        **totals,
    )


def prevention_progress(incidents: IncidentQuerySet, now: datetime, cap=PREVENTION_CAP):
    """Action counts per incident: open incidents first, then the most recently updated.

    Three queries: which `cap` open incidents to show (read from the updated_at index's
    latest end, stopping after `cap`), which closed ones fill the rest, then their counts
    aggregated for those few only, with the number of all incidents that have measures.
    """
    measures = Action.objects.filter(incident=OuterRef("pk")).exclude(status=ActionStatus.CANCELLED)
    with_measures = incidents.filter(Exists(measures))
    latest = ["-updated_at", "-id"]
    chosen = list(with_measures.open().order_by(*latest).values_list("pk", flat=True)[:cap])
    chosen = (
        chosen + list(with_measures.closed().order_by(*latest).values_list("pk", flat=True)[:cap])
    )[:cap]
    if not chosen:
        return {"rows": [], "total": 0}
    # COUNT as a plain function: one row over the whole set, no GROUP BY.
    total = with_measures.order_by().annotate(
        n=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    closed_last = Case(When(CLOSED_INCIDENT, then=Value(1)), default=Value(0))
    rows = list(
        with_action_counts(Incident.objects.filter(pk__in=chosen), now)
        .annotate(total=Subquery(total.values("n")[:1]))
        .order_by(closed_last, *latest)
    )
    return {"rows": rows, "total": rows[0].total if rows else 0}


def with_action_counts(incidents: QuerySet[Incident], now: datetime) -> QuerySet[Incident]:
    """Annotate each incident's measures by bucket as of `now`: done, in progress, planned and
    overdue (an open measure past its due date in its incident's time zone, counted there
    and nowhere else), and all but the cancelled. The dashboard's chart and the status
    page's read these."""
    late = overdue_action_q(now, prefix="actions__", zone="time_zone")
    return incidents.annotate(
        actions_total=Count("actions", filter=~Q(actions__status=ActionStatus.CANCELLED)),
        actions_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
        actions_overdue=Count("actions", filter=late),
        actions_in_progress=Count(
            "actions", filter=Q(actions__status=ActionStatus.IN_PROGRESS) & ~late
        ),
        actions_planned=Count("actions", filter=Q(actions__status=ActionStatus.PLANNED) & ~late),
    )


class EpochSeconds(Func):
    """A timestamp as seconds since 1970 (float): cheap to read back in bulk."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        )


def _seconds_from_awareness(incidents: IncidentQuerySet) -> IncidentQuerySet:
    """Each key duration in seconds, computed in SQL (NULL when not reached).

    The first moments are kept on the incident row (incidents/keytimes.py): no milestone
    or obligation is read here.
    """
    aware = EpochSeconds("aware_at")
    return incidents.annotate(
        aware_epoch=aware,
        **{f"s_{key}": EpochSeconds(moment) - aware for key, moment in key_moments().items()},
    )


def key_moments() -> dict:
    """The key moments the durations run to from awareness, as expressions over the
    incident's row (the first moments kept on it, incidents/keytimes.py); in DURATION_KEYS'
    order. Containment prefers the recorded `contained_at`."""
    return {
        "containment": Coalesce("contained_at", "first_containment_milestone_at"),
        "regulator": F("first_regulator_report_at"),
        "public_notice": F("first_public_notice_at"),
        "final_report": F("first_final_report_at"),
    }


def with_key_moments(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """Annotate `moment_<key>` for each of DURATION_KEYS (key_moments); durations_of reads
    them."""
    return incidents.annotate(**{f"moment_{key}": e for key, e in key_moments().items()})


def durations_of(incident: Incident) -> dict[str, timedelta | None]:
    """Awareness -> each key moment of one incident annotated by with_key_moments (None when
    not reached): the same moments the dashboard's durations read."""
    aware = incident.aware_at
    return {
        key: (moment - aware if (moment := getattr(incident, f"moment_{key}")) and aware else None)
        for key in DURATION_KEYS
    }


def default_period(today: date, incidents: QuerySet[Incident] | None = None) -> tuple[date, date]:
    """The last year; when the newest incident the reader sees that has a duration to show
    (a key moment after awareness) is older (a past case entered after the fact, a quiet
    year, a new case with nothing yet), the year up to it, so the durations show the data
    there is. One query when `incidents` is given."""
    since = today - timedelta(days=DEFAULT_PERIOD_DAYS)
    if incidents is not None:
        with_data = (
            Q(contained_at__isnull=False)
            | Q(first_containment_milestone_at__isnull=False)
            | Q(first_regulator_report_at__isnull=False)
            | Q(first_public_notice_at__isnull=False)
            | Q(first_final_report_at__isnull=False)
        )
        newest = incidents.filter(with_data).aggregate(newest=Max("aware_at"))["newest"]
        if newest is not None and timezone.localdate(newest) < since:
            since = timezone.localdate(newest) - timedelta(days=DEFAULT_PERIOD_DAYS)
    return since, today


class Median(Aggregate):
    """PostgreSQL's exact median (the mean of the two middle values, as statistics.median)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _row(reference, title, time_zone, organization_id, aware_epoch, *seconds):
    return SimpleNamespace(
        reference=reference,
        title=title,
        time_zone=time_zone,
        organization_id=organization_id,
        aware_at=datetime.fromtimestamp(round(aware_epoch), tz=UTC),
        durations={
            key: None if value is None else timedelta(seconds=round(value))
            for key, value in zip(DURATION_KEYS, seconds, strict=True)
        },
    )


def key_durations(
    incidents: IncidentQuerySet, since: date, until: date, tz, cap=DURATION_CAP
) -> dict:
    """Per-incident durations (the `cap` most recent) and medians over the period.

    Over the incident rows alone (their first moments are kept on them). On PostgreSQL
    two queries: the medians and counts aggregated in the database, then the `cap` rows
    shown; elsewhere one query reading every incident of the period as plain values, the
    medians taken in Python.
    """
    start = datetime.combine(since, time.min, tzinfo=tz)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz)
    in_period = _seconds_from_awareness(incidents.filter(aware_at__gte=start, aware_at__lt=end))
    columns = [
        "reference",
        "title",
        "time_zone",
        "organization_id",
        "aware_epoch",
        *(f"s_{key}" for key in DURATION_KEYS),
    ]
    ordered = in_period.order_by("-aware_at", "-id")
    if connection.vendor == "postgresql":
        reached = {key: Q(**{f"s_{key}__gte": 0}) for key in DURATION_KEYS}
        found = in_period.aggregate(
            total=Count("id"),
            **{f"median_{key}": Median(f"s_{key}", filter=reached[key]) for key in DURATION_KEYS},
            **{f"count_{key}": Count("id", filter=reached[key]) for key in DURATION_KEYS},
        )
        rows = (
            [_row(*values) for values in ordered.values_list(*columns)[:cap]]
            if found["total"]
            else []
        )
        medians = {
            key: None
            if found[f"median_{key}"] is None
            else timedelta(seconds=round(found[f"median_{key}"]))
            for key in DURATION_KEYS
        }
        counts = {key: found[f"count_{key}"] for key in DURATION_KEYS}
        total = found["total"]
    else:
        samples: dict[str, list[float]] = {key: [] for key in DURATION_KEYS}
        rows = []
        total = 0
        for values in ordered.values_list(*columns):
            total += 1
            for key, value in zip(DURATION_KEYS, values[5:], strict=True):
                if value is not None and value >= 0:
                    samples[key].append(value)
            if len(rows) < cap:
                rows.append(_row(*values))
        medians = {
            key: timedelta(seconds=round(statistics.median(found))) if found else None
            for key, found in samples.items()
        }
        counts = {key: len(found) for key, found in samples.items()}
    return {
        "rows": rows,
        "total": total,
        "medians": medians,
        "counts": counts,
        "since": since,
        "until": until,
    }


def latest_milestones(incidents: IncidentQuerySet, cap=MILESTONE_CAP) -> list[Milestone]:
    """The latest `cap` milestones across the incidents, in one query.

    The (occurred_at, id) index is read from its latest end and stops after `cap` rows
    that belong to a visible incident: no per-incident work at all.
    """
    return list(
        Milestone.objects.filter(incident__in=incidents.values("pk"))
        .select_related("incident", "incident__organization")
        .order_by("-occurred_at", "-id")[:cap]
    )


# Status page ----------------------------------------------------------------------


def find_incident(user, reference: str, now: datetime | None = None) -> Incident | None:
    """The visible incident with this reference (unique across organizations; capitals, so
    taken as typed). One query. With `now`, the status page's figures in the same query:
    its measures' counts as of `now` (with_action_counts) and its key moments
    (with_key_moments)."""
    found = visible_incidents(user).filter(reference=reference.upper())
    if now is not None:
        found = with_key_moments(with_action_counts(found, now))
    return found.select_related("organization").first()


class Custody(TypedDict):
    """What evidence_with_custody annotates each item with."""

    custody_count: int
    last_action: str | None
    last_at: datetime | None
    last_holder: str | None
    disposed_at: datetime | None
    disposal_action: str | None


def evidence_with_custody(incident: Incident) -> list[WithAnnotations[Evidence, Custody]]:
    """Each item with its latest custody entry (where it is now) and its disposal."""
    latest = CustodyEntry.objects.filter(evidence=OuterRef("pk")).order_by("-at", "-id")
    return list(
        incident.evidence.with_disposal()
        .annotate(
            custody_count=Count("custody_entries"),
            last_action=Subquery(latest.values("action")[:1]),
            last_at=Subquery(latest.values("at")[:1]),
            last_holder=Subquery(latest.values("to_party")[:1]),
        )
        .order_by("label")
    )
