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
* Facts that decide whether a notification is due are three-state: True, False or None
  (not yet known).  Unknown is never read as no: a rule whose answer depends on an unknown
  fact applies *provisionally*, with the earliest deadline any answer could give, and
  names the open facts.  Answering them clears it (with the reason) or confirms it.
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
Tri = bool | None  # yes, no, not yet known
Predicate = Callable[["Facts"], Tri]
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
    ("nis2", "intermediate"): _("Intermediate report on request"),
    ("nis2", "progress"): _("Progress report"),
    ("sec", "8-k"): _("Form 8-K, Item 1.05"),
    ("sec", "8-k-amendment"): _("Form 8-K/A with the information not available before"),
    ("hipaa", "individuals"): _("Notice to the individuals"),
    ("hipaa", "hhs"): _("Notice to the Secretary of HHS"),
    ("hipaa", "media"): _("Notice to prominent media outlets"),
    ("hipaa", "covered-entity"): _("Business associate's notice to the covered entity"),
}


# Stages that are reports to an authority (a regulator-report milestone or a submitted
# regulator document fulfils one of them); in each regime's order.
AUTHORITY_STAGES: tuple[tuple[Regime, Stage], ...] = (
    ("appi", "preliminary"),
    ("appi", "final"),
    ("gdpr", "authority"),
    ("uk-gdpr", "authority"),
    ("nis2", "early-warning"),
    ("nis2", "notification"),
    ("nis2", "intermediate"),
    ("nis2", "progress"),
    ("nis2", "final"),
    ("sec", "8-k"),
    ("sec", "8-k-amendment"),
    ("hipaa", "hhs"),
)
INDIVIDUALS_STAGE: Stage = "individuals"


@dataclass(frozen=True)
class FactFlag:
    """A three-state fact: `--fact NAME` says yes, `--unknown NAME` not yet known.

    `field` is the Facts field the calculator sets; `read` the Facts attribute the rules
    read when it differs (a derived fact such as "more than 1,000 people").
    """

    field: str
    label: Promise
    read: str = ""

    def value(self, facts: Facts) -> Tri:
        return getattr(facts, self.read or self.field)


FACT_FLAGS: dict[str, FactFlag] = {
    "sensitive": FactFlag("sensitive", _("Sensitive (要配慮) personal data involved")),
    "financial": FactFlag("financial", _("Misuse may cause financial damage")),
    "wrongful-purpose": FactFlag(
        "wrongful_purpose", _("Possibly done with a wrongful purpose (suspected included)")
    ),
    "over-1000": FactFlag(
        "over_1000", _("More than 1,000 people affected (possibly)"), read="more_than_1000"
    ),
    "high-risk": FactFlag("high_risk", _("Likely to result in a high risk to individuals")),
    "significant": FactFlag("significant", _("Significant incident under NIS2")),
    "gdpr-unlikely-risk": FactFlag(
        "gdpr_unlikely_risk", _("Unlikely to result in a risk to individuals (GDPR Art. 33(1))")
    ),
    "trust-service-provider": FactFlag(
        "nis2_trust_service", _("A trust service provider (NIS2 Art. 23(4), last subparagraph)")
    ),
    "material": FactFlag("material", _("Determined material (SEC Form 8-K Item 1.05)")),
    "info-pending": FactFlag(
        "sec_info_pending",
        _("The Form 8-K said required information was not yet determined or available"),
    ),
    "business-associate": FactFlag(
        "hipaa_business_associate", _("A business associate, not the covered entity (HIPAA)")
    ),
    "over-500-in-a-state": FactFlag(
        "state_over_500",
        _("More than 500 residents of one state or jurisdiction affected (HIPAA)"),
        read="more_than_500_in_a_state",
    ),
    "persons": FactFlag("persons", _("The number of people affected"), read="persons_known"),
    "nis2-handling-ended": FactFlag(
        "nis2_handling_ended_at",
        _("When the handling of the incident ended (NIS2)"),
        read="nis2_handled_within_a_month",
    ),
}


