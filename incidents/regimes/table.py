"""The declarative table's vocabulary: rules, clocks, anchors, units, closed days."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum

from django.utils.functional import Promise

from .facts import Facts, Predicate, Tri
from .names import Regime, Stage


class Anchor(StrEnum):
    """The event a clock starts from."""

    AWARENESS = "awareness"  # Facts.aware_at
    # Facts.materiality_determined (a date); while materiality is not yet determined, the
    # earliest possible day: the day of awareness.
    MATERIALITY = "materiality"
    NIS2_NOTIFICATION = "nis2-notification"  # Facts.nis2_notification_submitted_at
    NIS2_HANDLING_END = "nis2-handling-end"  # Facts.nis2_handling_ended_at
    NIS2_REQUEST = "nis2-request"  # Facts.nis2_intermediate_due_at is the due time itself
    SEC_INFO_AVAILABLE = "sec-info-available"  # Facts.sec_info_available_on
    END_OF_YEAR = "end-of-year"  # 31 December of the year of awareness


class Unit(StrEnum):
    PROMPTLY = "promptly"  # "promptly", "without undue delay": no fixed date
    HOURS = "hours"
    DAYS = "days"
    BUSINESS_DAYS = "business-days"
    MONTHS = "months"
    GIVEN = "given"  # the authority set the due time (NIS2 intermediate report)


class Counting(StrEnum):
    """How the period is laid over the calendar."""

    ELAPSED = "elapsed"  # real elapsed time from the anchor instant, computed in UTC
    ANCHOR_DAY_IS_DAY_1 = "anchor-day-is-day-1"  # last day = anchor date + period - 1
    FROM_NEXT_DAY = "from-next-day"  # last day = anchor date + period


class ClosedDays(StrEnum):
    """Which days are closed, and what that does to the period."""

    NONE = "none"  # the deadline stays where it falls
    # Act on Holidays of Administrative Organs, Arts. 1-2: a deadline on a Saturday, Sunday,
    # national holiday or 29 Dec-3 Jan moves to the next day that is none of these.
    JP_ADMINISTRATIVE = "jp-administrative"
    # Business days are days other than Saturday, Sunday or a US federal holiday; only
    # they are counted, and a last day that is not one moves to the next that is
    # (Exchange Act Rule 0-3(a)).
    US_FEDERAL = "us-federal"


def _always(facts: Facts) -> Tri:
    return True


@dataclass(frozen=True)
class Clock:
    """One way of computing a due time.

    A rule takes the first clock whose `when` is yes.  A clock whose `when` is not yet
    known (None) is a candidate too: the rule then takes the earliest candidate's due time
    and is provisional.  `needs` names the facts (FACT_FLAGS keys) `when` reads.
    `cutoff` is the time of day the last day ends at (default: its end).
    """

    unit: Unit
    text: Promise
    period: int = 0
    anchor: Anchor = Anchor.AWARENESS
    counting: Counting = Counting.ELAPSED
    closed: ClosedDays = ClosedDays.NONE
    soon: timedelta | None = None
    when: Predicate = _always
    needs: tuple[str, ...] = ()
    cutoff: time | None = None


@dataclass(frozen=True)
class Exemption:
    """A recorded fact that takes a stage off (APPI contractor route, encryption)."""

    holds: Callable[[Facts], bool]
    reason: Promise


@dataclass(frozen=True)
class Delay:
    """A delay the authorities may order (SEC Item 1.05(c), HIPAA 164.412).

    `until` reads the last day of the delay from the facts; the due time becomes the end
    (or cutoff) of that day when it is later than the computed one.
    """

    until: Callable[[Facts], date | None]
    text: Promise


@dataclass(frozen=True)
class Rule:
    """One regime's stage: whether it applies, and its clock(s).

    `applies` is three-valued; `needs` names the facts it reads (FACT_FLAGS keys), so an
    unknown answer can say which facts are open.  `zone` is the zone the rule counts days
    in; None means the incident's own zone.
    """

    regime: Regime
    stage: Stage
    applies: Predicate
    not_applicable: Promise
    clocks: tuple[Clock, ...]
    needs: tuple[str, ...] = ()
    zone: str | None = None
    depends_on: tuple[Regime, Stage] | None = None
    exemptions: tuple[Exemption, ...] = ()
    delay: Delay | None = None
