"""Thin tasks over reporting.services; they take ids and read the row."""

import logging
import random

from celery import current_app, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import OperationalError
from kombu.exceptions import ChannelError

from operations import heartbeats

from . import services
from .models import Report

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, OSError)
MAX_RETRIES = 3


def backoff(retries: int) -> int:
    return min(5 * 2**retries, 300) + random.randint(0, 3)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    time_limit=settings.REPORT_TIME_LIMIT,
    soft_time_limit=settings.REPORT_SOFT_TIME_LIMIT,
)
def render_report(self, report_id: int) -> str | None:
    try:
        # A retry resumes its own attempt; any other delivery leaves a render in progress be.
        report = services.render(report_id, resume=self.request.retries > 0)
    except Report.DoesNotExist:
        logger.warning("Report %s does not exist (deleted?); nothing to render", report_id)
        return None
    except SoftTimeLimitExceeded as exc:
        services.mark_failed(report_id, exc)
        return "failed"
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            logger.exception("Report %s failed after %d retries", report_id, self.max_retries)
            services.mark_failed(report_id, exc)
            return "failed"
        logger.warning("Report %s: transient error, retrying: %s", report_id, exc)
        services.note_error(report_id, exc)
        retry = self.retry(exc=exc, countdown=backoff(self.request.retries), throw=False)
        if self.request.is_eager:
            # In-process, Celery runs the retry when the task returns it (a raised Retry
            # would propagate to the caller).
            return retry
        raise retry from exc
    except Exception as exc:
        logger.exception("Report %s could not be rendered", report_id)
        services.mark_failed(report_id, exc)
        return "failed"
    return report.status


def render_queue_empty() -> bool | None:
    """Whether no render message waits in the broker (None: unknown, e.g. in-process)."""
    if current_app.conf.task_always_eager:
        return None
    name = settings.REPORT_QUEUE or current_app.conf.task_default_queue
    try:
        with current_app.connection_for_read() as conn:
            declared = conn.default_channel.queue_declare(queue=name, passive=True)
    except ChannelError:  # Redis: a queue with no message has no key at all
        return True
    except Exception:
        logger.exception("Sweep: cannot read the length of queue %s", name)
        return None
    return declared.message_count == 0


@shared_task(acks_late=True)
def sweep_stuck_reports() -> list[int]:
    resent = services.sweep(queue_empty=render_queue_empty())
    heartbeats.record(heartbeats.SWEEP)  # GET /health/ notices when beat stops
    return resent
