"""Legal notification deadlines, computed from an incident's facts.

Pure Python: no database, no models. Every regime and stage is one declarative `Rule` in
`RULES`; `compute_obligations` reads the table, it never branches on a regime's name.

The package, one room per subject: `appi`, `gdpr` (EU and UK GDPR), `nis2`, `sec` and
`hipaa` hold each law's rules; `names` the regimes and stages, `facts` the three-valued
facts, `table` the rules' vocabulary, `calendars` the shared calendar arithmetic and
`engine` the reading of the table. Import from the package: `__all__` is its interface.

Conventions used throughout (legal asked for one way of saying "until the end of a day"):

* "End of day D" is represented as the start of day D+1 in the rule's zone minus one
  microsecond (23:59:59.999999 local time).  Every datetime this module returns is aware
  and normalised to UTC; show it in whichever zone the reader needs.
* A rule's days are counted in its own zone: Japan time for the APPI (the PPC is in
  Tokyo), New York time for the SEC, and the incident's zone (`Facts.tz`) for the others.
* "Due soon" (`soon_from`) is a reminder threshold, not law: for day-counted rules it is
  the start of the day `Clock.soon.days` days before the deadline day, for hour-counted
  rules it is `Clock.soon` before the due instant.
* Facts that decide whether a notification is due are three-state: True, False or None
  (not yet known).  Unknown is never read as no: a rule whose answer depends on an unknown
  fact applies *provisionally*, with the earliest deadline any answer could give, and
  names the open facts.  Answering them clears it (with the reason) or confirms it.
"""

from .calendars import add_months, end_of_day, is_japan_closed_day, is_us_business_day, start_of_day
from .engine import RULES, ObligationSpec, compute_obligations
from .facts import FACT_FLAGS, FactFlag, Facts, Timing, Tri, all_of, any_of, not_
from .names import (
    AUTHORITY_STAGES,
    INDIVIDUALS_STAGE,
    JAPAN_TZ,
    NEW_YORK_TZ,
    REGIME_CHOICES,
    REGIMES,
    STAGES,
    Regime,
    Stage,
)
from .sec import SEC_CUTOFF
from .table import Anchor, Clock, ClosedDays, Counting, Delay, Exemption, Rule, Unit

__all__ = [
    "AUTHORITY_STAGES",
    "FACT_FLAGS",
    "INDIVIDUALS_STAGE",
    "JAPAN_TZ",
    "NEW_YORK_TZ",
    "REGIMES",
    "REGIME_CHOICES",
    "RULES",
    "SEC_CUTOFF",
    "STAGES",
    "Anchor",
    "ClosedDays",
    "Clock",
    "Counting",
    "Delay",
    "Exemption",
    "FactFlag",
    "Facts",
    "ObligationSpec",
    "Regime",
    "Rule",
    "Stage",
    "Timing",
    "Tri",
    "Unit",
    "add_months",
    "all_of",
    "any_of",
    "compute_obligations",
    "end_of_day",
    "is_japan_closed_day",
    "is_us_business_day",
    "not_",
    "start_of_day",
]
