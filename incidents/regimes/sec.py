"""The US SEC: Form 8-K Item 1.05."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils.translation import gettext_lazy as _

from .facts import all_of
from .names import NEW_YORK_TZ
from .table import Anchor, Clock, ClosedDays, Counting, Delay, Rule, Unit

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

RULES: tuple[Rule, ...] = (
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
)
