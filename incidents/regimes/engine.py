"""Reading the table: each stage's applicability and due time from the facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from . import appi, gdpr, hipaa, nis2, sec
from .calendars import add_months, end_of_day, is_japan_closed_day, is_us_business_day, start_of_day
from .facts import FACT_FLAGS, Facts, Timing
from .names import STAGES, Regime, Stage
from .table import Anchor, Clock, ClosedDays, Counting, Delay, Rule, Unit

# Every stage of every regime, in table order.
RULES: tuple[Rule, ...] = (*appi.RULES, *gdpr.RULES, *nis2.RULES, *sec.RULES, *hipaa.RULES)


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


def _is_closed(policy: ClosedDays, day: date) -> bool:
    if policy is ClosedDays.JP_ADMINISTRATIVE:
        return is_japan_closed_day(day)
    if policy is ClosedDays.US_FEDERAL:
        return not is_us_business_day(day)
    return False