def any_of(*values: Tri) -> Tri:
    """Three-valued OR: yes if any is yes, unknown if any is unknown, else no."""
    if any(v is True for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def not_(value: Tri) -> Tri:
    return None if value is None else not value


def all_of(*values: Tri) -> Tri:
    return not_(any_of(*(not_(v) for v in values)))


# --- Facts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about an incident.

    `aware_at` is when the organisation knew of the situation: every clock except the
    SEC's (and NIS2's final report) starts there.  The yes/no facts are three-state
    (`Tri`): None is "not yet known".  The defaults are "no" because the what-if
    calculator reads facts it was not told as no; an incident's facts come from
    `incidents.obligations.facts_for`, which keeps the unknowns.

    `persons=None` means the number is unknown; `over_1000` is the APPI case "more than
    1,000 people" recorded directly (the possibility included), for when no count settles
    it.  `material` with `materiality_determined` (the New York date of the
    determination) drive the SEC clock; a date alone means "determined material".
    `nis2_notification_submitted_at` starts NIS2's one-month clocks and
    `nis2_handling_ended_at` says when handling ended (None: not yet).
    `max_persons_in_one_state` is the largest number of residents of one US state or
    jurisdiction affected (HIPAA media notice); `state_over_500` records that fact when
    no count is known.  `*_delay_until` are the last days of a delay ordered by the
    authorities (SEC Item 1.05(c), HIPAA 45 CFR 164.412).  The `appi_*` exemptions
    (Rules Art. 9 contractor route, Rules Art. 7 high-level encryption) are recorded
    facts with `appi_exemption_note` saying why.
    """

    aware_at: datetime
    tz: str = JAPAN_TZ
    regimes: frozenset[Regime] = frozenset({"appi"})
    sensitive: Tri = False
    financial: Tri = False
    wrongful_purpose: Tri = False
    over_1000: Tri = False
    high_risk: Tri = False
    significant: Tri = False
    gdpr_unlikely_risk: Tri = False
    persons: int | None = None
    material: Tri = False
    materiality_determined: date | None = None
    sec_delay_until: date | None = None
    sec_info_pending: Tri = False
    sec_info_available_on: date | None = None
    nis2_trust_service: Tri = False
    nis2_notification_submitted_at: datetime | None = None
    nis2_handling_ended_at: datetime | None = None
    nis2_intermediate_due_at: datetime | None = None
    max_persons_in_one_state: int | None = None
    state_over_500: Tri = False
    hipaa_business_associate: Tri = False
    hipaa_delay_until: date | None = None
    appi_contractor_route: bool = False
    appi_encrypted: bool = False
    appi_exemption_note: str = ""

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
        if self.materiality_determined is not None and self.material is False:
            object.__setattr__(self, "material", True)
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
        for name in (
            "nis2_notification_submitted_at",
            "nis2_handling_ended_at",
            "nis2_intermediate_due_at",
        ):
            value = getattr(self, name)
            if value is not None and not _is_aware(value):
                raise ValueError(gettext("NIS2 times must carry a time zone."))
        if self.high_risk and self.gdpr_unlikely_risk:
            raise ValueError(
                gettext("A breach cannot be both high-risk and unlikely to result in a risk.")
            )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def more_than_1000(self) -> Tri:
        """APPI Rules Art. 7(iv): a known count above 1,000, or the recorded fact."""
        if self.persons is not None and self.persons > 1000:
            return True
        return self.over_1000

    @property
    def persons_known(self) -> Tri:
        return None if self.persons is None else True

    @property
    def more_than_500_in_a_state(self) -> Tri:
        if self.max_persons_in_one_state is not None:
            return self.max_persons_in_one_state > 500
        return self.state_over_500

    @property
    def appi_cases(self) -> tuple[int, ...]:
        """The cases of APPI Enforcement Rules Art. 7 that hold (1 to 4)."""
        flags = (self.sensitive, self.financial, self.wrongful_purpose, self.more_than_1000)
        return tuple(number for number, holds in enumerate(flags, start=1) if holds is True)

    @property
    def nis2_handled_within_a_month(self) -> Tri:
        """Art. 23(4)(e): did handling end by the time the final report was due?"""
        notified = self.nis2_notification_submitted_at
        if notified is None:
            return None
        if self.nis2_handling_ended_at is None:
            return None
        return self.nis2_handling_ended_at <= end_of_day(
            add_months(notified.astimezone(self.zone).date(), 1), self.zone
        )


# --- The declarative table ---------------------------------------------------------------


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


_APPI_CASES = ("sensitive", "financial", "wrongful-purpose", "over-1000")


def _appi_reportable(facts: Facts) -> Tri:
    return any_of(facts.sensitive, facts.financial, facts.wrongful_purpose, facts.more_than_1000)


def _hhs_within_60_days(facts: Facts) -> Tri:
    """500 or more people; an unknown number is an open fact (the earlier clock is taken)."""
    if facts.more_than_1000 is True:
        return True
    if facts.persons is None:
        return None
    return facts.persons >= 500


_APPI_NOT_APPLICABLE = _(
    "None of the cases of Enforcement Rules Art. 7 holds (sensitive data, possible "
    "financial damage, wrongful purpose, more than 1,000 people)."
)
_APPI_EXEMPTIONS = (
    Exemption(
        lambda facts: facts.appi_contractor_route,
        _(
            "Handled as a contractor that notified the principal (APPI Art. 26(1) proviso, "
            "Rules Art. 9): the principal reports and notifies."
        ),
    ),
    Exemption(
        lambda facts: facts.appi_encrypted,
        _(
            "The personal data was protected by high-level encryption or other measures "
            "needed to protect the rights and interests of individuals (Rules Art. 7)."
        ),
    ),
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
    _(
        "Without undue delay and, where feasible, not later than 72 hours after becoming "
        "aware of it (Art. 33(1)); counted in real hours."
    ),
    period=72,
    soon=timedelta(hours=24),
)
_GDPR_INDIVIDUALS = Clock(
    Unit.PROMPTLY,
    _("Without undue delay, because the breach is likely to be high-risk (Art. 34(1))."),
)
# EDGAR gives a submission after 17:30 Eastern the next business day's filing date
# (Regulation S-T Rule 13(a)(2)): the last day of an SEC period ends at 17:30.
SEC_CUTOFF = time(17, 30)
_SEC_DELAY = Delay(
    lambda facts: facts.sec_delay_until,
    _(
        "Delayed at the Attorney General's request (Item 1.05(c)) until the day recorded; "
        "due by 17:30 New York time that day (or the next business day)."
    ),
)
_HIPAA_DELAY = Delay(
    lambda facts: facts.hipaa_delay_until,
    _(
        "Delayed at a law-enforcement official's statement (45 CFR 164.412) until the day "
        "recorded (an oral statement: at most 30 days)."
    ),
)
_HIPAA_COVERED_ENTITY = (
    lambda facts: not_(facts.hipaa_business_associate),
    _(
        "A business associate notifies the covered entity (45 CFR 164.410); the covered "
        "entity notifies the individuals, the Secretary and the media."
    ),
)
_HIPAA_ALWAYS = _("Always applies to a breach of unsecured protected health information.")

RULES: tuple[Rule, ...] = (
    Rule(
        "appi",
        "preliminary",
        applies=_appi_reportable,
        needs=_APPI_CASES,
        not_applicable=_APPI_NOT_APPLICABLE,
        exemptions=_APPI_EXEMPTIONS,
        zone=JAPAN_TZ,
        clocks=(
            # Rules Art. 8(1) says "promptly" (速やかに) after knowing of the situation; the
            # PPC guidelines give about 3 to 5 days as the yardstick.  The day the
            # organization knew is day 1: due soon from the start of day 3, overdue after
            # the end of day 5.  Not a statutory period, so closed days do not extend it.
            Clock(
                Unit.DAYS,
                _(
                    "Promptly after knowing of the situation (Rules Art. 8(1); PPC guideline "
                    "yardstick: about 3 to 5 days, the day the organization knew being day 1)."
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
        needs=_APPI_CASES,
        not_applicable=_APPI_NOT_APPLICABLE,
        exemptions=_APPI_EXEMPTIONS,
        zone=JAPAN_TZ,
        clocks=(
            Clock(
                Unit.DAYS,
                _(
                    "Within 60 days of the day the organization knew of the situation, "
                    "because a wrongful purpose is possible (Rules Art. 8(2)); that day is "
                    "day 1; a last day on a weekend, national holiday or 29 Dec-3 Jan moves "
                    "to the next open day."
                ),
                period=60,
                counting=Counting.ANCHOR_DAY_IS_DAY_1,
                closed=ClosedDays.JP_ADMINISTRATIVE,
                soon=timedelta(days=7),
                when=lambda facts: facts.wrongful_purpose,
                needs=("wrongful-purpose",),
            ),
            Clock(
                Unit.DAYS,
                _(
                    "Within 30 days of the day the organization knew of the situation "
                    "(Rules Art. 8(2)); that day is day 1; a last day on a weekend, "
                    "national holiday or 29 Dec-3 Jan moves to the next open day."
                ),
                period=30,
                counting=Counting.ANCHOR_DAY_IS_DAY_1,
                closed=ClosedDays.JP_ADMINISTRATIVE,
                soon=timedelta(days=7),
                # Only a case other than wrongful purpose can make it due in 30 days.
                when=lambda facts: any_of(facts.sensitive, facts.financial, facts.more_than_1000),
                needs=("sensitive", "financial", "over-1000"),
            ),
        ),
    ),
    Rule(
        "appi",
        "individuals",
        applies=_appi_reportable,
        needs=_APPI_CASES,
        not_applicable=_APPI_NOT_APPLICABLE,
        exemptions=_APPI_EXEMPTIONS,
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
        applies=lambda facts: not_(facts.gdpr_unlikely_risk),
        needs=("gdpr-unlikely-risk",),
        not_applicable=_GDPR_AUTHORITY_NOT_APPLICABLE,
        clocks=(_GDPR_AUTHORITY,),
    ),
    Rule(
        "gdpr",
        "individuals",
        applies=lambda facts: facts.high_risk,
        needs=("high-risk",),
        not_applicable=_GDPR_INDIVIDUALS_NOT_APPLICABLE,
        clocks=(_GDPR_INDIVIDUALS,),
    ),
    Rule(
        "uk-gdpr",
        "authority",
        applies=lambda facts: not_(facts.gdpr_unlikely_risk),
        needs=("gdpr-unlikely-risk",),
        not_applicable=_GDPR_AUTHORITY_NOT_APPLICABLE,
        clocks=(_GDPR_AUTHORITY,),
    ),
    Rule(
        "uk-gdpr",
        "individuals",
        applies=lambda facts: facts.high_risk,
        needs=("high-risk",),
        not_applicable=_GDPR_INDIVIDUALS_NOT_APPLICABLE,
        clocks=(_GDPR_INDIVIDUALS,),
    ),
    Rule(
        "nis2",
        "early-warning",
        applies=lambda facts: facts.significant,
        needs=("significant",),
        not_applicable=_NIS2_NOT_SIGNIFICANT,
        clocks=(
            Clock(
                Unit.HOURS,
                _(
                    "Without undue delay and in any event within 24 hours of becoming aware "
                    "of the significant incident (Art. 23(4)(a))."
                ),
                period=24,
                soon=timedelta(hours=12),
            ),
        ),
    ),
    Rule(
        "nis2",
        "notification",
        applies=lambda facts: facts.significant,
        needs=("significant",),
        not_applicable=_NIS2_NOT_SIGNIFICANT,
        clocks=(
            Clock(
                Unit.HOURS,
                _(
                    "A trust service provider: without undue delay and in any event within "
                    "24 hours of becoming aware (Art. 23(4), last subparagraph)."
                ),
                period=24,
                soon=timedelta(hours=12),
                when=lambda facts: facts.nis2_trust_service,
                needs=("trust-service-provider",),
            ),
            Clock(
                Unit.HOURS,
                _(
                    "Without undue delay and in any event within 72 hours of becoming aware "
                    "of the significant incident (Art. 23(4)(b))."
                ),
                period=72,
                soon=timedelta(hours=24),
            ),
        ),
    ),
    Rule(
        "nis2",
        "intermediate",
        applies=lambda facts: all_of(facts.significant, facts.nis2_intermediate_due_at is not None),
        needs=("significant",),
        not_applicable=_(
            "No intermediate report was requested by the CSIRT or the competent authority "
            "(Art. 23(4)(c))."
        ),
        clocks=(
            Clock(
                Unit.GIVEN,
                _(
                    "At the request of the CSIRT or the competent authority, by the time it "
                    "set (Art. 23(4)(c))."
                ),
                anchor=Anchor.NIS2_REQUEST,
                soon=timedelta(hours=24),
            ),
        ),
    ),
    Rule(
        "nis2",
        "progress",
        applies=lambda facts: all_of(facts.significant, not_(facts.nis2_handled_within_a_month)),
        needs=("significant", "nis2-handling-ended"),
        not_applicable=_(
            "The handling of the incident ended within a month of the incident "
            "notification: no progress report (Art. 23(4), after point (e))."
        ),
        depends_on=("nis2", "notification"),
        clocks=(
            Clock(
                Unit.MONTHS,
                _(
                    "If the incident is still being handled one month after the incident "
                    "notification, a progress report is due then (Art. 23(4), after point (e))."
                ),
                period=1,
                anchor=Anchor.NIS2_NOTIFICATION,
                counting=Counting.FROM_NEXT_DAY,
                soon=timedelta(days=7),
            ),
        ),
    ),
    Rule(
        "nis2",
        "final",
        applies=lambda facts: facts.significant,
        needs=("significant",),
        not_applicable=_NIS2_NOT_SIGNIFICANT,
        depends_on=("nis2", "notification"),
        clocks=(
            # Periods in months per Regulation 1182/71 Art. 3(2)(c): end of the day with
            # the same date one month later, or of the month's last day when there is none
            # (31 Jan -> 28/29 Feb).  No extension for weekends or holidays: which member
            # state's holidays would apply is not known here, and earlier is safe.
            Clock(
                Unit.MONTHS,
                _(
                    "Not later than one month after the incident notification was submitted "
                    "(Art. 23(4)(e))."
                ),
                period=1,
                anchor=Anchor.NIS2_NOTIFICATION,
                counting=Counting.FROM_NEXT_DAY,
                soon=timedelta(days=7),
                when=lambda facts: facts.nis2_handled_within_a_month,
                needs=("nis2-handling-ended",),
            ),
            Clock(
                Unit.MONTHS,
                _(
                    "Still being handled a month after the notification: within one month "
                    "of the end of the handling (Art. 23(4), after point (e))."
                ),
                period=1,
                anchor=Anchor.NIS2_HANDLING_END,
                counting=Counting.FROM_NEXT_DAY,
                soon=timedelta(days=7),
            ),
        ),
    ),
    Rule(
        "sec",
        "8-k",
        applies=lambda facts: facts.material,
        needs=("material",),
        not_applicable=_("The incident was determined not to be material."),
        zone=NEW_YORK_TZ,
        delay=_SEC_DELAY,
        clocks=(
            # Due at 17:30 New York time on the 4th business day: EDGAR dates a filing
            # made after 17:30 ET on the next business day (Reg. S-T Rule 13(a)(2)).
            Clock(
                Unit.BUSINESS_DAYS,
                _(
                    "Within four business days after the incident was determined material "
                    "(Item 1.05, General Instruction B.1): by 17:30 New York time on the "
                    "fourth business day (Regulation S-T Rule 13(a)(2)); business days are "
                    "not Saturday, Sunday or a US federal holiday.  While materiality is "
                    "not yet determined, counted from the day of awareness."
                ),
                period=4,
                anchor=Anchor.MATERIALITY,
                counting=Counting.FROM_NEXT_DAY,
                closed=ClosedDays.US_FEDERAL,
                soon=timedelta(days=2),
                cutoff=SEC_CUTOFF,
            ),
        ),
    ),
    Rule(
        "sec",
        "8-k-amendment",
        applies=lambda facts: all_of(facts.material, facts.sec_info_pending),
        needs=("material", "info-pending"),
        not_applicable=_(
            "The Form 8-K did not leave required information undetermined or unavailable "
            "(Item 1.05, Instruction 2)."
        ),
        zone=NEW_YORK_TZ,
        clocks=(
            Clock(
                Unit.BUSINESS_DAYS,
                _(
                    "Form 8-K/A within four business days after the information missing "
                    "from the Form 8-K is determined or becomes available (Item 1.05, "
                    "Instruction 2), by 17:30 New York time."
                ),
                period=4,
                anchor=Anchor.SEC_INFO_AVAILABLE,
                counting=Counting.FROM_NEXT_DAY,
                closed=ClosedDays.US_FEDERAL,
                soon=timedelta(days=2),
                cutoff=SEC_CUTOFF,
            ),
        ),
    ),
    Rule(
        "hipaa",
        "individuals",
        applies=_HIPAA_COVERED_ENTITY[0],
        needs=("business-associate",),
        not_applicable=_HIPAA_COVERED_ENTITY[1],
        delay=_HIPAA_DELAY,
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
        applies=_HIPAA_COVERED_ENTITY[0],
        needs=("business-associate",),
        not_applicable=_HIPAA_COVERED_ENTITY[1],
        delay=_HIPAA_DELAY,
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
                needs=("persons",),
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
        applies=lambda facts: all_of(
            not_(facts.hipaa_business_associate), facts.more_than_500_in_a_state
        ),
        needs=("business-associate", "over-500-in-a-state"),
        not_applicable=_(
            "Not more than 500 residents of one state or jurisdiction are affected, or the "
            "covered entity notifies (45 CFR 164.406, 164.410)."
        ),
        delay=_HIPAA_DELAY,
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
    Rule(
        "hipaa",
        "covered-entity",
        applies=lambda facts: facts.hipaa_business_associate,
        needs=("business-associate",),
        not_applicable=_("The organization is the covered entity, not a business associate."),
        delay=_HIPAA_DELAY,
        clocks=(
            Clock(
                Unit.DAYS,
                _(
                    "A business associate notifies the covered entity without unreasonable "
                    "delay and in no case later than 60 calendar days after discovery "
                    "(45 CFR 164.410(b))."
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
    deadline in one line, `reason_not_applicable` why it does not apply (and
    `reason_detail` the organization's own words for a recorded exemption).
    `provisional` says the stage applies, or its deadline is the earliest, only because
    the facts in `open_facts` (FACT_FLAGS keys) are not yet known.
    """

    regime: Regime
    stage: Stage
    applies: bool
    due_at: datetime | None
    soon_from: datetime | None
    rule: str
    reason_not_applicable: str = ""
    depends_on: tuple[Regime, Stage] | None = None
    provisional: bool = False
    open_facts: tuple[str, ...] = ()
    reason_detail: str = ""

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


