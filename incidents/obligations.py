"""The incident's legal clocks: obligations computed from its facts, filings, reminders.

Services in the sense of incidents.services (which re-exports the write paths): plain
functions, the acting user passed explicitly, inside transactions.

Decisions worth knowing:

* Obligations are computed by `incidents.regimes` from `facts_for(incident)` and stored
  one row per regime and stage by `recompute_obligations`, which every write path that
  changes a fact calls (new incident, the admin's change form, the founding case,
  a filing).  It never touches fulfilment columns.
* While "aware at" is unknown the rows exist (whether each stage applies does not depend
  on it) but carry no due time: the clocks have not started.
* A regime taken off the incident deletes its unfulfilled rows; a fulfilled row stays,
  marked not applicable, because a filing that happened is part of the record.
* The rule texts are stored as the catalog's English source and translated when shown.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .choices import FilingChannel, NoticeChannel, ReminderOutcome
from .models import FilingRefused, Incident, IndividualNotice, Obligation, Reminder
from .models.queries import LEGAL_RECIPIENT
from .regimes import AUTHORITY_STAGES, INDIVIDUALS_STAGE, Facts, compute_obligations

logger = logging.getLogger(__name__)

COMPUTED_FIELDS = (
    "applies",
    "reason_not_applicable",
    "reason_detail",
    "due_at",
    "soon_from",
    "rule",
    "provisional",
    "open_facts",
)
REGIME_DROPPED = gettext_noop("The incident is no longer recorded as falling under this regime.")


# --- Facts and obligations ------------------------------------------------------------


def facts_for(incident: Incident, *, aware_at: datetime | None = None) -> Facts:
    """The one mapping from an incident to the rules engine's facts.

    Blank facts stay None ("not yet known"): the engine then applies the stages they could
    make due, provisionally. `aware_at` stands in for an unknown moment of awareness (see
    recompute_obligations). The NIS2 final report's clock starts when the incident
    notification was filed, so that filing is read back from the incident's own obligation.
    """
    nis2_notified = None
    if "nis2" in incident.regimes and incident.pk:
        nis2_notified = (
            incident.obligations.filter(regime="nis2", stage="notification")
            .values_list("fulfilled_at", flat=True)
            .first()
        )
    hipaa_delay_until = incident.hipaa_delay_until
    if hipaa_delay_until is None and incident.hipaa_delay_stated_on is not None:
        # 45 CFR 164.412(b): an oral statement delays for no longer than 30 days.
        hipaa_delay_until = incident.hipaa_delay_stated_on + timedelta(days=30)
    aware = incident.aware_at or aware_at
    if aware is None:
        raise ValueError("facts_for needs a moment of awareness: the incident's or a stand-in")
    return Facts(
        aware_at=aware,
        tz=incident.time_zone,
        regimes=frozenset(incident.regimes or ()),
        sensitive=incident.sensitive_data,
        financial=incident.financial_damage_risk,
        wrongful_purpose=incident.wrongful_purpose,
        over_1000=incident.over_1000,
        high_risk=incident.high_risk,
        significant=incident.significant_incident,
        gdpr_unlikely_risk=incident.gdpr_unlikely_risk,
        persons=incident.affected_count,
        # A recorded date of determination is the determination that it is material.
        material=True if incident.materiality_determined_on else incident.sec_material,
        materiality_determined=incident.materiality_determined_on,
        sec_delay_until=incident.sec_delay_until,
        sec_info_pending=incident.sec_info_pending,
        sec_info_available_on=incident.sec_info_available_on,
        nis2_trust_service=incident.nis2_trust_service,
        nis2_notification_submitted_at=nis2_notified,
        nis2_handling_ended_at=incident.handling_ended_at,
        nis2_intermediate_due_at=incident.nis2_intermediate_due_at,
        max_persons_in_one_state=incident.max_persons_in_one_state,
        state_over_500=None,
        hipaa_business_associate=incident.hipaa_business_associate,
        hipaa_delay_until=hipaa_delay_until,
        appi_contractor_route=incident.appi_contractor_route,
        appi_encrypted=incident.appi_encrypted,
        appi_exemption_note=incident.appi_exemption_reason.strip(),
    )


@transaction.atomic
def recompute_obligations(incident: Incident) -> list[Obligation]:
    """Bring the incident's obligation rows in line with its facts; return them in order.

    Idempotent: a row whose computed columns did not change is not written (no history
    noise). Rows are locked with the incident so two saves cannot race on the upsert.
    """
    Incident.objects.select_for_update().filter(pk=incident.pk).first()
    # Applicability does not depend on awareness; with it unknown, compute against a
    # stand-in moment and drop the dates.
    facts = facts_for(incident, aware_at=timezone.now())
    with translation.override(None):  # store the catalog's source text
        specs = compute_obligations(facts)
    existing = {
        (o.regime, o.stage): o for o in Obligation.objects.filter(incident=incident).order_by()
    }
    result = []
    for spec in specs:
        values = {
            "applies": spec.applies,
            "reason_not_applicable": spec.reason_not_applicable,
            "reason_detail": spec.reason_detail,
            "due_at": spec.due_at if incident.aware_at else None,
            "soon_from": spec.soon_from if incident.aware_at else None,
            "rule": spec.rule,
            "provisional": spec.provisional,
            "open_facts": list(spec.open_facts),
        }
        row = existing.pop((spec.regime, spec.stage), None)
        if row is None:
            row = Obligation.objects.create(
                incident=incident, regime=spec.regime, stage=spec.stage, **values
            )
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.save()
        result.append(row)
    for row in existing.values():
        if row.fulfilled_at is None:
            row.delete()
        elif row.applies or row.reason_not_applicable != REGIME_DROPPED:
            row.applies, row.reason_not_applicable = False, REGIME_DROPPED
            row.due_at = row.soon_from = None
            row.save()
    return result


def check_filing(obligation: Obligation, *, at: datetime, channel: str) -> None:
    """Refuse what cannot be a filing; the admin form calls this to show form errors."""
    if not obligation.applies:
        raise FilingRefused(
            _("“%(obligation)s” does not apply to this incident; there is nothing to file.")
            % {"obligation": obligation.label}
        )
    if at is None or timezone.is_naive(at):
        raise FilingRefused(_("Give the time of the filing, with its time zone."))
    if at > timezone.now():
        raise FilingRefused(_("A filing cannot be recorded in the future."))
    aware_at = obligation.incident.aware_at
    if aware_at is not None and at < aware_at:
        raise FilingRefused(
            _("The filing cannot precede the moment the organization became aware.")
        )
    if channel not in FilingChannel.values:
        raise FilingRefused(_("“%(channel)s” is not a filing channel.") % {"channel": channel})


@transaction.atomic
def record_filing(
    obligation: Obligation,
    *,
    user,
    at: datetime,
    channel: str,
    reference: str = "",
    report_id: int | None = None,
    note: str = "",
) -> Obligation:
    """Record that the obligation was fulfilled: when, how, and the authority's reference.

    The one entry point for filings (re-exported by incidents.services, which every caller
    uses): the admin's filing form, the API's `file` action, a report-to-the-regulator
    milestone, a submitted report (reporting.services.mark_submitted) and a notice to
    individuals all end here, and nothing else writes the fulfilment columns.

    The PPC takes filings through its web form, so Taisaku records them rather than
    sending them. Recording again corrects the filing (the history keeps the old one).
    """
    locked = Obligation.objects.select_for_update().select_related("incident").get(pk=obligation.pk)
    check_filing(locked, at=at, channel=channel)
    locked.fulfilled_at = at
    locked.channel = channel
    locked.authority_reference = reference
    locked.fulfilled_by_report_id = report_id
    locked.filing_note = note
    locked.fulfilled_by = user if user is not None and user.pk else None
    locked.save()
    # A filing can start another clock (NIS2: the final report follows the notification).
    recompute_obligations(locked.incident)
    locked.refresh_from_db()
    for field in [f.attname for f in Obligation._meta.concrete_fields]:
        setattr(obligation, field, getattr(locked, field))
    return obligation


# --- Filings that connect ----------------------------------------------------------------


def obligation_to_fulfil(
    incident: Incident,
    *,
    stages,
    chosen: Obligation | None = None,
    what: str = "",
) -> Obligation | None:
    """The one open obligation a filing fulfils: the one named, or the only one that fits.

    `stages` are the (regime, stage) pairs the filing can be; of each regime only its first
    open stage fits (a preliminary report comes before the final one). None when nothing
    is open; FilingRefused, naming them, when several fit and none was chosen.
    """
    stages = list(stages)
    if chosen is not None:
        if chosen.incident_id != incident.pk:
            raise FilingRefused(_("That obligation belongs to another incident."))
        if (chosen.regime, chosen.stage) not in stages:
            raise FilingRefused(
                _("“%(obligation)s” cannot be fulfilled by %(what)s.")
                % {"obligation": chosen.label, "what": what}
            )
        return chosen
    open_rows = {
        (o.regime, o.stage): o
        for o in incident.obligations.open().filter(regime__in={r for r, _s in stages})
    }
    fitting, seen = [], set()
    for regime, stage in stages:
        if regime in seen or (regime, stage) not in open_rows:
            continue
        seen.add(regime)
        fitting.append(open_rows[(regime, stage)])
    if len(fitting) > 1:
        raise FilingRefused(
            _("Several legal clocks could be fulfilled by %(what)s: %(list)s. Choose one.")
            % {"what": what, "list": "; ".join(o.label for o in fitting)}
        )
    return fitting[0] if fitting else None


def regulator_report_obligation(incident: Incident, chosen: Obligation | None = None):
    """The obligation a milestone "report to the regulator" fulfils (see obligation_to_fulfil)."""
    return obligation_to_fulfil(
        incident, stages=AUTHORITY_STAGES, chosen=chosen, what=_("a report to the regulator")
    )


def check_individual_notice(
    incident: Incident, *, sent_at, channel: str, people_reached, regimes=None
) -> list[Obligation]:
    """Refuse what cannot be recorded; return the obligations the notice fulfils."""
    if sent_at is None or timezone.is_naive(sent_at):
        raise FilingRefused(_("Give the time the notice was sent, with its time zone."))
    if sent_at > timezone.now():
        raise FilingRefused(_("A notice cannot be recorded as sent in the future."))
    if incident.aware_at is not None and sent_at < incident.aware_at:
        raise FilingRefused(
            _("The notice cannot precede the moment the organization knew of the situation.")
        )
    if people_reached is None or people_reached < 1:
        # A notice that reached nobody notifies nobody: it fulfils no obligation.
        raise FilingRefused(_("Give the number of people reached (1 or more)."))
    if channel not in NoticeChannel.values:
        raise FilingRefused(_("“%(channel)s” is not a channel.") % {"channel": channel})
    open_rows = list(incident.obligations.open().filter(stage=INDIVIDUALS_STAGE))
    if regimes:
        targets = [o for o in open_rows if o.regime in set(regimes)]
        missing = sorted(set(regimes) - {o.regime for o in targets})
        if missing:
            raise FilingRefused(
                _("No open notice to individuals under %(regimes)s.")
                % {"regimes": ", ".join(missing)}
            )
    elif len(open_rows) > 1:
        raise FilingRefused(
            _("Several notices to individuals are open: %(list)s. Name the regimes it answers.")
            % {"list": "; ".join(f"{o.regime_label}: {o.label}" for o in open_rows)}
        )
    else:
        targets = open_rows
    return targets


@transaction.atomic
def record_individual_notice(
    incident: Incident,
    *,
    user,
    sent_at: datetime,
    channel: str,
    people_reached: int,
    regimes=None,
    note: str = "",
    report_id: int | None = None,
) -> tuple[IndividualNotice, list[Obligation]]:
    """Record that the people concerned were told; fulfil the notice obligations it answers.

    With `regimes` named, their open notice-to-individuals obligations are fulfilled;
    otherwise the only open one (several: FilingRefused asks which). `report_id` is the
    notice that was sent (reporting's Report), kept on the obligations it fulfils.
    """
    targets = check_individual_notice(
        incident, sent_at=sent_at, channel=channel, people_reached=people_reached, regimes=regimes
    )
    notice = IndividualNotice.objects.create(
        incident=incident,
        sent_at=sent_at,
        channel=channel,
        people_reached=people_reached,
        note=note,
        recorded_by=user if user is not None and user.pk else None,
    )
    channels: dict[str, str] = {
        NoticeChannel.LETTER: FilingChannel.POST,
        NoticeChannel.EMAIL: FilingChannel.EMAIL,
        NoticeChannel.IN_PERSON: FilingChannel.IN_PERSON,
    }
    filing_channel = channels.get(channel, FilingChannel.OTHER)
    fulfilled = [
        record_filing(
            obligation,
            user=user,
            at=sent_at,
            channel=filing_channel,
            report_id=report_id,
            note=_("Notice sent to %(people)d people (%(channel)s).")
            % {"people": people_reached, "channel": NoticeChannel(channel).label},
        )
        for obligation in targets
    ]
    return notice, fulfilled


# --- Reminders ------------------------------------------------------------------------


def offset_code(hours: int) -> str:
    return f"{hours}h" if hours > 0 else "overdue"


def reminder_offsets() -> list[int]:
    """Hours before the due time, most distant first; 0 means "once overdue"."""
    return sorted({int(h) for h in settings.DEADLINE_REMINDER_OFFSETS}, reverse=True)


def due_offsets(due_at: datetime, now: datetime, offsets: list[int]) -> list[int]:
    """The offsets whose moment has come, most urgent last (0 only once past due)."""
    reached = []
    for hours in offsets:
        moment = due_at - timedelta(hours=hours)
        if (now > moment) if hours == 0 else (now >= moment):
            reached.append(hours)
    return reached


def legal_recipients(incident: Incident) -> list[str]:
    """E-mail addresses of the incident's active members in the legal group."""
    User = get_user_model()
    return list(
        User.objects.filter(LEGAL_RECIPIENT, incidents=incident)
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


@dataclass
class ReminderRun:
    sent: int = 0
    skipped: int = 0
    failed: int = 0


def send_deadline_reminders(now: datetime | None = None) -> ReminderRun:
    """E-mail legal about deadlines at each configured offset, exactly once per offset.

    The rule against bursts: of the offsets an obligation has reached, only the most
    urgent is sent; the earlier ones not yet recorded are recorded as skipped. So an old
    incident loaded today gets one "overdue" mail, not 72 h + 24 h + overdue at once,
    while one that is followed live gets each in turn.

    Exactly once: a Reminder row is inserted (unique per obligation and offset) before
    any mail; only the process whose insert succeeded sends. A send that raises is
    recorded as failed and retried by the next run, up to DEADLINE_REMINDER_MAX_ATTEMPTS,
    claimed by a conditional UPDATE so that only one process retries it.
    """
    now = now or timezone.now()
    offsets = reminder_offsets()
    if not offsets:
        return ReminderRun()
    run = ReminderRun()
    horizon = now + timedelta(hours=offsets[0])
    candidates = (
        Obligation.objects.open()
        .filter(due_at__isnull=False, due_at__lte=horizon)
        .select_related("incident")
        .order_by("due_at", "id")
    )
    recipients_by_incident: dict[int, list[str]] = {}
    for obligation in candidates:
        reached = due_offsets(obligation.due_at, now, offsets)
        if not reached:
            continue
        urgent = reached[-1]
        with transaction.atomic():
            for hours in reached[:-1]:
                _reminder, created = Reminder.objects.get_or_create(
                    obligation=obligation,
                    offset=offset_code(hours),
                    defaults={
                        "outcome": ReminderOutcome.SKIPPED,
                        "created_at": now,
                        "note": gettext_noop("Superseded by a more urgent reminder."),
                    },
                )
                run.skipped += created
            if obligation.incident_id not in recipients_by_incident:
                recipients_by_incident[obligation.incident_id] = legal_recipients(
                    obligation.incident
                )
            recipients = recipients_by_incident[obligation.incident_id]
            reminder, created = Reminder.objects.get_or_create(
                obligation=obligation,
                offset=offset_code(urgent),
                defaults={
                    "outcome": ReminderOutcome.SENDING if recipients else ReminderOutcome.SKIPPED,
                    "created_at": now,
                    "recipients": recipients,
                    "attempts": 1 if recipients else 0,
                    "note": "" if recipients else gettext_noop("No legal member with an e-mail."),
                },
            )
        if not created:
            if not _claim_retry(reminder):
                continue
        elif reminder.outcome != ReminderOutcome.SENDING:
            run.skipped += 1
            continue
        if _deliver(reminder, obligation, urgent, now):
            run.sent += 1
        else:
            run.failed += 1
    return run


def _claim_retry(reminder: Reminder) -> bool:
    if reminder.outcome != ReminderOutcome.FAILED:
        return False
    claimed = Reminder.objects.filter(
        pk=reminder.pk,
        outcome=ReminderOutcome.FAILED,
        attempts__lt=settings.DEADLINE_REMINDER_MAX_ATTEMPTS,
    ).update(outcome=ReminderOutcome.SENDING, attempts=F("attempts") + 1)
    if claimed:
        reminder.refresh_from_db()
    return bool(claimed)


def _deliver(reminder: Reminder, obligation: Obligation, hours: int, now: datetime) -> bool:
    try:
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = reminder_message(obligation, hours)
        send_mail(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            reminder.recipients,
            fail_silently=False,
        )
    except Exception as exc:  # the row must say what happened, whatever it was
        logger.exception("Deadline reminder %s failed", reminder.pk)
        Reminder.objects.filter(pk=reminder.pk).update(
            outcome=ReminderOutcome.FAILED, note=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return False
    Reminder.objects.filter(pk=reminder.pk).update(
        outcome=ReminderOutcome.SENT, sent_at=timezone.now(), note=""
    )
    return True


def reminder_message(obligation: Obligation, hours: int) -> tuple[str, str]:
    incident = obligation.incident
    due = timezone.localtime(obligation.due_at, incident.tzinfo).strftime("%Y-%m-%d %H:%M %Z")
    if hours == 0:
        when = _("overdue since %(due)s") % {"due": due}
    else:
        when = _("due %(due)s (in less than %(hours)d hours)") % {"due": due, "hours": hours}
    subject = _("[Taisaku] %(reference)s: %(obligation)s %(when)s") % {
        "reference": incident.reference,
        "obligation": obligation.label,
        "when": when,
    }
    provisional = []
    if obligation.is_provisional:
        subject = _("%(subject)s (provisional)") % {"subject": subject}
        provisional = [
            "",
            _(
                "Provisional: computed as if due, with the earliest deadline, because these "
                "facts are not yet known: %(facts)s. Answer them on the incident to confirm "
                "or clear it."
            )
            % {"facts": "; ".join(obligation.open_fact_labels)},
        ]
    url = settings.SITE_URL.rstrip("/") + reverse(
        "admin:incidents_obligation_change", args=[obligation.pk]
    )
    body = "\n".join(
        [
            f"{incident.reference} {incident.title}",
            "",
            f"{obligation.regime_label}: {obligation.label}",
            _("Due: %(due)s") % {"due": due},
            obligation.rule_text,
            *provisional,
            "",
            _("Record the filing here once it is made: %(url)s") % {"url": url},
        ]
    )
    return subject, body
