"""Legal clocks: obligations computed from the facts, reminders, calendar tokens."""

import hashlib
import operator
import secrets
from datetime import datetime
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import (
    FilingChannel,
    NoticeChannel,
    ObligationState,
    ReminderOutcome,
)
from ..regimes import AUTHORITY_STAGES, FACT_FLAGS, REGIME_CHOICES, REGIMES, RULES, STAGES
from .case import Incident
from .queries import OfIncidentQuerySet

# Applicable and not yet fulfilled.
OPEN_OBLIGATION = Q(applies=True, fulfilled_at__isnull=True)


def authority_stage_q(prefix: str = "") -> Q:
    """The obligations that are reports to an authority (regimes.AUTHORITY_STAGES)."""
    by_regime: dict[str, list[str]] = {}
    for regime, stage in AUTHORITY_STAGES:
        by_regime.setdefault(regime, []).append(stage)
    return reduce(
        operator.or_,
        (
            Q(**{f"{prefix}regime": regime, f"{prefix}stage__in": stages})
            for regime, stages in by_regime.items()
        ),
    )


# Filed with an authority: the one definition (dashboard durations, status page, key times).
FILED_WITH_AUTHORITY = authority_stage_q() & Q(fulfilled_at__isnull=False)


class ObligationQuerySet(OfIncidentQuerySet):
    """The one definition of an obligation's derived state, in SQL (see Obligation.state_at).

    Every surface that shows a state (dashboard board, status page, admin, API, reminders,
    documents) reads it from here or from the model method with the same rule.
    """

    def with_state(self, now: datetime | None = None) -> "ObligationQuerySet":
        """Annotate `state` (ObligationState) as of `now`, for filtering and sorting.

        The same rule as Obligation.state_at, in SQL.
        """
        now = now or timezone.now()
        return self.annotate(
            state=Case(
                When(fulfilled_at__isnull=False, then=Value(ObligationState.FULFILLED)),
                When(applies=False, then=Value(ObligationState.NOT_APPLICABLE)),
                When(due_at__lt=now, then=Value(ObligationState.OVERDUE)),
                When(provisional=True, then=Value(ObligationState.PROVISIONAL)),
                When(due_at__isnull=True, then=Value(ObligationState.PENDING)),
                When(soon_from__lte=now, then=Value(ObligationState.DUE_SOON)),
                default=Value(ObligationState.PENDING),
                output_field=CharField(),
            )
        )

    def in_state(self, state: str, now: datetime | None = None) -> "ObligationQuerySet":
        return self.with_state(now).filter(state=state)

    def overdue(self, now: datetime | None = None) -> "ObligationQuerySet":
        """Open and past its due time as of `now`."""
        return self.in_state(ObligationState.OVERDUE, now)

    def due_soon(self, now: datetime | None = None) -> "ObligationQuerySet":
        """Open, not yet due, and past its rule's own "due soon" threshold (`soon_from`)."""
        return self.in_state(ObligationState.DUE_SOON, now)

    def open(self) -> "ObligationQuerySet":
        """Applicable and not yet fulfilled: the ones somebody still has to do."""
        return self.filter(OPEN_OBLIGATION)

    def filed_with_authority(self) -> "ObligationQuerySet":
        """Filed, and a report to an authority (regimes.AUTHORITY_STAGES)."""
        return self.filter(FILED_WITH_AUTHORITY)


