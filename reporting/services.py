"""Every write about reports: admin, commands and tasks call these.

The Report row is the truth about a job. A request writes the row and enqueues its id on
commit; the render step is idempotent (a ready report is never rendered again and its
file never rewritten); the sweeper re-sends rows that stayed queued or rendering too long.
"""

import logging
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.choices import FilingChannel
from incidents.limits import validate_in_range
from incidents.models import FilingRefused, Incident, Obligation
from incidents.regimes import REGIME_CHOICES
from incidents.services import obligation_to_fulfil, record_filing, record_individual_notice

from . import rendering
from .choices import ReportEvent, ReportKind, ReportLanguage, ReportStatus
from .models import Report, ReportLocked
from .readiness import RECORDED_LATER, Gap, Readiness, readiness
from .snapshot import build_snapshot, without_current_text

logger = logging.getLogger(__name__)

VERSION_ATTEMPTS = 5
ERROR_MAX_LENGTH = 2000


class ReportError(Exception):
    """A refused request about reports, with a message for the person who asked."""

    api_status = 400

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class NotReady(ReportError):
    """The document lacks items it must have; generating it anyway needs an override."""

    def __init__(self, result: Readiness):
        self.readiness = result
        missing = "; ".join(f"{gap.label}: {gap.detail.rstrip('。.')}" for gap in result.missing)
        super().__init__(
            _(
                "The document is not ready: %(missing)s. Record what is missing (or, for an "
                "item that stayed unknown after the investigation, record it as such with its "
                "reason), or generate it with gaps explicitly allowed."
            )
            % {"missing": missing}
        )


# Kinds that are refused with missing items unless the person asking allows the gaps:
# every kind (a public notice without its title in its language, a letter without a
# contact, is no more fit to go out than a 確報 without its items).
GATED = frozenset(ReportKind.values)


def gaps_of(report: Report, snapshot: dict | None = None) -> list[Gap]:
    """What the report's own snapshot lacked (read again from the snapshot it was made
    from, not from the case as it stands now): none for a report made complete; the
    narratives of a back-filled case not, when it was made with the current text.
    `snapshot`: the report's, when the caller read it apart (a list defers it)."""
    snapshot = report.snapshot if snapshot is None else snapshot
    if not snapshot:
        return []
    return printed_readiness(
        report.kind, report.language, snapshot, allow_current_text=report.allow_current_text
    ).missing


def missing_items(gaps: list[Gap]) -> list[str]:
    """The items the gaps belong to, each once (an item may lack several facts)."""
    return list(dict.fromkeys(gap.label for gap in gaps))


def check_gaps_confirmed(report: Report, with_gaps: bool) -> None:
    """A document generated with gaps fulfils an obligation only when the person recording
    its submission or sending says it went out with them (a 確報 with 追って報告 items is
    not the final report the clock waits for, unless someone decided so)."""
    missing = gaps_of(report)
    if missing and not with_gaps:
        raise ValidationError(
            {
                "with_gaps": _(
                    "This document was generated with items missing: %(items)s. Confirm that "
                    "it went out with these gaps to record it."
                )
                % {"items": ", ".join(missing_items(missing))}
            },
            code="gaps_not_confirmed",
        )


def document_date_for(incident: Incident, value: date | str | None) -> date:
    """The date the document bears: given, or today in the incident's zone; in range."""
    if value is None or value == "":
        return incident.today()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                {"date": _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}}
            ) from None
    try:
        validate_in_range(value)
    except ValidationError as exc:
        raise ValidationError({"date": exc.messages}) from None
    # A document speaks as of its date: not of a day still to come, nor of a day before
    # the organization knew of the incident.
    today = incident.today()
    if value > today:
        raise ValidationError(
            {
                "date": _(
                    "A document cannot bear a date after today (%(today)s): it states the "
                    "record as of its date."
                )
                % {"today": today.isoformat()}
            }
        )
    aware = incident.today(incident.aware_at) if incident.aware_at else None
    if aware is not None and value < aware:
        raise ValidationError(
            {
                "date": _(
                    "The organization became aware of the incident on %(aware)s: a document "
                    "about it cannot bear an earlier date."
                )
                % {"aware": aware.isoformat()}
            }
        )
    if aware is None:
        # Awareness not recorded: no document speaks of the incident before it was
        # discovered, nor before it occurred (whichever the record has; else any past day).
        for moment, message in (
            (
                incident.detected_at,
                _(
                    "The incident was discovered on %(day)s (when the organization became "
                    "aware of it is not recorded): a document about it cannot bear an "
                    "earlier date."
                ),
            ),
            (
                incident.occurred_at,
                _(
                    "The incident occurred on %(day)s (when the organization became aware "
                    "of it is not recorded): a document about it cannot bear an earlier date."
                ),
            ),
        ):
            if moment is not None:
                day = incident.today(moment)
                if value < day:
                    raise ValidationError({"date": message % {"day": day.isoformat()}})
                break
    return value


