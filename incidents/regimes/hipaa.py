"""The US HIPAA Breach Notification Rule (45 CFR 164.400-414)."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from .facts import Facts, Tri, all_of, not_
from .table import Anchor, Clock, Counting, Delay, Rule, Unit


def _hhs_within_60_days(facts: Facts) -> Tri:
    """500 or more people; an unknown number is an open fact (the earlier clock is taken)."""
    if facts.more_than_1000 is True:
        return True
    if facts.persons is None:
        return None
    return facts.persons >= 500


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
