"""Reminders end to end: real Celery workers and two beat processes on Redis, real mail files.

Opt-in (it starts processes and needs Redis and a database they can share):

    make test-e2e   # or: TAISAKU_E2E=1 DATABASE_URL=postgres://... .venv/bin/pytest -m e2e

On SQLite, give the test database a file: TEST_DATABASE_NAME=var/test-e2e.sqlite3.
Redis comes from TAISAKU_E2E_REDIS_URL; the test's keys carry a prefix of its own and only
they are deleted afterwards (tests/conftest.py's e2e_broker).
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from incidents.choices import ReminderOutcome
from incidents.models import Reminder
from tests.conftest import subprocess_database_url

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

EXPECTED_SENT = 3  # GDPR authority (24 h), NIS2 early warning (overdue), notification (24 h)
EXPECTED_SKIPPED = 4  # the less urgent offsets they had already passed


def database_url() -> str:
    url = subprocess_database_url()
    if url is None:
        pytest.skip("needs a database other processes can open (PostgreSQL or TEST_DATABASE_NAME)")
    return url


def start(args, env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "celery", "-A", "config", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(processes) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


def mails(folder: Path) -> list[str]:
    messages = []
    for path in sorted(folder.glob("*.log")):
        messages += [m for m in path.read_text().split("-" * 79) if "Subject:" in m]
    return messages


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return predicate()


@pytest.mark.skipif(os.environ.get("TAISAKU_E2E") != "1", reason="set TAISAKU_E2E=1 to run")
@pytest.mark.django_db(transaction=True)
def test_reminders_go_out_once_with_two_beats_and_two_workers(
    make_incident, make_user, tmp_path, e2e_broker
):
    url = database_url()
    legal = make_user("lena", "legal", email="lena@example.com")
    committee = make_user("cora", "committee", email="cora@example.com")
    incident = make_incident(
        members=[legal, committee],
        aware_at=timezone.now() - timedelta(hours=60),
        regimes=["gdpr", "nis2"],
        significant_incident=True,
        nis2_trust_service=False,  # else the notification is due in 24 h, provisionally
    )
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        **e2e_broker.env,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "DEADLINE_REMINDER_INTERVAL": "1",
        "LOG_LEVEL": "WARNING",
    }
    processes = [
        start(
            ["worker", "--beat", "-s", str(tmp_path / "beat-1"), "-n", "e2e-1@%h", "-c", "2"],
            env,
            tmp_path / "worker-1.log",
        ),
        start(["worker", "-n", "e2e-2@%h", "-c", "2"], env, tmp_path / "worker-2.log"),
        start(["beat", "-s", str(tmp_path / "beat-2")], env, tmp_path / "beat-2.log"),
    ]
    try:
        sent = Reminder.objects.filter(outcome=ReminderOutcome.SENT)
        arrived = wait_for(lambda: sent.count() >= EXPECTED_SENT, timeout=90)
        logs = "\n".join(p.read_text(errors="replace")[-3000:] for p in tmp_path.glob("*.log"))
        assert arrived, logs
        time.sleep(6)  # several more ticks of both beats: nothing may be sent again
        assert all(p.poll() is None for p in processes), logs
    finally:
        stop(processes)

    assert sent.count() == EXPECTED_SENT
    assert Reminder.objects.filter(outcome=ReminderOutcome.SKIPPED).count() == EXPECTED_SKIPPED
    assert not Reminder.objects.exclude(
        outcome__in=[ReminderOutcome.SENT, ReminderOutcome.SKIPPED]
    ).exists()
    messages = mails(mail_dir)
    assert len(messages) == EXPECTED_SENT
    assert all("To: lena@example.com" in m and "cora@" not in m for m in messages)
    assert all(incident.reference in m for m in messages)