def _open(needs: tuple[str, ...], facts: Facts) -> list[str]:
    return [name for name in needs if FACT_FLAGS[name].value(facts) is None]


def _evaluate(rule: Rule, facts: Facts) -> ObligationSpec:
    exemption = next((e for e in rule.exemptions if e.holds(facts)), None)
    if exemption is not None:
        return ObligationSpec(
            regime=rule.regime,
            stage=rule.stage,
            applies=False,
            due_at=None,
            soon_from=None,
            rule=str(rule.clocks[-1].text),
            reason_not_applicable=str(exemption.reason),
            depends_on=rule.depends_on,
            reason_detail=facts.appi_exemption_note,
        )
    verdict = rule.applies(facts)
    open_facts = _open(rule.needs, facts) if verdict is None else []
    # The clocks that may be the one: up to the first that certainly is.
    candidates = []
    for clock in rule.clocks:
        when = clock.when(facts)
        if when is False:
            continue
        candidates.append(clock)
        if when is None:
            open_facts += [n for n in _open(clock.needs, facts) if n not in open_facts]
            continue
        break
    zone = ZoneInfo(rule.zone) if rule.zone else facts.zone
    due_at = soon_from = None
    clock = candidates[-1] if candidates else rule.clocks[-1]
    if verdict is not False:
        dated = []
        for candidate in candidates:
            due, soon = _due(candidate, facts, zone)
            if due is not None:
                dated.append((due, soon, candidate))
        if dated:
            due_at, soon_from, clock = min(dated, key=lambda row: row[0])
        if due_at is not None and rule.delay is not None:
            due_at, soon_from = _delayed(rule.delay, clock, facts, zone, due_at, soon_from)
    text = str(clock.text)
    if rule.delay is not None and rule.delay.until(facts) is not None and verdict is not False:
        text = f"{text} {rule.delay.text}"
    return ObligationSpec(
        regime=rule.regime,
        stage=rule.stage,
        applies=verdict is not False,
        due_at=due_at,
        soon_from=soon_from,
        rule=text,
        reason_not_applicable="" if verdict is not False else str(rule.not_applicable),
        depends_on=rule.depends_on,
        provisional=bool(open_facts) and verdict is not False,
        open_facts=tuple(open_facts) if verdict is not False else (),
    )


