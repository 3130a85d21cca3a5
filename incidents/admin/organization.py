"""Organizations and their sender addresses."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import (
    Organization,
    SenderAddress,
)
from .base import HistoryAdmin, NarrativeAdmin


class SenderAddressInline(admin.TabularInline):
    model = SenderAddress
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(NarrativeAdmin, HistoryAdmin):
    list_display = ["name_ja", "name_en", "representative_name", "public_contact_email"]
    search_fields = ["name_ja", "name_en"]
    inlines = [SenderAddressInline]
    fieldsets = [
        (None, {"fields": ["name_ja", "name_en", "address", "website", "copyright_notice"]}),
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
