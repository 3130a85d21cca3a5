"""What the dashboard and the status page read, in a fixed number of queries.

Every function here runs a constant number of queries however many incidents there are:
counts and firsts are aggregated in the database (Count/Min with filter, subqueries),
lists are capped (the page says "showing N of M"). Need-to-know is
`Incident.objects.visible_to(user)`, applied once in `visible_incidents`.

Definitions (also on the page, see templates/dashboard/dashboard.html):
* Deadline board: obligations that apply and are not fulfilled, of visible incidents,
  open or closed (a closed case can still owe a filing). Red: past due. Amber: due within
  DUE_SOON (72 hours). Undated ones (no fixed deadline yet) come last.
* Recurrence prevention: actions by status; an open action past its due date counts as
  overdue (the same rule as ActionQuerySet.overdue: the server's date), cancelled ones
  are left out.
* Key durations, from awareness (`aware_at`) to:
  containment: `contained_at`, else the first containment milestone;
  regulator report: the earlier of the first regulator_report milestone and the first
  filed authority obligation (APPI PPC preliminary/final, GDPR/UK GDPR Art. 33);
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

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    FloatField,
    Func,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Least

from incidents.choices import ActionStatus, IncidentStatus, MilestoneKind, Severity
from incidents.models import Action, CustodyEntry, Evidence, Incident, Milestone, Obligation

DEADLINE_CAP = 50
PREVENTION_CAP = 25
DURATION_CAP = 25
MILESTONE_CAP = 20
DUE_SOON = timedelta(hours=72)
DEFAULT_PERIOD_DAYS = 365

# Filings with an authority count as "reported to the regulator".
AUTHORITY_STAGES = Q(regime="appi", stage__in=["preliminary", "final"]) | Q(
    regime__in=["gdpr", "uk-gdpr"], stage="authority"
)
DURATION_KEYS = ["containment", "regulator", "public_notice", "final_report"]
KEY_KINDS = [
    MilestoneKind.CONTAINMENT,
    MilestoneKind.REGULATOR_REPORT,
    MilestoneKind.PUBLIC_NOTICE,
    MilestoneKind.FINAL_REPORT_PUBLISHED,
]


def visible_incidents(user) -> QuerySet[Incident]:
    """The incidents this person may see; without the view permission, none."""
    if not user.has_perm("incidents.view_incident"):
        return Incident.objects.none()
    return Incident.objects.visible_to(user)


# Dashboard ------------------------------------------------------------------------


def open_by_status_and_severity(incidents: QuerySet[Incident]) -> dict:
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


def deadline_board(incidents: QuerySet[Incident], now: datetime, cap=DEADLINE_CAP):
    """The most urgent pending obligations, totals, and incidents without a clock.

    Three queries. Provisional obligations (facts not yet known) are pending like any
    other: their clock runs.
    """
    pending = Obligation.objects.filter(incident__in=incidents.values("pk")).open()
    totals = pending.aggregate(
        total=Count("id"),
        overdue=Count("id", filter=Q(due_at__lt=now)),
        due_soon=Count("id", filter=Q(due_at__gte=now, due_at__lt=now + DUE_SOON)),
        provisional=Count("id", filter=Q(provisional=True)),
    )
    unclocked = list(
        incidents.open()
        .filter(Q(regimes=[]) | Q(aware_at__isnull=True))
        .annotate(full_count=Window(Count("id")))
        .order_by("-created_at", "-id")[:cap]
    )
    rows = list(
        pending.select_related("incident", "incident__organization").order_by(
            F("due_at").asc(nulls_last=True), "id"
        )[:cap]
    )
    for row in rows:
        if row.due_at is None:
            row.urgency = "undated"
        elif row.due_at < now:
            row.urgency = "overdue"
        elif row.due_at < now + DUE_SOON:
            row.urgency = "due-soon"
        else:
            row.urgency = "pending"
        row.time_left = row.due_at - now if row.due_at else None
    return DeadlineBoard(
        rows=rows,
        now=now,
        unclocked=unclocked,
        unclocked_total=unclocked[0].full_count if unclocked else 0,
        **totals,
    )


def prevention_progress(incidents: QuerySet[Incident], today: date, cap=PREVENTION_CAP):
    """Action counts per incident: open incidents first, then the most recently updated.

    Two queries: which `cap` incidents to show (and how many have measures at all), then
    their counts, aggregated for those few only rather than for every incident.
    """
    measures = Action.objects.filter(incident=OuterRef("pk")).exclude(status=ActionStatus.CANCELLED)
    with_measures = incidents.filter(Exists(measures))
    closed_last = Case(When(status=IncidentStatus.CLOSED, then=Value(1)), default=Value(0))
    order = [closed_last, "-updated_at", "-id"]
    # The total comes with the first rows (a window over the whole set): one query.
    first_rows = list(
        with_measures.annotate(total=Window(Count("pk")))
        .order_by(*order)
        .values_list("pk", "total")[:cap]
    )
    chosen = [pk for pk, _total in first_rows]
    total = first_rows[0][1] if first_rows else 0
    late = Q(actions__due_date__lt=today)
    rows = list(
        Incident.objects.filter(pk__in=chosen)
        .annotate(
            actions_total=Count("actions", filter=~Q(actions__status=ActionStatus.CANCELLED)),
            actions_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
            actions_overdue=Count(
                "actions", filter=~Q(actions__status__in=ActionStatus.closed()) & late
            ),
            actions_in_progress=Count(
                "actions", filter=Q(actions__status=ActionStatus.IN_PROGRESS) & ~late
            ),
            actions_planned=Count(
                "actions", filter=Q(actions__status=ActionStatus.PLANNED) & ~late
            ),
        )
        .order_by(*order)
    )
    return {"rows": rows, "total": total}


class EpochSeconds(Func):
    """A timestamp as seconds since 1970 (float): cheap to read back in bulk."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        )


