"""Background jobs of the case record; each is a thin wrapper over a service."""

from celery import shared_task

from operations import heartbeats

from . import obligations


@shared_task(ignore_result=True)
def send_deadline_reminders() -> dict[str, int]:
    """Beat job: e-mail legal about deadlines (exactly once per obligation and offset)."""
    run = obligations.send_deadline_reminders()
    heartbeats.record(heartbeats.REMINDERS)  # GET /health/ notices when this stops
    return {"sent": run.sent, "skipped": run.skipped, "failed": run.failed}
