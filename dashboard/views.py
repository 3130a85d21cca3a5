"""The executives' pages: the dashboard and an incident's status page (read-only).

`/incidents/<reference>/` looks the reference up among the incidents the person may see.
References are unique across organizations (each organization's code is their prefix).
An incident the person may not see is a 404, never a 403.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from incidents.choices import (
    ActionStatus,
    CustodyAction,
    IncidentStatus,
    MilestoneKind,
    ObligationState,
    Severity,
)
from incidents.limits import EARLIEST_DATE, LATEST_DATE, in_range
from incidents.models import Incident
from incidents.services import timeline
from reporting.choices import ReportStatus
from reporting.models import Report
from scope.progress import dashboard_rows as scope_dashboard_rows
from scope.progress import incident_rows as scope_incident_rows

from . import charts, queries
from .templatetags.dashboard import span

LOGIN_URL = reverse_lazy("admin:login")


def severity_series() -> list[charts.Series]:
    """Built per request: the labels are in the reader's language."""
    return [charts.Series(value, str(label), f"sev-{value}") for value, label in Severity.choices]


def status_url(incident: Incident) -> str:
    return reverse("incident-status", args=[incident.reference])


def _parse_day(value: str | None) -> tuple[date | None, bool]:
    """The day given (None when none is), and whether what was given is a day."""
    if not value:
        return None, True
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None, False
    return (day, True) if in_range(day) else (None, False)


@require_GET
@login_required(login_url=LOGIN_URL)
def dashboard(request):
    now = timezone.now()
    today = timezone.localdate(now)
    incidents = queries.visible_incidents(request.user)

    since, since_ok = _parse_day(request.GET.get("since"))
    until, until_ok = _parse_day(request.GET.get("until"))
    period_error = ""
    if not (since_ok and until_ok):
        period_error = _(
            "Dates are written YYYY-MM-DD, between %(earliest)s and %(latest)s; "
            "the default period is shown."
        ) % {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}
        since = until = None
    if since is None or until is None:
        # One default, however it is reached (no date given or a wrong one): the one that
        # follows the data (finding the newest case costs a query only when it is needed).
        default_since, default_until = queries.default_period(
            today, incidents if since is None else None
        )
        if since is None:
            since, until = default_since, until or default_until
        else:
            until = default_until
    if since > until:
        period_error = _("The period ends before it starts; the two dates were swapped.")
        since, until = until, since

    by_status = queries.open_by_status_and_severity(incidents)
    board = queries.deadline_board(incidents, now)
    prevention = queries.prevention_progress(incidents, now)
    durations = queries.key_durations(incidents, since, until, timezone.get_current_timezone())
    milestones = queries.latest_milestones(incidents)
    scope_rows = []
    if request.user.has_perm("scope.view_asset"):
        scope_rows = scope_dashboard_rows(incidents)
        for row in scope_rows:
            row.status_url = status_url(row.incident)

    for row in board.rows + prevention["rows"] + durations["rows"]:
        incident = getattr(row, "incident", row)
        row.status_url = status_url(incident)
    for milestone in milestones:
        milestone.status_url = status_url(milestone.incident)
    for incident in board.unclocked:
        incident.status_url = status_url(incident)

    status_chart = charts.stacked_bars(
        [
            charts.BarRow(str(IncidentStatus(status).label), values)
            for status, values in by_status["counts"].items()
        ],
        severity_series(),
        title=_("Open incidents by status and severity"),
    )
    prevention_chart = charts.stacked_bars(
        [
            progress_row(
                f"{row.reference} {row.title}",
                row,
                href=row.status_url,
                note=_("%(done)s of %(total)s done")
                % {"done": row.actions_done, "total": row.actions_total},
            )
            for row in prevention["rows"]
        ],
        progress_series(),
        title=_("Recurrence-prevention progress"),
    )
    labels = duration_labels()
    median_chart = charts.stacked_bars(
        [
            charts.BarRow(
                labels[key],
                {"days": value.total_seconds() / 86400 if value is not None else 0},
                note=span(value) if value is not None else _("no data"),
            )
            for key, value in durations["medians"].items()
        ],
        [charts.Series("days", _("Median"), "median")],
        title=_("Median time from awareness"),
    )
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "now": now,
            "by_status": by_status,
            "severities": Severity.choices,
            "statuses": [
                (str(IncidentStatus(s).label), values) for s, values in by_status["counts"].items()
            ],
            "board": board,
            "prevention": prevention,
            "durations": durations,
            "duration_labels": labels,
            "milestones": milestones,
            "status_chart": status_chart,
            "prevention_chart": prevention_chart,
            "median_chart": median_chart,
            "since": since,
            "until": until,
            "period_error": period_error,
            "scope_rows": scope_rows,
        },
    )


def progress_row(label: str, row, **extra) -> charts.BarRow:
    """One bar of measures from an incident annotated by queries.with_action_counts."""
    values = {
        "done": row.actions_done,
        "in_progress": row.actions_in_progress,
        "planned": row.actions_planned,
        "overdue": row.actions_overdue,
    }
    return charts.BarRow(label, values, **extra)


def progress_series() -> list[charts.Series]:
    return [
        charts.Series("done", _("Done"), "act-done"),
        charts.Series("in_progress", _("In progress"), "act-in-progress"),
        charts.Series("planned", _("Planned"), "act-planned"),
        charts.Series("overdue", _("Overdue"), "act-overdue"),
    ]


