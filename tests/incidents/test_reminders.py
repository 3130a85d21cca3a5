"""Deadline reminders: to legal members only, once per obligation and offset, no bursts."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection

from incidents import obligations, services, tasks
from incidents.choices import FilingChannel, ReminderOutcome
from incidents.models import Obligation, Reminder
from tests.conftest import jst

AWARE = jst(2024, 6, 3, 12)


@pytest.fixture
def gdpr_case(make_incident, make_user):
    """A GDPR case: the authority is due 72 h after awareness (6 June 12:00 JST)."""
    legal = make_user("lena", "legal", email="lena@example.com")
    legal_no_mail = make_user("lou", "legal")
    committee = make_user("cora", "committee", email="cora@example.com")
    make_user("otto", "legal", email="otto@example.com")  # legal, but not on the case
    incident = make_incident(
        members=[legal, legal_no_mail, committee], aware_at=AWARE, regimes=["gdpr"]
    )
    return incident.obligations.get(regime="gdpr", stage="authority")


def outcomes(obligation):
    return dict(obligation.reminders.values_list("offset", "outcome"))


@pytest.mark.django_db
def test_each_offset_is_sent_once_to_legal_members(gdpr_case):
    due = gdpr_case.due_at
    assert obligations.send_deadline_reminders(due - timedelta(hours=73)).sent == 0
    assert mail.outbox == []

    run = obligations.send_deadline_reminders(due - timedelta(hours=71))
    assert run.sent == 1
    assert [m.to for m in mail.outbox] == [["lena@example.com"]]
    assert gdpr_case.incident.reference in mail.outbox[0].subject
    assert f"/admin/incidents/obligation/{gdpr_case.pk}/change/" in mail.outbox[0].body
    assert outcomes(gdpr_case) == {"72h": ReminderOutcome.SENT}

    # Again, and again later the same day: nothing new.
    obligations.send_deadline_reminders(due - timedelta(hours=71))
    obligations.send_deadline_reminders(due - timedelta(hours=30))
    assert len(mail.outbox) == 1

    obligations.send_deadline_reminders(due - timedelta(hours=23))
    obligations.send_deadline_reminders(due - timedelta(hours=1))
    assert len(mail.outbox) == 2
    obligations.send_deadline_reminders(due)  # due, not yet overdue
    assert len(mail.outbox) == 2
    obligations.send_deadline_reminders(due + timedelta(seconds=1))
    obligations.send_deadline_reminders(due + timedelta(days=3))
    assert len(mail.outbox) == 3
    assert outcomes(gdpr_case) == {
        "72h": ReminderOutcome.SENT,
        "24h": ReminderOutcome.SENT,
        "overdue": ReminderOutcome.SENT,
    }
    reminder = gdpr_case.reminders.get(offset="overdue")
    assert reminder.recipients == ["lena@example.com"] and reminder.sent_at is not None


@pytest.mark.django_db
def test_an_old_case_gets_only_the_most_urgent_reminder(gdpr_case):
    run = obligations.send_deadline_reminders(gdpr_case.due_at + timedelta(days=30))
    assert (run.sent, run.skipped) == (1, 2)
    assert len(mail.outbox) == 1
    assert outcomes(gdpr_case) == {
        "72h": ReminderOutcome.SKIPPED,
        "24h": ReminderOutcome.SKIPPED,
        "overdue": ReminderOutcome.SENT,
    }
    obligations.send_deadline_reminders(gdpr_case.due_at + timedelta(days=31))
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_fulfilled_and_not_applicable_obligations_are_not_reminded(gdpr_case, make_incident):
    services.record_filing(
        gdpr_case, user=None, at=AWARE + timedelta(hours=5), channel=FilingChannel.EMAIL
    )
    # Not significant: nothing applies.
    make_incident(aware_at=AWARE, regimes=["nis2"], significant_incident=False)
    obligations.send_deadline_reminders(gdpr_case.due_at + timedelta(days=1))
    assert mail.outbox == [] and not Reminder.objects.exists()


@pytest.mark.django_db
def test_no_legal_member_with_mail_is_recorded_not_sent(make_incident, make_user):
    committee = make_user("cora", "committee", email="cora@example.com")
    incident = make_incident(members=[committee], aware_at=AWARE, regimes=["gdpr"])
    obligation = incident.obligations.get(stage="authority")
    run = obligations.send_deadline_reminders(obligation.due_at + timedelta(hours=1))
    assert run.sent == 0 and mail.outbox == []
    assert obligation.reminders.get(offset="overdue").outcome == ReminderOutcome.SKIPPED


@pytest.mark.django_db
def test_offsets_come_from_settings(gdpr_case, settings):
    settings.DEADLINE_REMINDER_OFFSETS = [48, 0]
    obligations.send_deadline_reminders(gdpr_case.due_at - timedelta(hours=47))
    assert outcomes(gdpr_case) == {"48h": ReminderOutcome.SENT}


@pytest.mark.django_db
def test_a_failed_send_is_recorded_and_retried_once_claimed(gdpr_case, monkeypatch):
    calls = []

    def broken(*args, **kwargs):
        calls.append(args)
        raise OSError("mail server down")

    monkeypatch.setattr(obligations, "send_mail", broken)
    now = gdpr_case.due_at - timedelta(hours=1)
    assert obligations.send_deadline_reminders(now).failed == 1
    reminder = gdpr_case.reminders.get(offset="24h")
    assert reminder.outcome == ReminderOutcome.FAILED and "mail server down" in reminder.note
    monkeypatch.undo()
    assert obligations.send_deadline_reminders(now).sent == 1
    reminder.refresh_from_db()
    assert (reminder.outcome, reminder.attempts) == (ReminderOutcome.SENT, 2)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_beat_task_wraps_the_service(gdpr_case, monkeypatch):
    monkeypatch.setattr(obligations.timezone, "now", lambda: gdpr_case.due_at - timedelta(hours=2))
    result = tasks.send_deadline_reminders.delay().get()
    assert result == {"sent": 1, "skipped": 1, "failed": 0}


@pytest.mark.django_db(transaction=True)
def test_two_processes_at_once_send_once(make_incident, make_user):
    """Two beat runs racing on the same rows (threads, each with its own connection)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL (DATABASE_URL)")
    legal = make_user("lena", "legal", email="lena@example.com")
    for _ in range(5):
        make_incident(
            members=[legal], aware_at=AWARE, regimes=["gdpr", "nis2"], significant_incident=True
        )
    now = AWARE + timedelta(hours=60)
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            obligations.send_deadline_reminders(now)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    due = Obligation.objects.open().filter(due_at__isnull=False).count()
    assert due == 15  # per incident: GDPR authority, NIS2 early warning and notification
    assert len(mail.outbox) == due
    assert Reminder.objects.filter(outcome=ReminderOutcome.SENT).count() == due
