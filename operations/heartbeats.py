"""Scheduled jobs say they ran; the health check reads it (operations.health)."""

from django.utils import timezone

from .models import Heartbeat

SWEEP = "reporting.sweep"
REMINDERS = "incidents.reminders"


def record(job: str) -> None:
    Heartbeat.objects.update_or_create(job=job, defaults={"at": timezone.now()})