def duration_labels() -> dict[str, str]:
    return {
        "containment": _("Awareness → containment"),
        "regulator": _("Awareness → regulator report"),
        "public_notice": _("Awareness → public notice"),
        "final_report": _("Awareness → final report"),
    }


@require_GET
@login_required(login_url=LOGIN_URL)
def incident_status(request, reference: str):
    now = timezone.now()
    incident = queries.find_incident(request.user, reference, now)
    if incident is None:
        raise Http404
    entries = timeline(incident)
    obligations = list(
        incident.obligations.with_state(now).order_by(F("due_at").asc(nulls_last=True), "id")
    )
    for obligation in obligations:
        obligation.state_label = ObligationState(obligation.state).label
    actions = list(incident.actions.all())
    evidence = queries.evidence_with_custody(incident)
    for item in evidence:
        # Labels the template reads on the row.
        # Both from the same custody entry: set together or not at all.
        disposed = item.disposed_at and item.disposal_action
        disposal = CustodyAction(disposed).label if disposed else ""
        last = CustodyAction(item.last_action).label if item.last_action else ""
        item.disposal_label = disposal  # type: ignore[attr-defined]
        item.last_action_label = last  # type: ignore[attr-defined]
    scope_progress = []
    if request.user.has_perm("scope.view_asset"):
        scope_progress = scope_incident_rows(incident)
    reports = []
    if request.user.has_perm("reporting.view_report"):
        reports = list(
            Report.objects.filter(incident=incident).order_by("kind", "language", "-version")
        )
        for report in reports:
            if report.status == ReportStatus.READY and report.file:
                report.url = reverse("report-pdf", args=[report.pk])  # type: ignore[attr-defined]

    labels = duration_labels()
    durations = [(labels[key], value) for key, value in queries.durations_of(incident).items()]
    for action in actions:  # the row's mark: the model's rule, as the counts' in SQL
        action.overdue = action.is_overdue_at(now)  # type: ignore[attr-defined]
    progress = charts.stacked_bars(
        [progress_row(_("Actions"), incident)],
        progress_series(),
        title=_("Recurrence-prevention progress"),
    )
    # The page speaks the incident's time: every date below is shown in its zone.
    timezone.activate(incident.tzinfo)
    try:
        return render(
            request,
            "dashboard/incident.html",
            {
                "incident": incident,
                "now": now,
                "entries": entries,
                "obligations": obligations,
                "actions": actions,
                "evidence": evidence,
                "reports": reports,
                "scope_progress": scope_progress,
                "can_view_reports": request.user.has_perm("reporting.view_report"),
                "durations": durations,
                "timeline_chart": incident_timeline_chart(incident, entries, obligations, actions),
                "progress_chart": progress,
                "local_now": now.astimezone(incident.tzinfo),
            },
        )
    finally:
        timezone.deactivate()


STATE_CSS = {
    ObligationState.PENDING: "ob-pending",
    ObligationState.DUE_SOON: "ob-due-soon",
    ObligationState.PROVISIONAL: "ob-due-soon",
    ObligationState.OVERDUE: "ob-overdue",
    ObligationState.FULFILLED: "ob-fulfilled",
    ObligationState.NOT_APPLICABLE: "ob-na",
}


def incident_timeline_chart(incident, entries, obligations, actions):
    """Milestones by kind on the incident's time axis, legal deadlines as vertical lines."""
    tz = incident.tzinfo
    lanes = []
    for kind, label in MilestoneKind.choices:
        points = [
            charts.Point(entry.at, entry.title, css=f"kind-{kind}")
            for entry in entries
            if entry.kind == kind
        ]
        if points:
            lanes.append(charts.Lane(str(label), points, css="milestone"))
    deadlines = charts.Lane(_("Legal deadlines"), css="obligation")
    markers = []
    if incident.aware_at:
        markers.append(charts.Marker(incident.aware_at, _("Aware: the clocks start"), "aware"))
    for obligation in obligations:
        if not obligation.applies:
            continue
        css = STATE_CSS.get(obligation.state, "")
        if obligation.due_at:
            markers.append(
                charts.Marker(
                    obligation.due_at, _("Due: %(what)s") % {"what": obligation.label}, css
                )
            )
            deadlines.points.append(
                charts.Point(
                    obligation.due_at,
                    _("Due: %(what)s") % {"what": obligation.label},
                    css=css,
                    shape="diamond",
                )
            )
        if obligation.fulfilled_at:
            deadlines.points.append(
                charts.Point(
                    obligation.fulfilled_at,
                    _("Filed: %(what)s") % {"what": obligation.label},
                    css="ob-fulfilled",
                    shape="square",
                )
            )
    if deadlines.points:
        lanes.append(deadlines)
    action_lane = charts.Lane(_("Actions"), css="action")
    for action in actions:
        if action.done_at:
            action_lane.points.append(
                charts.Point(
                    action.done_at, _("Done: %(what)s") % {"what": action.title}, css="act-done"
                )
            )
        elif action.due_date and action.status != ActionStatus.CANCELLED:
            due = datetime.combine(action.due_date, time.max, tzinfo=tz) - timedelta(minutes=1)
            action_lane.points.append(
                charts.Point(
                    due,
                    _("Due: %(what)s") % {"what": action.title},
                    css="act-overdue" if action.overdue else "act-in-progress",
                    shape="diamond",
                )
            )
    if action_lane.points:
        lanes.append(action_lane)
    return charts.timeline_chart(
        lanes,
        markers,
        tz=tz,
        title=_("Timeline of %(reference)s") % {"reference": incident.reference},
        tz_label=incident.time_zone,
    )
