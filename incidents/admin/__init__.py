"""The committee's admin, by subdomain. Writes with side effects go through incidents.services.

Importing the package registers every model admin; the names other apps build on are re-exported.
"""

from . import actions, case, clocks, investigation, milestones, organization, people
from .base import (
    COMPACT_TEXT,
    DisplayOnlyInline,
    HistoryAdmin,
    IncidentTimeZoneMixin,
    NeedToKnowMixin,
    VisibleHistoryMixin,
    local_time,
)
from .case import IncidentAdmin

__all__ = [
    "COMPACT_TEXT",
    "DisplayOnlyInline",
    "HistoryAdmin",
    "IncidentAdmin",
    "IncidentTimeZoneMixin",
    "NeedToKnowMixin",
    "VisibleHistoryMixin",
    "actions",
    "case",
    "clocks",
    "investigation",
    "local_time",
    "milestones",
    "organization",
    "people",
]
