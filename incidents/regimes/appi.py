"""Japan: the Act on the Protection of Personal Information (report to the PPC, notice)."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from .facts import Facts, Tri, any_of
from .names import JAPAN_TZ
from .table import Clock, ClosedDays, Counting, Exemption, Rule, Unit

_APPI_CASES = ("sensitive", "financial", "wrongful-purpose", "over-1000")


def _appi_reportable(facts: Facts) -> Tri:
    return any_of(facts.sensitive, facts.financial, facts.wrongful_purpose, facts.more_than_1000)


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
)