class Obligation(models.Model):
    """A duty to notify under one regime's stage, computed from the incident's facts.

    The computed columns (applies, due_at, soon_from, rule, reason_not_applicable) are
    written only by incidents.obligations.recompute_obligations; the fulfilment columns
    only by record_filing. `rule` and `reason_not_applicable` hold the English source
    text of incidents.regimes, translated when shown (see `rule_text`).
    The state (pending, due soon, overdue, ...) is derived, never stored.
    """

    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="obligations",
        verbose_name=_("incident"),
    )
    regime = models.CharField(_("regime"), max_length=16, choices=REGIME_CHOICES)
    stage = models.CharField(_("stage"), max_length=32)
    applies = models.BooleanField(_("applies"), default=True)
    reason_not_applicable = models.TextField(_("why it does not apply"), blank=True)
    due_at = models.DateTimeField(
        _("due at"),
        null=True,
        blank=True,
        help_text=_("Empty when the law sets no fixed date or the clock has not started."),
    )
    soon_from = models.DateTimeField(_("due soon from"), null=True, blank=True)
    rule = models.TextField(_("rule"), blank=True)
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_(
            "Computed as if due, with the earliest deadline, because facts that decide it "
            "are not yet known."
        ),
    )
    open_facts = models.JSONField(_("facts not yet known"), default=list, blank=True)
    reason_detail = models.TextField(_("recorded reason"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    fulfilled_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=16, choices=FilingChannel.choices, blank=True
    )
    authority_reference = models.CharField(
        _("authority's reference"),
        max_length=200,
        blank=True,
        help_text=_("The receipt or case number the authority gave, if any."),
    )
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filing recorded by"),
    )
    # The reporting.Report that was submitted, by id: incidents never imports reporting
    # (and a real foreign key would make this app's migrations depend on it).
    fulfilled_by_report_id = models.PositiveBigIntegerField(
        _("submitted report (id)"), null=True, blank=True
    )
    filing_note = models.TextField(_("note on the filing"), blank=True)

    objects = ObligationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = [models.F("due_at").asc(nulls_last=True), "incident", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "regime", "stage"], name="obligation_unique_per_stage"
            ),
            models.CheckConstraint(
                condition=Q(fulfilled_at__isnull=True, channel="")
                | Q(fulfilled_at__isnull=False) & ~Q(channel=""),
                name="obligation_filing_has_time_and_channel",
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], name="obligation_due_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.incident.reference} {self.label}"

    @property
    def label(self) -> str:
        stage = STAGES.get((self.regime, self.stage))
        return str(stage) if stage is not None else f"{self.regime} {self.stage}"

    @property
    def regime_label(self) -> str:
        return str(REGIMES.get(self.regime, self.regime))

    @property
    def rule_text(self) -> str:
        """The rule in the reader's language (stored as the catalog's source text)."""
        return gettext(self.rule) if self.rule else ""

    @property
    def reason_text(self) -> str:
        if not self.reason_not_applicable:
            return ""
        reason = gettext(self.reason_not_applicable)
        return f"{reason} {self.reason_detail}".strip() if self.reason_detail else reason

    @property
    def is_provisional(self) -> bool:
        """Still waiting on open facts: a filed or cleared obligation is no longer provisional."""
        return self.provisional and self.applies and self.fulfilled_at is None

    @property
    def open_fact_labels(self) -> list[str]:
        """The facts that, once answered, confirm or clear a provisional obligation."""
        return [str(FACT_FLAGS[n].label) if n in FACT_FLAGS else n for n in self.open_facts]

    @property
    def is_filed_with_authority(self) -> bool:
        """The same rule as ObligationQuerySet.filed_with_authority."""
        return self.fulfilled_at is not None and (self.regime, self.stage) in AUTHORITY_STAGES

    def state_at(self, now: datetime | None = None) -> str:
        """The state as of `now` (querysets: with_state() in SQL).

        Fulfilled wins (it was filed), then not applicable, then overdue (a provisional
        deadline that passed is still late if the open facts confirm it), then
        provisional; then the clock decides.
        """
        now = now or timezone.now()
        if self.fulfilled_at is not None:
            return ObligationState.FULFILLED
        if not self.applies:
            return ObligationState.NOT_APPLICABLE
        if self.due_at is not None and now > self.due_at:
            return ObligationState.OVERDUE
        if self.provisional:
            return ObligationState.PROVISIONAL
        if self.due_at is None:
            return ObligationState.PENDING
        if self.soon_from is not None and now >= self.soon_from:
            return ObligationState.DUE_SOON
        return ObligationState.PENDING

    def depends_on_stage(self) -> str:
        """The stage whose filing starts this one's clock (NIS2 final report), if any."""
        rule = next((r for r in RULES if (r.regime, r.stage) == (self.regime, self.stage)), None)
        if rule is None or rule.depends_on is None:
            return ""
        return str(STAGES[rule.depends_on])


class IndividualNotice(models.Model):
    """That the people concerned were told: when, how, and how many were reached.

    Recording it fulfils the incident's open notice-to-individuals obligation(s) it names
    (see incidents.obligations.record_individual_notice).
    """

    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="individual_notices",
        verbose_name=_("incident"),
    )
    sent_at = models.DateTimeField(_("sent at"))
    channel = models.CharField(_("channel"), max_length=16, choices=NoticeChannel.choices)
    people_reached = models.PositiveIntegerField(_("people reached"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = OfIncidentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notice to individuals")
        verbose_name_plural = _("notices to individuals")
        ordering = ["sent_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=NoticeChannel.values), name="notice_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} ({self.people_reached})"


class ReminderQuerySet(OfIncidentQuerySet):
    incident_path = "obligation__incident"


class Reminder(models.Model):
    """One reminder offset of one obligation, claimed by inserting this row.

    The unique constraint is what makes a reminder go out at most once, across restarts
    and several beat processes: only the process whose INSERT succeeded sends it.
    """

    obligation = models.ForeignKey(
        Obligation,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("obligation"),
    )
    offset = models.CharField(
        _("offset"), max_length=16, help_text=_("Hours before the due time (“72h”) or “overdue”.")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReminderOutcome.choices)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    note = models.TextField(_("note"), blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "offset"], name="reminder_once_per_obligation_offset"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=ReminderOutcome.values), name="reminder_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offset_label()}: {self.get_outcome_display()}"

    def offset_label(self) -> str:
        """The stored offset ("72h", "overdue") as a reader says it."""
        if self.offset == "overdue":
            return gettext("once overdue")
        return gettext("%(hours)s hours before the deadline") % {
            "hours": self.offset.removesuffix("h")
        }


class CalendarToken(models.Model):
    """The secret in a user's calendar-feed URL. Only its SHA-256 is stored.

    Issuing a new one replaces the old, which revokes it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("user"),
    )
    digest = models.CharField(_("token digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")

    def __str__(self) -> str:
        return str(self.user)

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user) -> str:
        """A new token for `user` (the previous one stops working); returns the secret."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(user=user, defaults={"digest": cls.hash(token)})
        return token

    @classmethod
    def user_for(cls, token: str):
        found = cls.objects.select_related("user").filter(digest=cls.hash(token)).first()
        if found is None or not found.user.is_active:
            return None
        return found.user
