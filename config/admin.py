"""The admin site: the committee's workbench, with the readers sent where they read."""

from django.contrib import admin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

# Who reads rather than records: after logging in they land on the dashboard.
READER_GROUPS = ("executive", "auditor")


class TaisakuAdminSite(admin.AdminSite):
    site_header = _("Taisaku — incident response")
    site_title = _("Taisaku")
    index_title = _("Case records")

    def index(self, request, extra_context=None):
        user = request.user
        if (
            not user.is_superuser
            and "admin" not in request.GET
            and user.groups.filter(name__in=READER_GROUPS).exists()
        ):
            return redirect("dashboard")
        return super().index(request, extra_context)
