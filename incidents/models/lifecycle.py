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
    be in the future nor before the previous move. Who recorded it and when is kept too.
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
    if timezone.is_naive(effective_at) or not in_range(effective_at) or effective_at > now:
        raise InvalidTransition(
            _("Give when the move happened: a past time between 1970 and 2100.")
        )
    previous_at = (
        incident.status_changes.order_by("-effective_at")
        .values_list("effective_at", flat=True)
        .first()
    )
    if previous_at is not None and effective_at < previous_at:
        raise InvalidTransition(
            _("The move cannot come before the previous one (%(previous)s).")
            % {"previous": format_datetime(previous_at, incident.tzinfo)}
        )
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
    try:
        incident.save(update_fields=changed)
    finally:
        incident.__dict__.pop("_history_user", None)
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
