"""Assets, checks and indicators in the admin; imports and exports; the scope on the incident
page (registered from here: incidents never imports scope).

By noun: base (what every scope admin shares), assets, checks, indicators, imports (the import
page), incident (the scope on the incident page). Importing the package registers them.
"""

from . import assets, base, checks, imports, incident, indicators
from .assets import AssetAdmin, AssetStateFilter
from .base import SCOPE_MEDIA, ScopeAdmin, VisibleIncidentFilter
from .checks import CheckInline, CheckRoundForm, RecordedCheckInline
from .imports import ImportForm, import_page
from .incident import IncidentWithScopeAdmin, scope_summary
from .indicators import ExportOptionsForm, IndicatorAdmin, IndicatorForm, OptionCheckbox

__all__ = [
    "SCOPE_MEDIA",
    "AssetAdmin",
    "AssetStateFilter",
    "CheckInline",
    "CheckRoundForm",
    "ExportOptionsForm",
    "ImportForm",
    "IncidentWithScopeAdmin",
    "IndicatorAdmin",
    "IndicatorForm",
    "OptionCheckbox",
    "RecordedCheckInline",
    "ScopeAdmin",
    "VisibleIncidentFilter",
    "assets",
    "base",
    "checks",
    "import_page",
    "imports",
    "incident",
    "indicators",
    "scope_summary",
]