def check_applies(incident: Incident, kind: str) -> None:
    """A regulator's document only under its regime (no Art. 33 notification for an
    APPI-only case): the admin, the API and commands refuse the same way, on `kind`."""
    if not ReportKind.applies(kind, incident.regimes):
        regimes = dict(REGIME_CHOICES)
        raise ValidationError(
            {
                "kind": _(
                    "%(kind)s is not a document of this incident's regimes (it is under: "
                    "%(regimes)s)."
                )
                % {
                    "kind": ReportKind(kind).label,
                    "regimes": ", ".join(
                        str(regimes.get(regime, regime)) for regime in incident.regimes
                    )
                    or "—",
                }
            },
            code="not_of_its_regimes",
        )


def acknowledged(result: Readiness, *, allow_current_text: bool = False) -> Readiness:
    """`result` less what the person asking answered by allowing the current text (the
    narratives of a case recorded after the document's date): what only allowing gaps lets
    through is its `missing`."""
    if not allow_current_text:
        return result
    gaps = [gap for gap in result.gaps if gap.item != RECORDED_LATER]
    return Readiness(result.kind, result.language, gaps)


def printed(snapshot: dict, *, allow_current_text: bool) -> dict:
    """The snapshot as the document prints it: a back-filled case's text as it reads now
    only when the person asking allowed it, else left blank (snapshot.without_current_text)."""
    return snapshot if allow_current_text else without_current_text(snapshot)


def printed_readiness(
    kind: str, language: str, snapshot: dict, *, allow_current_text: bool = False
) -> Readiness:
    """What the document lacks as it prints: one answer for the readiness page and API,
    the request's gate and the report's own gaps when it is recorded as filed or sent."""
    result = readiness(kind, language, printed(snapshot, allow_current_text=allow_current_text))
    return acknowledged(result, allow_current_text=allow_current_text)


def check_readiness(
    incident: Incident,
    kind: str,
    language: str,
    *,
    document_date: date | None = None,
    allow_current_text: bool = False,
) -> Readiness:
    """What the document would still lack if it were generated now, dated `document_date`
    (checked as for generating it)."""
    check_kind_and_language(kind, language)
    check_applies(incident, kind)
    day = document_date_for(incident, document_date)
    snapshot = build_snapshot(incident, document_date=day)
    return printed_readiness(kind, language, snapshot, allow_current_text=allow_current_text)


def readable_error(exc: BaseException) -> str:
    text = str(exc).strip()
    return (f"{type(exc).__name__}: {text}" if text else type(exc).__name__)[:ERROR_MAX_LENGTH]


