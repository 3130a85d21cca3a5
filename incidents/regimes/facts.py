"""The three-valued fact machinery: yes, no, not yet known; the facts the rules read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .calendars import add_months, end_of_day, is_aware
from .names import JAPAN_TZ, REGIMES, Regime

Tri = bool | None  # yes, no, not yet known
Predicate = Callable[["Facts"], Tri]
Timing = Literal["no-deadline", "upcoming", "due-soon", "overdue"]


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
        if not is_aware(self.aware_at):
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
            if value is not None and not is_aware(value):
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
