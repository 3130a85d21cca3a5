from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScopeConfig(AppConfig):
    name = "scope"
    verbose_name = _("Scope: assets and indicators")
    default_auto_field = "django.db.models.BigAutoField"
