"""Is Taisaku doing its work? Database, broker, the scheduled jobs, the report queue.

Read by GET /health/ (unauthenticated: docker-compose and load balancers call it) and by
`manage.py health`. What it says is counts, ages and yes/no only: no incident, report or
person, no error text (which could carry a host name or a password); the errors go to the
log.

A check is stale when what it watches has not happened for longer than it should:
* sweep: the stuck-report sweeper (every REPORT_SWEEP_INTERVAL) has not finished for
  three intervals and a half-minute: beat, the broker or every worker is gone;
* reminders: the deadline-reminder job (every DEADLINE_REMINDER_INTERVAL), likewise, two
  intervals and a minute;
* pending_reports: a report has waited since its last (re-)send for longer than the
  sweeper's REPORT_STUCK_AFTER plus three sweeps: nobody is taking care of it.
Without a broker (tasks in-process, no beat) the scheduled jobs are not checked.
A job that never ran counts as stale: not known is not "fine".
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min
from django.utils import timezone

from .heartbeats import REMINDERS, SWEEP
from .models import Heartbeat

logger = logging.getLogger(__name__)

CHECKS = ["database", "broker", "sweep", "reminders", "pending_reports"]
BROKER_TIMEOUT = 3.0


def scheduled() -> bool:
    return not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)


def limits() -> dict[str, int]:
    sweep = settings.REPORT_SWEEP_INTERVAL
    return {
        "sweep": sweep * 3 + 30,
        "reminders": settings.DEADLINE_REMINDER_INTERVAL * 2 + 60,
        "pending_reports": settings.REPORT_STUCK_AFTER + sweep * 3,
    }


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health: database unreachable")
        return {"ok": False, "error": "unreachable"}
    return {"ok": True}


def check_broker() -> dict:
    if not scheduled():
        return {"ok": True, "mode": "in-process"}
    from config.celery import app

    try:
        with app.connection_for_write(connect_timeout=BROKER_TIMEOUT) as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
    except Exception:
        logger.exception("Health: broker unreachable")
        return {"ok": False, "error": "unreachable"}
    return {"ok": True}


def age(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, round((now - moment).total_seconds()))


def check_heartbeat(job: str, max_age: int, now: datetime) -> dict:
    if not scheduled():
        return {"ok": True, "mode": "in-process"}
    try:
        last = Heartbeat.objects.filter(job=job).values_list("at", flat=True).first()
    except Exception:
        logger.exception("Health: cannot read the heartbeat of %s", job)
        return {"ok": False, "error": "unreadable", "max_age_seconds": max_age}
    seconds = age(last, now)
    return {
        "ok": seconds is not None and seconds <= max_age,
        "last_run": last.isoformat() if last else None,
        "age_seconds": seconds,
        "max_age_seconds": max_age,
    }


def check_pending_reports(max_age: int, now: datetime) -> dict:
    from reporting.choices import ReportStatus
    from reporting.models import Report

    try:
        found = Report.objects.filter(status__in=ReportStatus.pending()).aggregate(
            count=Count("id"), oldest=Min("enqueued_at")
        )
    except Exception:
        logger.exception("Health: cannot count pending reports")
        return {"ok": False, "error": "unreadable", "max_age_seconds": max_age}
    seconds = age(found["oldest"], now)
    return {
        "ok": seconds is None or seconds <= max_age,
        "count": found["count"],
        "oldest_age_seconds": seconds,
        "max_age_seconds": max_age,
    }


def health(only: list[str] | None = None, now: datetime | None = None) -> dict:
    """{"status": "ok" | "stale", "checked_at", "checks": {name: {"ok", ...}}}."""
    now = now or timezone.now()
    limit = limits()
    run = {
        "database": check_database,
        "broker": check_broker,
        "sweep": lambda: check_heartbeat(SWEEP, limit["sweep"], now),
        "reminders": lambda: check_heartbeat(REMINDERS, limit["reminders"], now),
        "pending_reports": lambda: check_pending_reports(limit["pending_reports"], now),
    }
    checks = {name: run[name]() for name in (only or CHECKS)}
    return {
        "status": "ok" if all(c["ok"] for c in checks.values()) else "stale",
        "checked_at": now.isoformat(),
        "checks": checks,
    }