def _delayed(
    delay: Delay,
    clock: Clock,
    facts: Facts,
    zone: ZoneInfo,
    due_at: datetime,
    soon_from: datetime | None,
) -> tuple[datetime, datetime | None]:
    """A delay ordered by the authorities moves the due time to its last day, never earlier."""
    until = delay.until(facts)
    if until is None:
        return due_at, soon_from
    day = until
    while _is_closed(clock.closed, day):
        day += timedelta(days=1)
    moved = _day_ends(day, zone, clock.cutoff)
    if moved <= due_at:
        return due_at, soon_from
    soon = start_of_day(day - timedelta(days=clock.soon.days), zone) if clock.soon else None
    return moved, soon


def _anchor_instant(anchor: Anchor, facts: Facts, zone: ZoneInfo) -> datetime | None:
    if anchor is Anchor.AWARENESS:
        return facts.aware_at
    if anchor is Anchor.NIS2_NOTIFICATION:
        return facts.nis2_notification_submitted_at
    if anchor is Anchor.NIS2_HANDLING_END:
        return facts.nis2_handling_ended_at
    if anchor is Anchor.NIS2_REQUEST:
        return facts.nis2_intermediate_due_at
    if anchor is Anchor.MATERIALITY:
        if facts.materiality_determined is None:
            return start_of_day(facts.aware_at.astimezone(zone).date(), zone)
        return start_of_day(facts.materiality_determined, zone)
    if anchor is Anchor.SEC_INFO_AVAILABLE:
        if facts.sec_info_available_on is None:
            return None
        return start_of_day(facts.sec_info_available_on, zone)
    year = facts.aware_at.astimezone(zone).year
    return start_of_day(date(year, 12, 31), zone)


def _due(clock: Clock, facts: Facts, zone: ZoneInfo) -> tuple[datetime | None, datetime | None]:
    start = _anchor_instant(clock.anchor, facts, zone)
    if start is None or clock.unit is Unit.PROMPTLY:
        return None, None
    if clock.unit is Unit.GIVEN:
        due = start.astimezone(UTC)
        return due, (due - clock.soon if clock.soon is not None else None)
    if clock.unit is Unit.HOURS:
        due = start.astimezone(UTC) + timedelta(hours=clock.period)
        return due, (due - clock.soon if clock.soon is not None else None)
    last_day = _last_day(clock, start.astimezone(zone).date())
    soon = None
    if clock.soon is not None:
        soon = start_of_day(last_day - timedelta(days=clock.soon.days), zone)
    return _day_ends(last_day, zone, clock.cutoff), soon


def _day_ends(day: date, zone: ZoneInfo, cutoff: time | None) -> datetime:
    if cutoff is None:
        return end_of_day(day, zone)
    return datetime.combine(day, cutoff, tzinfo=zone).astimezone(UTC)


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