def check_kind_and_language(kind: str, language: str) -> None:
    if kind not in ReportKind.values:
        raise ReportError(
            _("Unknown report kind “%(kind)s”; choose one of: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(ReportKind.values)}
        )
    if language not in ReportLanguage.values:
        raise ReportError(
            _("Unknown report language “%(language)s”; choose one of: %(languages)s.")
            % {"language": language, "languages": ", ".join(ReportLanguage.values)}
        )
    if language not in ReportKind.languages(kind):
        raise ReportError(
            _("A “%(kind)s” report is written only in: %(languages)s (not “%(language)s”).")
            % {
                "kind": kind,
                "language": language,
                "languages": ", ".join(ReportKind.languages(kind)),
            }
        )


def enqueue(report_id: int) -> None:
    """Send the render task. A broker that is down loses nothing: the sweeper re-sends."""
    from .tasks import render_report

    options = {"queue": settings.REPORT_QUEUE} if settings.REPORT_QUEUE else {}
    try:
        render_report.apply_async((report_id,), **options)
    except Exception:  # the broker's errors vary by transport
        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            raise
        logger.exception("Could not enqueue report %s; the sweeper will retry", report_id)


@transaction.atomic
def request_report(
    incident: Incident,
    kind: str,
    language: str,
    user,
    *,
    document_date: date | str | None = None,
    allow_gaps: bool = False,
    allow_current_text: bool = False,
) -> Report:
    """Write the row with the next version of (incident, kind, language); render on commit.

    `document_date` is the date the document bears and speaks as of (default: today in the
    incident's zone). A kind in GATED with missing items is refused unless `allow_gaps`.
    A case recorded after that date has no narratives or assessed facts of the date: they
    print as gaps, unless `allow_current_text` (the person asking has checked them as they
    read now), which answers that item only, not the others missing.
    """
    check_kind_and_language(kind, language)
    check_applies(incident, kind)
    day = document_date_for(incident, document_date)
    now = timezone.now()
    snapshot = None
    if kind in GATED:
        # The data checked is the data rendered: the snapshot is kept on the row.
        taken = build_snapshot(incident, taken_at=now, document_date=day)
        result = printed_readiness(kind, language, taken, allow_current_text=allow_current_text)
        if not result.ready and not allow_gaps:
            raise NotReady(result)
        snapshot = printed(taken, allow_current_text=allow_current_text)
    for attempt in range(VERSION_ATTEMPTS):
        last = Report.objects.filter(incident=incident, kind=kind, language=language).aggregate(
            last=Max("version")
        )["last"]
        try:
            with transaction.atomic():
                report = Report(
                    incident=incident,
                    kind=kind,
                    language=language,
                    version=(last or 0) + 1,
                    requested_by=user if user is not None and user.pk else None,
                    requested_at=now,
                    enqueued_at=now,
                    document_date=day,
                    allow_gaps=allow_gaps,
                    allow_current_text=allow_current_text,
                    snapshot=snapshot,
                )
                report.save(force_insert=True, event=ReportEvent.REQUESTED, by=user)
            break
        except IntegrityError:
            if attempt == VERSION_ATTEMPTS - 1:
                raise
    transaction.on_commit(lambda: enqueue(report.pk))
    return report


def render(report_id: int, *, resume: bool = False) -> Report:
    """The task's work: snapshot once, render outside any transaction, store once.

    A second message for a report another delivery started rendering less than
    REPORT_STUCK_AFTER ago (the sweeper re-sent it while the first was still on its way)
    does nothing; `resume` is the task's own retry, which carries on.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("incident").get(pk=report_id)
        if report.status in (ReportStatus.READY, ReportStatus.FAILED) or report.is_locked:
            return report
        recent = timezone.now() - timedelta(seconds=settings.REPORT_STUCK_AFTER)
        if (
            not resume
            and report.status == ReportStatus.RENDERING
            and report.started_at is not None
            and report.started_at >= recent
        ):
            return report
        fields = ["status", "started_at", "attempts"]
        if report.snapshot is None:
            # Taken as of the request: a late notification is judged by when it was asked for.
            report.snapshot = printed(
                build_snapshot(
                    report.incident,
                    taken_at=report.requested_at,
                    document_date=report.document_date,
                ),
                allow_current_text=report.allow_current_text,
            )
            fields.append("snapshot")  # one taken at the request is on the row already
        report.status = ReportStatus.RENDERING
        report.started_at = timezone.now()
        report.attempts += 1
        report.save(update_fields=fields, event=ReportEvent.RENDERING, held=True)
    pdf = rendering.render_pdf(report.kind, report.language, report.snapshot)
    return store(report_id, pdf)


def store(report_id: int, pdf: rendering.RenderedPDF) -> Report:
    with transaction.atomic():
        # Not the snapshot (a long timeline's is large): it was rendered and stays as it is.
        report = Report.objects.select_for_update().defer("snapshot").get(pk=report_id)
        if report.status == ReportStatus.READY or report.is_locked:
            # Another delivery of the same message got there first: its file stays.
            return report
        name = report.storage_name
        storage = report.file.storage
        if storage.exists(name):
            # Left by an attempt that died before its commit; never a ready report's file.
            storage.delete(name)
        saved = storage.save(name, ContentFile(pdf.content))
        if saved != name:
            raise OSError(f"Storage saved {saved!r} instead of {name!r}")
        report.file.name = saved
        report.sha256 = pdf.sha256
        report.size = pdf.size
        report.page_count = pdf.pages
        report.status = ReportStatus.READY
        report.finished_at = timezone.now()
        report.error = ""
        report.save(
            update_fields=[
                "file",
                "sha256",
                "size",
                "page_count",
                "status",
                "finished_at",
                "error",
            ],
            event=ReportEvent.RENDERED,
            held=True,
        )
    return report


def note_error(report_id: int, exc: BaseException) -> None:
    """Keep the last transient error readable on the row while the task retries."""
    Report.objects.filter(pk=report_id, status__in=ReportStatus.pending()).update(
        error=readable_error(exc)
    )


@transaction.atomic
def mark_failed(report_id: int, exc: BaseException | str) -> Report | None:
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None or report.status == ReportStatus.READY or report.is_locked:
        return report
    report.status = ReportStatus.FAILED
    report.error = exc if isinstance(exc, str) else readable_error(exc)
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "error", "finished_at"], event=ReportEvent.FAILED)
    return report


@transaction.atomic
def mark_submitted(
    report: Report,
    *,
    user,
    to: str,
    reference: str = "",
    at: datetime | None = None,
    obligation: Obligation | None = None,
    channel: str = FilingChannel.WEB_FORM,
    with_gaps: bool = False,
) -> Report:
    """Submitted (to an authority) or published: from then on the report never changes.

    The filing is recorded on the obligation it fulfils, in the same transaction: the one
    named, or else the one open obligation its kind can fulfil (a PPC preliminary report
    the APPI preliminary stage, ...); when several fit, the caller is asked to name one.
    A report generated with gaps needs `with_gaps` (check_gaps_confirmed).
    """
    if at is not None:
        # Checked here, so the admin, the API and commands refuse the same dates.
        try:
            validate_in_range(at)
        except ValidationError as exc:
            raise ValidationError({"submitted_at": exc.messages}) from None
        if at > timezone.now():
            raise ValidationError(
                {"submitted_at": _("This is in the future.")}, code="in_the_future"
            )
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.is_locked:
        raise ReportLocked()
    if locked.status != ReportStatus.READY:
        raise ReportError(_("Only a ready report can be submitted or published."))
    if locked.kind == ReportKind.INDIVIDUAL_NOTICE:
        raise ReportError(
            _("A notice to the people concerned is recorded as sent (when, how, to how many).")
        )
    if not to.strip():
        raise ReportError(_("Say to whom the report was submitted or where it was published."))
    check_gaps_confirmed(locked, with_gaps)
    if obligation is not None and obligation.incident_id != locked.incident_id:
        raise ReportError(_("That obligation belongs to another incident."))
    stages = FULFILS.get(locked.kind, ())
    if stages:
        try:
            obligation = obligation_to_fulfil(
                locked.incident, stages=stages, chosen=obligation, what=locked.get_kind_display()
            )
        except FilingRefused as error:
            raise ReportError(error.message) from None
    locked.submitted_at = at or timezone.now()
    locked.submitted_to = to.strip()
    locked.authority_reference = reference.strip()
    locked.submitted_by = user if user is not None and user.pk else None
    locked.save(
        update_fields=["submitted_at", "submitted_to", "authority_reference", "submitted_by"],
        event=ReportEvent.SUBMITTED if locked.is_regulatory else ReportEvent.PUBLISHED,
        by=user,
    )
    if obligation is not None:
        record_filing(
            obligation,
            user=user,
            at=locked.submitted_at,
            channel=channel,
            reference=locked.authority_reference,
            report_id=locked.pk,
        )
    return locked


mark_published = mark_submitted


@transaction.atomic
def mark_sent(
    report: Report,
    *,
    user,
    sent_at: datetime,
    channel: str,
    people_reached: int,
    regimes=None,
    note: str = "",
    with_gaps: bool = False,
) -> Report:
    """A notice to the people concerned was sent: recorded on the incident through
    incidents.obligations.record_individual_notice (which fulfils the individuals
    obligation), and the report locked as sent, in one transaction. A notice generated with
    gaps needs `with_gaps` (check_gaps_confirmed)."""
    if sent_at is not None:
        # Its field named here, as mark_submitted's date (the incident's rule says no field).
        try:
            validate_in_range(sent_at)
        except ValidationError as exc:
            raise ValidationError({"sent_at": exc.messages}) from None
        if sent_at > timezone.now():
            raise ValidationError(
                {"sent_at": _("A notice cannot be recorded as sent in the future.")},
                code="in_the_future",
            )
    locked = Report.objects.select_for_update().select_related("incident").get(pk=report.pk)
    if locked.kind != ReportKind.INDIVIDUAL_NOTICE:
        raise ReportError(_("Only a notice to the people concerned can be recorded as sent."))
    if locked.is_locked:
        raise ReportLocked()
    if locked.status != ReportStatus.READY:
        raise ReportError(_("Only a ready notice can be recorded as sent."))
    # A letter is not sent before the date it bears (that day in the incident's zone).
    day = locked.document_date
    if (
        day is not None
        and sent_at is not None
        and timezone.is_aware(sent_at)
        and sent_at.astimezone(locked.incident.tzinfo).date() < day
    ):
        raise ValidationError(
            {
                "sent_at": _(
                    "The notice is dated %(date)s: it cannot have been sent before that day."
                )
                % {"date": day.isoformat()}
            },
            code="before_its_date",
        )
    check_gaps_confirmed(locked, with_gaps)
    try:
        notice, _fulfilled = record_individual_notice(
            locked.incident,
            user=user,
            sent_at=sent_at,
            channel=channel,
            people_reached=people_reached,
            regimes=regimes,
            note=note or str(locked),
            report_id=locked.pk,
        )
    except FilingRefused as error:
        raise ReportError(error.message) from None
    locked.submitted_at = notice.sent_at
    locked.submitted_to = str(notice)
    locked.submitted_by = user if user is not None and user.pk else None
    locked.save(
        update_fields=["submitted_at", "submitted_to", "submitted_by"],
        event=ReportEvent.SENT,
        by=user,
    )
    return locked


# The legal clocks each kind of document can fulfil when submitted.
FULFILS: dict[str, tuple[tuple[str, str], ...]] = {
    ReportKind.PPC_PRELIMINARY: (("appi", "preliminary"),),
    ReportKind.PPC_FINAL: (("appi", "final"),),
    ReportKind.GDPR_ART33: (("gdpr", "authority"), ("uk-gdpr", "authority")),
}


@transaction.atomic
def sweep(now: datetime | None = None, *, queue_empty: bool | None = None) -> list[int]:
    """Re-send reports left queued or rendering too long; give up after too many attempts.

    With `queue_empty` (no render message waits in the broker), a report still queued
    REPORT_RESEND_AFTER seconds after its last send lost its message (the broker came back
    without it): it is sent again at once rather than after REPORT_STUCK_AFTER.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.REPORT_STUCK_AFTER)
    stale_send = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=cutoff)
    stuck_filter = stale_send & (
        Q(status=ReportStatus.QUEUED)
        | Q(status=ReportStatus.RENDERING, started_at__lt=cutoff)
        | Q(status=ReportStatus.RENDERING, started_at__isnull=True)
    )
    if queue_empty:
        lost_cutoff = now - timedelta(seconds=settings.REPORT_RESEND_AFTER)
        stuck_filter |= Q(status=ReportStatus.QUEUED) & (
            Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=lost_cutoff)
        )
    stuck = Report.objects.select_for_update(skip_locked=True).filter(
        stuck_filter, submitted_at__isnull=True
    )
    resent = []
    max_attempts = getattr(settings, "REPORT_MAX_ATTEMPTS", 5)
    for report in stuck.only("pk", "attempts", "status"):
        if report.attempts >= max_attempts:
            mark_failed(
                report.pk,
                _("Gave up after %(attempts)d attempts (the worker died each time).")
                % {"attempts": report.attempts},
            )
            continue
        Report.objects.filter(pk=report.pk).update(enqueued_at=now)
        resent.append(report.pk)
    for report_id in resent:
        transaction.on_commit(partial(enqueue, report_id))
    if resent:
        logger.warning("Re-enqueued %d stuck report(s): %s", len(resent), resent)
    return resent
