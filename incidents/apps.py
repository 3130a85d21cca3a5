from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incident response")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import keytimes
        from .models import Milestone, Obligation

        # The dashboard's first moments follow every milestone and filing (keytimes.py).
        for model in (Milestone, Obligation):
            post_save.connect(keytimes.on_change, sender=model, dispatch_uid=f"keytimes-{model}")
            post_delete.connect(
                keytimes.on_change, sender=model, dispatch_uid=f"keytimes-d-{model}"
            )