def _first_times(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    authority = Obligation.objects.filter(
        AUTHORITY_STAGES, incident=OuterRef("pk"), fulfilled_at__isnull=False
    ).order_by("fulfilled_at")

    def first(kind: str):
        return Min("key_milestones__occurred_at", filter=Q(key_milestones__kind=kind))

    # Join only the milestones of the four kinds that matter here, not the whole timeline.
    key_milestones = FilteredRelation("milestones", condition=Q(milestones__kind__in=KEY_KINDS))
    return incidents.annotate(key_milestones=key_milestones).annotate(
        first_containment=Coalesce("contained_at", first(MilestoneKind.CONTAINMENT)),
        first_regulator_milestone=first(MilestoneKind.REGULATOR_REPORT),
        first_authority_filing=Subquery(authority.values("fulfilled_at")[:1]),
        first_public_notice=first(MilestoneKind.PUBLIC_NOTICE),
        first_final_report=first(MilestoneKind.FINAL_REPORT_PUBLISHED),
    )


def _seconds_from_awareness(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """Each key duration in seconds, computed in SQL (NULL when not reached)."""
    firsts = _first_times(incidents)
    aware = EpochSeconds("aware_at")

    def since_aware(field: str):
        return EpochSeconds(field) - aware

    # The earlier of two moments either of which may be missing, on every backend.
    regulator = Least(
        Coalesce("first_regulator_milestone", "first_authority_filing"),
        Coalesce("first_authority_filing", "first_regulator_milestone"),
    )
    return firsts.annotate(
        aware_epoch=aware,
        s_containment=since_aware("first_containment"),
        s_regulator=EpochSeconds(regulator) - aware,
        s_public_notice=since_aware("first_public_notice"),
        s_final_report=since_aware("first_final_report"),
    )


def durations_of(row) -> dict[str, timedelta | None]:
    """Awareness -> each key moment for one annotated incident (None when not reached)."""
    regulator = [
        t for t in (row.first_regulator_milestone, row.first_authority_filing) if t is not None
    ]
    moments = {
        "containment": row.first_containment,
        "regulator": min(regulator) if regulator else None,
        "public_notice": row.first_public_notice,
        "final_report": row.first_final_report,
    }
    return {
        key: (moment - row.aware_at if moment is not None and row.aware_at else None)
        for key, moment in moments.items()
    }


def default_period(today: date) -> tuple[date, date]:
    return today - timedelta(days=DEFAULT_PERIOD_DAYS), today


def key_durations(
    incidents: QuerySet[Incident], since: date, until: date, tz, cap=DURATION_CAP
) -> dict:
    """Per-incident durations (the `cap` most recent) and medians over the period.

    One query: one row per incident aware in the period with its firsts aggregated in
    SQL, read as plain values (no model instances: there may be thousands); the medians
    are taken in Python over those rows.
    """
    start = datetime.combine(since, time.min, tzinfo=tz)
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=tz)
    values = (
        _seconds_from_awareness(incidents.filter(aware_at__gte=start, aware_at__lt=end))
        .order_by("-aware_at", "-id")
        .values_list(
            "reference",
            "title",
            "time_zone",
            "organization_id",
            "aware_epoch",
            *(f"s_{key}" for key in DURATION_KEYS),
        )
    )
    samples: dict[str, list[float]] = {key: [] for key in DURATION_KEYS}
    rows = []
    for reference, title, time_zone, organization_id, aware_epoch, *seconds in values:
        for key, value in zip(DURATION_KEYS, seconds, strict=True):
            if value is not None and value >= 0:
                samples[key].append(value)
        if len(rows) < cap:
            rows.append(
                SimpleNamespace(
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
            )
    medians = {
        key: timedelta(seconds=round(statistics.median(values))) if values else None
        for key, values in samples.items()
    }
    return {
        "rows": rows,
        "total": len(values),
        "medians": medians,
        "counts": {key: len(values) for key, values in samples.items()},
        "since": since,
        "until": until,
    }


def latest_milestones(incidents: QuerySet[Incident], cap=MILESTONE_CAP) -> list[Milestone]:
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


def find_incidents(user, reference: str, org: str | None) -> list[Incident]:
    """Visible incidents with this reference (one per organization at most). One query."""
    found = visible_incidents(user).filter(reference=reference).select_related("organization")
    if org is not None:
        found = found.filter(organization_id=org) if org.isdigit() else found.none()
    return list(found.order_by("organization__name_ja", "pk"))


def evidence_with_custody(incident: Incident) -> list[Evidence]:
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
