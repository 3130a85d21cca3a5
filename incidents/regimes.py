"""Legal notification deadlines, computed from an incident's facts.

Pure Python: no database, no models. Every regime and stage is one declarative `Rule` in
`RULES`; `compute_obligations` reads the table, it never branches on a regime's name.

Conventions used throughout (legal asked for one way of saying "until the end of a day"):

* "End of day D" is represented as the start of day D+1 in the rule's zone minus one
  microsecond (23:59:59.999999 local time).  Every datetime this module returns is aware
  and normalised to UTC; show it in whichever zone the reader needs.
* A rule's days are counted in its own zone: Japan time for the APPI (the PPC is in
  Tokyo), New York time for the SEC, and the incident's zone (`Facts.tz`) for the others.
* "Due soon" (`soon_from`) is a reminder threshold, not law: for day-counted rules it is
  the start of the day `Clock.soon.days` days before the deadline day, for hour-counted
  rules it is `Clock.soon` before the due instant.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
import jpholiday
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

Regime = str
Stage = str
Predicate = Callable[["Facts"], bool]
Timing = Literal["no-deadline", "upcoming", "due-soon", "overdue"]

JAPAN_TZ = "Asia/Tokyo"
NEW_YORK_TZ = "America/New_York"

REGIMES: dict[Regime, Promise] = {
    "appi": _("Japan APPI (report to the PPC)"),
    "gdpr": _("EU GDPR"),
    "uk-gdpr": _("UK GDPR (report to the ICO)"),
    "nis2": _("EU NIS2 Directive"),
    "sec": _("US SEC Form 8-K Item 1.05"),
    "hipaa": _("US HIPAA Breach Notification Rule"),
}

# The regimes as choices (API fields, the obligation's regime column, the OpenAPI enum).
REGIME_CHOICES: list[tuple[Regime, Promise]] = list(REGIMES.items())

STAGES: dict[tuple[Regime, Stage], Promise] = {
    ("appi", "preliminary"): _("Preliminary report to the PPC"),
    ("appi", "final"): _("Final report to the PPC"),
    ("appi", "individuals"): _("Notice to the individuals concerned"),
    ("gdpr", "authority"): _("Notification to the supervisory authority (Art. 33)"),
    ("gdpr", "individuals"): _("Communication to the data subjects (Art. 34)"),
    ("uk-gdpr", "authority"): _("Notification to the ICO (Art. 33)"),
    ("uk-gdpr", "individuals"): _("Communication to the data subjects (Art. 34)"),
    ("nis2", "early-warning"): _("Early warning to the CSIRT or authority"),
    ("nis2", "notification"): _("Incident notification"),
    ("nis2", "final"): _("Final report"),
    ("sec", "8-k"): _("Form 8-K, Item 1.05"),
    ("hipaa", "individuals"): _("Notice to the individuals"),
    ("hipaa", "hhs"): _("Notice to the Secretary of HHS"),
    ("hipaa", "media"): _("Notice to prominent media outlets"),
}


@dataclass(frozen=True)
class FactFlag:
    """A yes/no fact the what-if calculator accepts as `--fact <name>`."""

    field: str
    label: Promise


FACT_FLAGS: dict[str, FactFlag] = {
    "sensitive": FactFlag("sensitive", _("Sensitive (要配慮) personal data involved")),
    "financial": FactFlag("financial", _("Misuse may cause financial damage")),
    "wrongful-purpose": FactFlag(
        "wrongful_purpose", _("Possibly done with a wrongful purpose (suspected included)")
    ),
    "over-1000": FactFlag("over_1000", _("More than 1,000 people affected")),
    "high-risk": FactFlag("high_risk", _("Likely to result in a high risk to individuals")),
    "significant": FactFlag("significant", _("Significant incident under NIS2")),
    "gdpr-unlikely-risk": FactFlag(
        "gdpr_unlikely_risk", _("Unlikely to result in a risk to individuals (GDPR Art. 33(1))")
    ),
}


# --- Facts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about an incident.

    `aware_at` is when the organisation became aware: every clock except the SEC's (and
    NIS2's final report) starts there.  `persons=None` means the number is unknown; the
    APPI "more than 1,000" case then holds only if `over_1000` says so.
    `gdpr_unlikely_risk` records the Art. 33(1) exception ("unlikely to result in a risk");
    it contradicts `high_risk`.  `materiality_determined` is the date (New York) on which
    the registrant determined the incident material (SEC);
    `nis2_notification_submitted_at` starts NIS2's one-month final-report clock;
    `max_persons_in_one_state` is the largest number of residents of one US state or
    jurisdiction affected (HIPAA media notice).
    """

    aware_at: datetime
    tz: str = JAPAN_TZ
    regimes: frozenset[Regime] = frozenset({"appi"})
    sensitive: bool = False
    financial: bool = False
    wrongful_purpose: bool = False
    over_1000: bool = False
    high_risk: bool = False
    significant: bool = False
    gdpr_unlikely_risk: bool = False
    persons: int | None = None
    materiality_determined: date | None = None
    nis2_notification_submitted_at: datetime | None = None
    max_persons_in_one_state: int | None = None

    def __post_init__(self) -> None:
        if not _is_aware(self.aware_at):
            raise ValueError(gettext("The moment of awareness must carry a time zone."))
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ValueError(gettext("Unknown time zone: %(tz)s") % {"tz": self.tz}) from None
        object.__setattr__(self, "regimes", frozenset(self.regimes))
        unknown = sorted(self.regimes - REGIMES.keys())
        if unknown:
            raise ValueError(gettext("Unknown regime: %(codes)s") % {"codes": ", ".join(unknown)})
        for name in ("persons", "max_persons_in_one_state"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(gettext("A number of people cannot be negative."))
        if (
            self.persons is not None
            and self.max_persons_in_one_state is not None
            and self.max_persons_in_one_state > self.persons
        ):
            raise ValueError(gettext("More people in one state than affected in total."))
        if self.nis2_notification_submitted_at is not None and not _is_aware(
            self.nis2_notification_submitted_at
        ):
            raise ValueError(gettext("The NIS2 notification time must carry a time zone."))
        if self.high_risk and self.gdpr_unlikely_risk:
            raise ValueError(
                gettext("A breach cannot be both high-risk and unlikely to result in a risk.")
            )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def more_than_1000(self) -> bool:
        """APPI Rules Art. 7(4): the explicit flag, or a known count above 1,000."""
        return self.over_1000 or (self.persons is not None and self.persons > 1000)

    @property
    def appi_cases(self) -> tuple[int, ...]:
        """The cases of APPI Enforcement Rules Art. 7 that hold (1 to 4)."""
        flags = (self.sensitive, self.financial, self.wrongful_purpose, self.more_than_1000)
        return tuple(number for number, holds in enumerate(flags, start=1) if holds)


# --- The declarative table ---------------------------------------------------------------


class Anchor(StrEnum):
    """The event a clock starts from."""

    AWARENESS = "awareness"  # Facts.aware_at
    MATERIALITY = "materiality"  # Facts.materiality_determined (a date)
    NIS2_NOTIFICATION = "nis2-notification"  # Facts.nis2_notification_submitted_at
    END_OF_YEAR = "end-of-year"  # 31 December of the year of awareness


class Unit(StrEnum):
    PROMPTLY = "promptly"  # "promptly", "without undue delay": no fixed date
    HOURS = "hours"
    DAYS = "days"
    BUSINESS_DAYS = "business-days"
    MONTHS = "months"


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
    # they are counted.
    US_FEDERAL = "us-federal"


def _always(facts: Facts) -> bool:
    return True


@dataclass(frozen=True)
class Clock:
    """One way of computing a due time; a rule picks the first clock whose `when` holds."""

    unit: Unit
    text: Promise
    period: int = 0
    anchor: Anchor = Anchor.AWARENESS
    counting: Counting = Counting.ELAPSED
    closed: ClosedDays = ClosedDays.NONE
    soon: timedelta | None = None
    when: Predicate = _always


@dataclass(frozen=True)
class Rule:
    """One regime's stage: whether it applies, and its clock(s).

    `zone` is the zone the rule counts days in; None means the incident's own zone.
    """

    regime: Regime
    stage: Stage
    applies: Predicate
    not_applicable: Promise
    clocks: tuple[Clock, ...]
    zone: str | None = None
    depends_on: tuple[Regime, Stage] | None = None


def _appi_reportable(facts: Facts) -> bool:
    return bool(facts.appi_cases)


def _hhs_within_60_days(facts: Facts) -> bool:
    """500 or more people, or an unknown number: the earlier deadline is the safe one."""
    return facts.more_than_1000 or facts.persons is None or facts.persons >= 500


_APPI_NOT_APPLICABLE = _(
    "None of the cases of Enforcement Rules Art. 7 holds (sensitive data, possible "
    "financial damage, wrongful purpose, more than 1,000 people)."
)
_GDPR_AUTHORITY_NOT_APPLICABLE = _(
    "Recorded as unlikely to result in a risk to the rights and freedoms of natural "
    "persons (Art. 33(1))."
)
_GDPR_INDIVIDUALS_NOT_APPLICABLE = _(
    "Not likely to result in a high risk to the rights and freedoms of natural persons "
    "(Art. 34(1))."
)
_NIS2_NOT_SIGNIFICANT = _("Not a significant incident (NIS2 Art. 23(3)).")
_GDPR_AUTHORITY = Clock(
    Unit.HOURS,
    _("Without undue delay and, where feasible, not later than 72 hours after awareness."),
    period=72,
    soon=timedelta(hours=24),
)
_GDPR_INDIVIDUALS = Clock(
    Unit.PROMPTLY, _("Without undue delay, because the breach is likely to be high-risk.")
)

RULES: tuple[Rule, ...] = (
    Rule(
        "appi",
        "preliminary",
        applies=_appi_reportable,
        not_applicable=_APPI_NOT_APPLICABLE,
        zone=JAPAN_TZ,
        clocks=(
            # Rules Art. 8(1) says "promptly" (速やかに); the PPC guidelines give about 3 to
            # 5 days from awareness as the yardstick.  Day of awareness = day 1: due soon
            # from the start of day 3, overdue after the end of day 5.  Not a statutory
            # period, so closed days do not extend it.
            Clock(
                Unit.DAYS,
                _(
                    "Promptly (PPC guideline yardstick: about 3 to 5 days from awareness, "
                    "the day of awareness being day 1)."
                ),
                period=5,
                counting=Counting.ANCHOR_DAY_IS_DAY_1,
                soon=timedelta(days=2),
            ),
        ),
    ),
    Rule(
        "appi",
        "final",
        applies=_appi_reportable,
        not_applicable=_APPI_NOT_APPLICABLE,
        zone=JAPAN_TZ,
        clocks=(
            Clock(
                Unit.DAYS,
                _(
                    "Within 60 days of awareness because a wrongful purpose is possible "
                    "(Rules Art. 8(2)); the day of awareness is day 1; a deadline on a "
                    "weekend, national holiday or 29 Dec-3 Jan moves to the next open day."
                ),
                period=60,
                counting=Counting.ANCHOR_DAY_IS_DAY_1,
                closed=ClosedDays.JP_ADMINISTRATIVE,
                soon=timedelta(days=7),
                when=lambda facts: facts.wrongful_purpose,
            ),
            Clock(
                Unit.DAYS,
                _(
                    "Within 30 days of awareness (Rules Art. 8(2)); the day of awareness "
                    "is day 1; a deadline on a weekend, national holiday or 29 Dec-3 Jan "
                    "moves to the next open day."
                ),
                period=30,
                counting=Counting.ANCHOR_DAY_IS_DAY_1,
                closed=ClosedDays.JP_ADMINISTRATIVE,
                soon=timedelta(days=7),
            ),
        ),
    ),
    Rule(
        "appi",
        "individuals",
        applies=_appi_reportable,
        not_applicable=_APPI_NOT_APPLICABLE,
        zone=JAPAN_TZ,
        clocks=(
            Clock(
                Unit.PROMPTLY,
                _("Promptly, as the situation allows (APPI Art. 26(2), Rules Art. 10)."),
            ),
        ),
    ),
    Rule(
        "gdpr",
        "authority",
        applies=lambda facts: not facts.gdpr_unlikely_risk,
        not_applicable=_GDPR_AUTHORITY_NOT_APPLICABLE,
        clocks=(_GDPR_AUTHORITY,),
    ),
    Rule(
        "gdpr",
        "individuals",
        applies=lambda facts: facts.high_risk,
        not_applicable=_GDPR_INDIVIDUALS_NOT_APPLICABLE,
        clocks=(_GDPR_INDIVIDUALS,),
    ),
    Rule(
        "uk-gdpr",
        "authority",
        applies=lambda facts: not facts.gdpr_unlikely_risk,
        not_applicable=_GDPR_AUTHORITY_NOT_APPLICABLE,
        clocks=(_GDPR_AUTHORITY,),
    ),
    Rule(
        "uk-gdpr",
        "individuals",
        applies=lambda facts: facts.high_risk,
        not_applicable=_GDPR_INDIVIDUALS_NOT_APPLICABLE,
        clocks=(_GDPR_INDIVIDUALS,),
    ),
    Rule(
        "nis2",
        "early-warning",
        applies=lambda facts: facts.significant,
        not_applicable=_NIS2_NOT_SIGNIFICANT,
        clocks=(
            Clock(
                Unit.HOURS,
                _("Without undue delay and in any event within 24 hours of awareness."),
                period=24,
                soon=timedelta(hours=12),
            ),
        ),
    ),
    Rule(
        "nis2",
        "notification",
        applies=lambda facts: facts.significant,
        not_applicable=_NIS2_NOT_SIGNIFICANT,
        clocks=(
            Clock(
                Unit.HOURS,
                _("Without undue delay and in any event within 72 hours of awareness."),
                period=72,
                soon=timedelta(hours=24),
            ),
        ),
    ),
    Rule(
        "nis2",
        "final",
        applies=lambda facts: facts.significant,
        not_applicable=_NIS2_NOT_SIGNIFICANT,
        depends_on=("nis2", "notification"),
        clocks=(
            # Periods in months per Regulation 1182/71 Art. 3(2)(c): end of the day with
            # the same date one month later, or of the month's last day when there is none
            # (31 Jan -> 28/29 Feb).  No extension for weekends or holidays: which member
            # state's holidays would apply is not known here, and earlier is safe.
            Clock(
                Unit.MONTHS,
                _("Not later than one month after the incident notification was submitted."),
                period=1,
                anchor=Anchor.NIS2_NOTIFICATION,
                counting=Counting.FROM_NEXT_DAY,
                soon=timedelta(days=7),
            ),
        ),
    ),
    Rule(
        "sec",
        "8-k",
        applies=lambda facts: facts.materiality_determined is not None,
        not_applicable=_("The incident has not (yet) been determined to be material."),
        zone=NEW_YORK_TZ,
        clocks=(
            # Due at the end of the 4th business day, New York time.  EDGAR dates a filing
            # made after 17:30 ET on the next business day (Reg. S-T Rule 13(a)(2)), so the
            # practical cut-off that day is 17:30.
            Clock(
                Unit.BUSINESS_DAYS,
                _(
                    "Within four business days after the incident was determined material "
                    "(business days: not Saturday, Sunday or a US federal holiday)."
                ),
                period=4,
                anchor=Anchor.MATERIALITY,
                counting=Counting.FROM_NEXT_DAY,
                closed=ClosedDays.US_FEDERAL,
                soon=timedelta(days=2),
            ),
        ),
    ),
    Rule(
        "hipaa",
        "individuals",
        applies=_always,
        not_applicable=_("Always applies to a breach of unsecured protected health information."),
        clocks=(
            Clock(
                Unit.DAYS,
                _(
                    "Without unreasonable delay and in no case later than 60 calendar days "
                    "after discovery (45 CFR 164.404(b))."
                ),
                period=60,
                counting=Counting.FROM_NEXT_DAY,
                soon=timedelta(days=14),
            ),
        ),
    ),
    Rule(
        "hipaa",
        "hhs",
        applies=_always,
        not_applicable=_("Always applies to a breach of unsecured protected health information."),
        clocks=(
            Clock(
                Unit.DAYS,
                _(
                    "500 or more individuals (or a number not yet known): at the same time "
                    "as the notice to individuals, at most 60 days after discovery "
                    "(45 CFR 164.408(b))."
                ),
                period=60,
                counting=Counting.FROM_NEXT_DAY,
                soon=timedelta(days=14),
                when=_hhs_within_60_days,
            ),
            Clock(
                Unit.DAYS,
                _(
                    "Fewer than 500 individuals: not later than 60 days after the end of "
                    "the calendar year of discovery (45 CFR 164.408(c))."
                ),
                period=60,
                anchor=Anchor.END_OF_YEAR,
                counting=Counting.FROM_NEXT_DAY,
                soon=timedelta(days=30),
            ),
        ),
    ),
    Rule(
        "hipaa",
        "media",
        applies=lambda facts: (
            facts.max_persons_in_one_state is not None and facts.max_persons_in_one_state > 500
        ),
        not_applicable=_(
            "Not more than 500 residents of one state or jurisdiction are known to be "
            "affected (45 CFR 164.406)."
        ),
        clocks=(
            Clock(
                Unit.DAYS,
                _(
                    "More than 500 residents of one state: prominent media outlets, no "
                    "later than 60 calendar days after discovery (45 CFR 164.406(b))."
                ),
                period=60,
                counting=Counting.FROM_NEXT_DAY,
                soon=timedelta(days=14),
            ),
        ),
    ),
)


# --- Output ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObligationSpec:
    """A duty to notify under one regime's stage, as the facts stand.

    `due_at` is None when the law sets no fixed date ("promptly") or when the clock has
    not started yet (`depends_on` names the stage that starts it).  `rule` explains the
    deadline in one line, `reason_not_applicable` why it does not apply.
    """

    regime: Regime
    stage: Stage
    applies: bool
    due_at: datetime | None
    soon_from: datetime | None
    rule: str
    reason_not_applicable: str = ""
    depends_on: tuple[Regime, Stage] | None = None

    @property
    def label(self) -> str:
        return str(STAGES[(self.regime, self.stage)])

    def timing_at(self, now: datetime) -> Timing:
        """Where `now` stands against this deadline (for reminders and dashboards)."""
        if self.due_at is None:
            return "no-deadline"
        if now > self.due_at:
            return "overdue"
        if self.soon_from is not None and now >= self.soon_from:
            return "due-soon"
        return "upcoming"


def compute_obligations(facts: Facts) -> list[ObligationSpec]:
    """Every stage of every regime in `facts.regimes`, in table order."""
    return [_evaluate(rule, facts) for rule in RULES if rule.regime in facts.regimes]


def _evaluate(rule: Rule, facts: Facts) -> ObligationSpec:
    clock = next(c for c in rule.clocks if c.when(facts))
    applies = rule.applies(facts)
    due_at = soon_from = None
    if applies:
        due_at, soon_from = _due(clock, facts, ZoneInfo(rule.zone) if rule.zone else facts.zone)
    return ObligationSpec(
        regime=rule.regime,
        stage=rule.stage,
        applies=applies,
        due_at=due_at,
        soon_from=soon_from,
        rule=str(clock.text),
        reason_not_applicable="" if applies else str(rule.not_applicable),
        depends_on=rule.depends_on,
    )


def _anchor_instant(anchor: Anchor, facts: Facts, zone: ZoneInfo) -> datetime | None:
    if anchor is Anchor.AWARENESS:
        return facts.aware_at
    if anchor is Anchor.NIS2_NOTIFICATION:
        return facts.nis2_notification_submitted_at
    if anchor is Anchor.MATERIALITY:
        if facts.materiality_determined is None:
            return None
        return start_of_day(facts.materiality_determined, zone)
    year = facts.aware_at.astimezone(zone).year
    return start_of_day(date(year, 12, 31), zone)


def _due(clock: Clock, facts: Facts, zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
    start = _anchor_instant(clock.anchor, facts, zone)
    if start is None or clock.unit is Unit.PROMPTLY:
        return None, None
    if clock.unit is Unit.HOURS:
        due = start.astimezone(UTC) + timedelta(hours=clock.period)
        return due, (due - clock.soon if clock.soon is not None else None)
    last_day = _last_day(clock, start.astimezone(zone).date())
    soon = None
    if clock.soon is not None:
        soon = start_of_day(last_day - timedelta(days=clock.soon.days), zone)
    return end_of_day(last_day, zone), soon


def _last_day(clock: Clock, anchor_day: date) -> date:
    if clock.unit is Unit.BUSINESS_DAYS:
        day, counted = anchor_day, 0
        while counted < clock.period:
            day += timedelta(days=1)
            if not _is_closed(clock.closed, day):
                counted += 1
        return day
    if clock.unit is Unit.MONTHS:
        day = add_months(anchor_day, clock.period)
    else:
        day = anchor_day + timedelta(days=clock.period)
    if clock.counting is Counting.ANCHOR_DAY_IS_DAY_1:
        day -= timedelta(days=1)
    while _is_closed(clock.closed, day):
        day += timedelta(days=1)
    return day


# --- Calendars ---------------------------------------------------------------------------


def is_japan_closed_day(day: date) -> bool:
    """Act on Holidays of Administrative Organs, Art. 1(1): weekend, national holiday
    (jpholiday, which follows the Act on National Holidays) or 29 Dec-3 Jan."""
    return (
        day.weekday() >= 5
        or (day.month == 12 and day.day >= 29)
        or (day.month == 1 and day.day <= 3)
        or jpholiday.is_holiday(day)
    )


@functools.lru_cache(maxsize=256)
def _us_federal_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("US", years=year).keys())


def is_us_business_day(day: date) -> bool:
    """SEC: a day other than Saturday, Sunday or a US federal holiday (observed dates
    included, e.g. Friday 3 July when the 4th is a Saturday)."""
    return day.weekday() < 5 and day not in _us_federal_holidays(day.year)


def _is_closed(policy: ClosedDays, day: date) -> bool:
    if policy is ClosedDays.JP_ADMINISTRATIVE:
        return is_japan_closed_day(day)
    if policy is ClosedDays.US_FEDERAL:
        return not is_us_business_day(day)
    return False


# --- Small date helpers ------------------------------------------------------------------


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of `day` in `zone`, in UTC."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The last instant of `day` in `zone` (next day's start minus 1 µs), in UTC."""
    return start_of_day(day + timedelta(days=1), zone) - timedelta(microseconds=1)


def add_months(day: date, months: int) -> date:
    """Same date `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _is_aware(moment: datetime) -> bool:
    return moment.tzinfo is not None and moment.utcoffset() is not None
