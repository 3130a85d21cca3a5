"""Every write that touches several rows or has side effects: admin, API and commands call these."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import CustodyAction, FilingChannel, MilestoneKind
from .models import (
    CustodyClosed,
    CustodyEntry,
    Evidence,
    EvidenceFileRefused,
    Incident,
    IncidentError,
    Milestone,
    Organization,
    StatusChange,
)
from .obligations import (
    check_filing,
    check_individual_notice,
    obligation_to_fulfil,
    recompute_obligations,
    record_filing,
    record_individual_notice,
    regulator_report_obligation,
)

__all__ = [
    "add_evidence",
    "change_status",
    "check_evidence_file",
    "check_filing",
    "check_individual_notice",
    "obligation_to_fulfil",
    "save_new_evidence",
    "check_custody_open",
    "open_incident",
    "record_custody",
    "record_filing",
    "record_individual_notice",
    "save_milestone",
    "recompute_obligations",
    "save_incident",
    "save_new_incident",
    "timeline",
]

REFERENCE_ATTEMPTS = 5


def open_incident(*, organization: Organization, user, members=(), **fields) -> Incident:
    """Create an incident from its facts (see save_new_incident)."""
    return save_new_incident(
        Incident(organization=organization, **fields), user=user, members=members
    )


@transaction.atomic
def save_new_incident(incident: Incident, *, user, members=()) -> Incident:
    """Save a new incident under the next free reference of its organization and year.

    The people named (or else the user who opened it) become its members.
    """
    # Serialise reference numbering per organization (a no-op lock on SQLite, which
    # serialises writers anyway; the unique constraint is the last word).
    organization = (
        Organization.objects.select_for_update().filter(pk=incident.organization_id).first()
    )
    if not incident.regimes and organization is not None:
        # Every incident starts under a regime: a clock that may run, runs.
        incident.regimes = list(organization.default_regimes)
    incident.full_clean(exclude=["reference"])
    for attempt in range(REFERENCE_ATTEMPTS):
        incident.reference = incident.next_reference()
        try:
            with transaction.atomic():
                incident.save()
            break
        except IntegrityError:
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
    incident.members.add(*members)
    if user is not None and user.pk and not members:
        incident.members.add(user)
    recompute_obligations(incident)
    return incident


_UNSET = object()


def awareness_change_needs_reason(incident: Incident, new_aware_at=_UNSET) -> bool:
    """Moving "knew of the situation" after a filing was recorded must be explained.

    `new_aware_at` is the value about to be saved (default: the one on `incident`).
    """
    if not incident.pk:
        return False
    if new_aware_at is _UNSET:
        new_aware_at = incident.aware_at
    stored = Incident.objects.filter(pk=incident.pk).values_list("aware_at", flat=True).first()
    return (
        stored != new_aware_at and incident.obligations.filter(fulfilled_at__isnull=False).exists()
    )


@transaction.atomic
def save_incident(incident: Incident, *, user, update_fields=None, reason: str = "") -> Incident:
    """Save a changed incident (already validated) and bring its legal clocks in line.

    Changing the moment of awareness after a filing needs a reason, kept in the history;
    the filings stay as they were and the clocks are recomputed.
    """
    if awareness_change_needs_reason(incident) and not reason.strip():
        raise IncidentError(
            _(
                "A filing was already recorded: give a reason for changing when the "
                "organization knew of the situation."
            )
        )
    if reason.strip():
        # django-simple-history reads the reason from this attribute.
        incident._change_reason = reason.strip()  # type: ignore[attr-defined]
    incident.save(update_fields=update_fields)
    recompute_obligations(incident)
    return incident


def milestone_fulfils(milestone: Milestone):
    """The open obligation a new report-to-the-regulator milestone fulfils, checked.

    Raises FilingRefused (with the message to show) when several fit or the filing cannot
    be recorded; None when it fulfils nothing (another kind, or nothing open).
    """
    if milestone.kind != MilestoneKind.REGULATOR_REPORT or milestone.incident_id is None:
        return None
    if milestone.pk and milestone.obligation_id is None:
        stored = Milestone.objects.filter(pk=milestone.pk).values_list("kind", flat=True).first()
        if stored == MilestoneKind.REGULATOR_REPORT:
            return None  # an older entry: it was recorded as it was
    obligation = regulator_report_obligation(milestone.incident, milestone.obligation)
    if obligation is None or obligation.fulfilled_at is not None:
        return None
    check_filing(obligation, at=milestone.occurred_at, channel=FilingChannel.OTHER)
    return obligation


@transaction.atomic
def save_milestone(milestone: Milestone, *, user):
    """Save a timeline entry; a report to the regulator fulfils the legal clock it answers.

    Returns the obligation it fulfilled, if any (the caller says which).
    """
    obligation = milestone_fulfils(milestone)
    if obligation is not None:
        milestone.obligation = obligation
    milestone.save()
    if obligation is not None:
        record_filing(
            obligation,
            user=user,
            at=milestone.occurred_at,
            channel=FilingChannel.OTHER,
            note=_("Recorded from the timeline: %(title)s") % {"title": milestone.title},
        )
    return obligation


@transaction.atomic
def change_status(
    incident: Incident, new_status: str, *, user, note: str = "", effective_at=None
) -> StatusChange:
    """Move the incident along its lifecycle, re-reading the row so two people cannot race."""
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    change = locked.set_status(new_status, by=user, note=note, effective_at=effective_at)
    incident.status = locked.status
    return change


def check_custody_open(evidence: Evidence, *, pending: Sequence[str] = ()) -> None:
    """After a disposal (destroyed, returned) no entry can follow.

    ``pending`` are actions of entries about to be recorded together, in order.
    """
    disposal = evidence.custody_entries.filter(action__in=CustodyAction.disposals()).first()
    if disposal is not None:
        raise CustodyClosed(
            _("“%(label)s” was %(action)s on %(date)s; no custody entry can follow.")
            % {
                "label": evidence.label,
                "action": disposal.get_action_display().lower(),
                "date": disposal.at.astimezone(evidence.incident.tzinfo).strftime("%Y-%m-%d"),
            }
        )
    for index, action in enumerate(pending):
        if action in CustodyAction.disposals() and index != len(pending) - 1:
            raise CustodyClosed(
                _("After “%(action)s” no custody entry can follow.")
                % {"action": CustodyAction(action).label}
            )


@transaction.atomic
def record_custody(
    evidence: Evidence,
    *,
    user,
    at: datetime,
    action: str,
    from_party: str = "",
    to_party: str = "",
    note: str = "",
) -> CustodyEntry:
    """Append one link to the chain of custody; refuse anything after a disposal."""
    locked = Evidence.objects.select_for_update().select_related("incident").get(pk=evidence.pk)
    check_custody_open(locked)
    if action not in CustodyAction.values:
        raise CustodyClosed(_("“%(action)s” is not a custody action.") % {"action": action})
    entry = CustodyEntry(
        evidence=locked,
        at=at,
        action=action,
        from_party=from_party,
        to_party=to_party,
        note=note,
        recorded_by=user if user is not None and user.pk else None,
    )
    entry.full_clean()
    entry.save()
    return entry


def check_evidence_file(upload) -> None:
    """The one check of an evidence upload (admin and API): size, then type."""
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise EvidenceFileRefused(
            _(
                "Evidence files may be at most %(limit)d bytes (%(mb)s MB); "
                "this one has %(actual)d bytes."
            )
            % {"limit": limit, "mb": f"{limit / (1024 * 1024):g}", "actual": upload.size},
            api_status=413,
        )
    allowed = settings.EVIDENCE_ALLOWED_EXTENSIONS
    if allowed and PurePath(upload.name or "").suffix.lower().lstrip(".") not in allowed:
        raise EvidenceFileRefused(
            _(
                "Files of this type are not accepted as evidence (allowed: %(types)s). "
                "Put samples of malware in a password-protected zip."
            )
            % {"types": ", ".join(sorted(allowed))},
            api_status=415,
        )


@transaction.atomic
def save_evidence_change(evidence: Evidence, *, user) -> Evidence:
    """Save a change of a recorded evidence item (admin and API).

    Its file stays as stored (Evidence.save refuses a replacement or removal). An item
    recorded without a file may get one, once, while its custody is open: checked like
    every upload, and the chain of custody says who attached it, when, and its SHA-256.
    """
    stored = Evidence.objects.filter(pk=evidence.pk).values_list("file", flat=True).first()
    attaching = not stored and bool(evidence.file)
    if attaching:
        check_evidence_file(evidence.file)
        check_custody_open(evidence)
    evidence.save()
    if attaching:
        record_custody(
            evidence,
            user=user,
            at=timezone.now(),
            action=CustodyAction.STORED,
            note=_("File attached after the item was recorded: %(name)s (SHA-256 %(sha256)s)")
            % {"name": PurePath(evidence.file.name or "").name, "sha256": evidence.sha256},
        )
    return evidence


def add_evidence(
    incident: Incident,
    *,
    user,
    file=None,
    corrects: Evidence | None = None,
    correction_reason: str = "",
    **fields,
) -> Evidence:
    """Record an evidence item from its fields (see save_new_evidence)."""
    evidence = Evidence(incident=incident, corrects=corrects, **fields)
    if file is not None:
        evidence.file = file
    return save_new_evidence(evidence, user=user, correction_reason=correction_reason)


@transaction.atomic
def save_new_evidence(evidence: Evidence, *, user, correction_reason: str = "") -> Evidence:
    """Save a new evidence item, its file checked and hashed (SHA-256, size) as stored.

    The file is written once (Evidence.save refuses any later change). A correction is a
    new item naming the one it corrects, with the reason in its first custody entry; the
    corrected item stays as it was.
    """
    if evidence.pk is not None:
        raise ValueError("save_new_evidence saves new items only")
    if evidence.file:
        check_evidence_file(evidence.file)
    if evidence.corrects_id is not None and not correction_reason.strip():
        raise ValidationError(
            {
                "correction_reason": _(
                    "Say why the item is corrected: it goes into the custody chain."
                )
            }
        )
    evidence.full_clean(exclude=["file"])
    evidence.save()
    if evidence.corrects_id is not None:
        record_custody(
            evidence,
            user=user,
            at=timezone.now(),
            action=CustodyAction.COLLECTED,
            note=_("Corrects “%(label)s”: %(reason)s")
            % {"label": evidence.corrects.label, "reason": correction_reason.strip()},
        )
    return evidence


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    kind_label: str
    title: str
    detail: str
    public: bool
    source: str  # "milestone" or "custody"


def timeline(incident: Incident) -> list[TimelineEntry]:
    """Milestones and evidence disposals, in time order: disposal is derived, not copied."""
    entries = [
        TimelineEntry(
            at=m.occurred_at,
            kind=m.kind,
            kind_label=m.get_kind_display(),
            title=m.title,
            detail=m.detail,
            public=m.public,
            source="milestone",
        )
        for m in incident.milestones.all()
    ]
    disposals = CustodyEntry.objects.filter(
        evidence__incident=incident, action__in=CustodyAction.disposals()
    ).select_related("evidence")
    for entry in disposals:
        entries.append(
            TimelineEntry(
                at=entry.at,
                kind=MilestoneKind.EVIDENCE_DISPOSED,
                kind_label=str(MilestoneKind.EVIDENCE_DISPOSED.label),
                title=f"{entry.evidence.label}: {entry.get_action_display()}",
                detail=entry.note,
                public=False,
                source="custody",
            )
        )
    return sorted(entries, key=lambda e: e.at)
