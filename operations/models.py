"""What the operators need to know the background jobs still run."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """When a scheduled job last ran to its end (one row per job, written by the job)."""

    job = models.CharField(_("job"), max_length=64)
    at = models.DateTimeField(_("last run"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")
        constraints = [models.UniqueConstraint(fields=["job"], name="heartbeat_job_unique")]

    def __str__(self) -> str:
        return f"{self.job} @ {self.at:%Y-%m-%d %H:%M:%S}"
