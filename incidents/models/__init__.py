"""The case record, by subdomain; everything is importable from incidents.models."""

from .actions import Action, ActionQuerySet
from .case import (
    CustodyClosed,
    FilingRefused,
    Incident,
    IncidentError,
    IncidentQuerySet,
    InvalidTransition,
    Organization,
    SenderAddress,
    StatusChange,
    default_regimes,
    sender_validator,
    validate_personal_data_items,
    validate_regimes,
    validate_time_zone,
)
from .clocks import CalendarToken, Obligation, ObligationQuerySet, Reminder
from .investigation import (
    CustodyEntry,
    Engagement,
    Evidence,
    EvidenceQuerySet,
    Finding,
    Milestone,
    evidence_upload_to,
)

__all__ = [
    "Action",
    "ActionQuerySet",
    "CalendarToken",
    "CustodyClosed",
    "CustodyEntry",
    "Engagement",
    "Evidence",
    "EvidenceQuerySet",
    "FilingRefused",
    "Finding",
    "Incident",
    "IncidentError",
    "IncidentQuerySet",
    "InvalidTransition",
    "Milestone",
    "Obligation",
    "ObligationQuerySet",
    "Organization",
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
