"""Every write to an incident's scope: admin, API and commands call these.

Imports (CSV, STIX) are all or nothing: every row is checked first, and if any is bad
nothing is written and the caller gets every row's errors (ImportRejected).

By noun: assets, checks, indicators, stix (the STIX 2.1 import); imports holds what every
import shares (limits, errors, CSV reading). Callers keep importing from scope.services.
"""

from .assets import (
    AssetHasChecks,
    create_asset,
    delete_asset,
    delete_asset_allowed,
    import_assets_csv,
    save_asset,
)
from .checks import delete_check, import_checks_csv, record_check, record_check_round, role_after
from .imports import (
    ASSET_COLUMNS,
    ASSET_HEADERS,
    CHECK_COLUMNS,
    CHECK_HEADERS,
    INDICATOR_COLUMNS,
    INDICATOR_HEADERS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ImportRejected,
    ImportResult,
    RowError,
    accepted_headers,
)
from .indicators import (
    TLP_STRICTNESS,
    create_indicator,
    delete_indicator,
    import_indicators_csv,
    public_sender_indicators,
    save_indicator,
)
from .stix import import_stix_bundle, stix_pattern_values, stix_problem

__all__ = [
    "AssetHasChecks",
    "ASSET_COLUMNS",
    "ASSET_HEADERS",
    "CHECK_COLUMNS",
    "CHECK_HEADERS",
    "INDICATOR_COLUMNS",
    "INDICATOR_HEADERS",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "TLP_STRICTNESS",
    "ImportRejected",
    "ImportResult",
    "RowError",
    "accepted_headers",
    "create_asset",
    "create_indicator",
    "delete_asset",
    "delete_asset_allowed",
    "delete_check",
    "delete_indicator",
    "import_assets_csv",
    "import_checks_csv",
    "import_indicators_csv",
    "import_stix_bundle",
    "public_sender_indicators",
    "record_check",
    "record_check_round",
    "role_after",
    "save_asset",
    "save_indicator",
    "stix_pattern_values",
    "stix_problem",
]
