"""The API's serializers, by subdomain as the models are; all importable from here."""

from .actions import ActionSerializer
from .base import (
    CaseSerializer,
    FullCleanMixin,
    IncidentZoneMixin,
    NarrativesMixin,
    VisibleIncidentField,
    VisibleRelatedField,
    incident_reference_field,
)
from .case import (
    IncidentSerializer,
    OrganizationSerializer,
    TransitionSerializer,
    UnresolvedItemSerializer,
)
from .clocks import FilingSerializer, IndividualNoticeSerializer, ObligationSerializer
from .investigation import (
    CustodyEntrySerializer,
    EngagementSerializer,
    EvidenceSerializer,
    FindingSerializer,
    MilestoneSerializer,
)

__all__ = [
    "ActionSerializer",
    "CaseSerializer",
    "CustodyEntrySerializer",
    "EngagementSerializer",
    "EvidenceSerializer",
    "FilingSerializer",
    "FindingSerializer",
    "FullCleanMixin",
    "IncidentSerializer",
    "IncidentZoneMixin",
    "IndividualNoticeSerializer",
    "MilestoneSerializer",
    "NarrativesMixin",
    "ObligationSerializer",
    "OrganizationSerializer",
    "TransitionSerializer",
    "UnresolvedItemSerializer",
    "VisibleIncidentField",
    "VisibleRelatedField",
    "incident_reference_field",
]
