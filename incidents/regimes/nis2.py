"""The EU NIS2 Directive (Art. 23)."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from .facts import all_of, not_
from .table import Anchor, Clock, Counting, Rule, Unit

_NIS2_NOT_SIGNIFICANT = _("Not a significant incident (NIS2 Art. 23(3)).")

RULES: tuple[Rule, ...] = (
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
)
