"""The incident's lifecycle, the state machine behind Incident.set_status.

The allowed moves are in one map (TRANSITIONS); a move not in it raises InvalidTransition,
and every move made writes a StatusChange row.
"""

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import IncidentStatus
from ..limits import in_range
from ..timeformat import format_datetime
from .errors import InvalidTransition

if TYPE_CHECKING:
    from .case import Incident, StatusChange


# The allowed moves, in one map (Incident.TRANSITIONS). CLOSED -> INVESTIGATING is the reopen.
TRANSITIONS: dict[str, frozenset[str]] = {
    IncidentStatus.DETECTED: frozenset(
        {IncidentStatus.CONTAINED, IncidentStatus.INVESTIGATING, IncidentStatus.CLOSED}
    ),
    IncidentStatus.CONTAINED: frozenset({IncidentStatus.INVESTIGATING, IncidentStatus.RECOVERING}),
    IncidentStatus.INVESTIGATING: frozenset(
        {IncidentStatus.CONTAINED, IncidentStatus.RECOVERING, IncidentStatus.CLOSED}
    ),
    IncidentStatus.RECOVERING: frozenset({IncidentStatus.INVESTIGATING, IncidentStatus.CLOSED}),
    IncidentStatus.CLOSED: frozenset({IncidentStatus.INVESTIGATING}),
}


def allowed_transitions(incident: "Incident") -> list[str]:
    return [s for s in IncidentStatus.values if s in incident.TRANSITIONS[incident.status]]


def earliest_move(incident: "Incident") -> tuple[datetime, str] | None:
    """The earliest time a status move may be dated, and what it is, or None.

    The lifecycle starts when the incident was found: its detection (発覚日時), or its
    awareness (事態を知った日時) when that is recorded earlier; without a detection, its
    occurrence (a containment may come before the awareness); else no bound.
    """
    if incident.detected_at is not None:
        if incident.aware_at is not None and incident.aware_at < incident.detected_at:
            return incident.aware_at, "aware_at"
        return incident.detected_at, "detected_at"
    if incident.occurred_at is not None:
        return incident.occurred_at, "occurred_at"
    return None


def effective_at_problem(
    incident: "Incident", effective_at: datetime, now: datetime | None = None
) -> str | None:
    """Why a move cannot be dated `effective_at` (None when it can): the admin's form and
    the API say it beside the field; set_status refuses it."""
    now = now or timezone.now()
    if timezone.is_naive(effective_at) or not in_range(effective_at) or effective_at > now:
        return str(_("Give when the move happened: a past time between 1970 and 2100."))
    earliest = earliest_move(incident)
    if earliest is not None and effective_at < earliest[0]:
        messages = {
            "detected_at": _("The move cannot come before the detection (%(moment)s)."),
            "aware_at": _(
                "The move cannot come before the organization knew of the situation (%(moment)s)."
            ),
            "occurred_at": _("The move cannot come before the occurrence (%(moment)s)."),
        }
        return str(
            messages[earliest[1]] % {"moment": format_datetime(earliest[0], incident.tzinfo)}
        )
    if incident.pk:
        previous_at = (
            incident.status_changes.order_by("-effective_at")
            .values_list("effective_at", flat=True)
            .first()
        )
        if previous_at is not None and effective_at < previous_at:
            return str(
                _("The move cannot come before the previous one (%(previous)s).")
                % {"previous": format_datetime(previous_at, incident.tzinfo)}
            )
    return None


def set_status(
    incident: "Incident",
    new_status: str,
    *,
    by,
    note: str = "",
    effective_at: datetime | None = None,
) -> "StatusChange":
    """Move along the lifecycle; a move not in TRANSITIONS raises InvalidTransition.

    `effective_at` is when the move happened (a case entered after the fact); it may not
    be in the future, before the incident was found (earliest_move) nor before the
    previous move. Who recorded it and when is kept too.
    """
    if new_status not in IncidentStatus.values:
        raise InvalidTransition(_("“%(status)s” is not a status.") % {"status": new_status})
    if new_status not in incident.TRANSITIONS[incident.status]:
        raise InvalidTransition(
            _("An incident that is “%(current)s” cannot become “%(new)s”.")
            % {
                "current": IncidentStatus(incident.status).label,
                "new": IncidentStatus(new_status).label,
            }
        )
    now = timezone.now()
    effective_at = effective_at or now
    problem = effective_at_problem(incident, effective_at, now)
    if problem:
        raise InvalidTransition(problem)
    previous = incident.status
    incident.status = new_status
    changed = ["status", "updated_at"]
    # A back-filled move fills the fact it marks, when that fact is not recorded yet and
    # does not contradict the others: contained when contained, handling ended when closed.
    fact = {
        IncidentStatus.CONTAINED: "contained_at",
        IncidentStatus.CLOSED: "handling_ended_at",
    }.get(IncidentStatus(new_status))
    if fact and getattr(incident, fact) is None:
        # Containment may precede awareness; neither may precede the occurrence, and the
        # end of handling may not precede awareness (clean()'s rules).
        bounds = [incident.occurred_at] + (
            [incident.aware_at] if fact == "handling_ended_at" else []
        )
        earliest = [t for t in bounds if t is not None]
        if all(effective_at >= t for t in earliest):
            setattr(incident, fact, effective_at)
            changed.append(fact)
    if by is not None and getattr(by, "pk", None):
        # Its history names who moved it, through the API too (no session for simple-history).
        incident._history_user = by  # type: ignore[attr-defined]
    if note:
        # ...and why, as the history's reason for the change (変更理由).
        incident._change_reason = note  # type: ignore[attr-defined]
    try:
        incident.save(update_fields=changed)
    finally:
        incident.__dict__.pop("_history_user", None)
        incident.__dict__.pop("_change_reason", None)
    from .case import StatusChange  # case.py imports this module

    return StatusChange.objects.create(
        incident=incident,
        from_status=previous,
        to_status=new_status,
        changed_by=by,
        note=note,
        effective_at=effective_at,
        changed_at=now,
    )
