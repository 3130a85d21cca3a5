"""The case record, by subdomain; everything is importable from incidents.models."""

from ..limits import apply_limits
from .actions import Action, ActionQuerySet
from .case import Incident, StatusChange
from .clocks import CalendarToken, IndividualNotice, Obligation, ObligationQuerySet, Reminder
from .errors import CustodyClosed, FilingRefused, IncidentError, InvalidTransition
from .investigation import (
    CustodyEntry,
    Engagement,
    Evidence,
    EvidenceFileLocked,
    EvidenceFileRefused,
    EvidenceQuerySet,
    Finding,
    Milestone,
    evidence_upload_to,
)
from .organization import (
    Organization,
    OrganizationMembership,
    OrganizationQuerySet,
    SenderAddress,
    default_regimes,
    sender_validator,
    validate_regimes,
)
from .queries import IncidentQuerySet, OfIncidentQuerySet
from .unresolved import UnresolvedItem
from .validation import validate_personal_data_items, validate_time_zone

# Limits for every text and date of the case record, in one place (incidents.limits).
apply_limits(Organization, SenderAddress, StatusChange, Action, Obligation, Reminder)
apply_limits(IndividualNotice, CustodyEntry, Engagement, Evidence, Finding, Milestone)
apply_limits(UnresolvedItem)
# The incident's own dates (facts, clock inputs) keep their own rules (models/case.py).
apply_limits(Incident, skip_dates=frozenset(f.name for f in Incident._meta.local_fields))

__all__ = [
    "Action",
    "ActionQuerySet",
    "CalendarToken",
    "CustodyClosed",
    "CustodyEntry",
    "Engagement",
    "Evidence",
    "EvidenceFileLocked",
    "EvidenceFileRefused",
    "EvidenceQuerySet",
    "FilingRefused",
    "Finding",
    "Incident",
    "IncidentError",
    "IndividualNotice",
    "IncidentQuerySet",
    "InvalidTransition",
    "Milestone",
    "UnresolvedItem",
    "OfIncidentQuerySet",
    "Obligation",
    "ObligationQuerySet",
    "Organization",
    "OrganizationMembership",
    "OrganizationQuerySet",
    "Reminder",
    "SenderAddress",
    "StatusChange",
    "default_regimes",
    "evidence_upload_to",
    "sender_validator",
    "validate_personal_data_items",
    "validate_regimes",
    "validate_time_zone",
]
