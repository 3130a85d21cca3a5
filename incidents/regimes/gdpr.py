"""The EU GDPR and the UK GDPR (Arts. 33 and 34)."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from .facts import not_
from .table import Clock, Rule, Unit

_GDPR_AUTHORITY_NOT_APPLICABLE = _(
    "Recorded as unlikely to result in a risk to the rights and freedoms of natural "
    "persons (Art. 33(1))."
)
_GDPR_INDIVIDUALS_NOT_APPLICABLE = _(
    "Not likely to result in a high risk to the rights and freedoms of natural persons "
    "(Art. 34(1))."
)
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

RULES: tuple[Rule, ...] = (
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
)
