"""Organizations and their sender addresses.

The committee maintains its own organization: the organizations it sees are those of its
incidents (need-to-know, `Organization.objects.visible_to`); another's is "not found".
Creating an organization is for administrators (no role has the permission).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import (
    Organization,
    SenderAddress,
)
from .base import HistoryAdmin


class SenderAddressInline(admin.TabularInline):
    model = SenderAddress
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin):
    list_display = ["code", "name_ja", "name_en", "representative_name", "public_contact_email"]
    search_fields = ["code", "name_ja", "name_en"]
    inlines = [SenderAddressInline]
    fieldsets = [
        (
            None,
            {"fields": ["code", "name_ja", "name_en", "address", "website", "copyright_notice"]},
        ),
        (_("Representative"), {"fields": ["representative_title", "representative_name"]}),
        (
            _("Contacts"),
            {
                "fields": [
                    "regulator_contact_name",
                    "regulator_contact_email",
                    "regulator_contact_phone",
                    "public_contact_name",
                    "public_contact_email",
                    "public_contact_phone",
                ]
            },
        ),
    ]


# Incident ----------------------------------------------------------------------
