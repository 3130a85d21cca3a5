"""Organizations, their sender addresses, and the people who belong to them.

The committee maintains its own organization: the organizations it sees are those it belongs
to and those of its incidents (need-to-know, `Organization.objects.visible_to`); another's
is "not found". It changes only those it belongs to (`Organization.objects.editable_by`):
one seen through an incident of it is read-only. Creating an organization, and saying who
belongs to it (on the person's page), is for administrators (no role has the permissions).
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from ..models import (
    Organization,
    OrganizationMembership,
    SenderAddress,
)
from ..models.organization import CODE_FIXED_HELP, default_regimes, free_organization_code
from ..regimes import REGIMES
from .base import HistoryAdmin, NarrativeAdmin
from .people import PermissionLabelsMixin


def acts_for(request, organization) -> bool:
    """Whether the person may change this organization: one they belong to (or the
    superuser). One seen only through an incident of it is read-only to them."""
    return organization is None or Organization.objects.acts_for(request.user, organization)


class SenderAddressInline(admin.TabularInline):
    model = SenderAddress
    extra = 1

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and acts_for(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and acts_for(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and acts_for(request, obj)


class OrganizationForm(forms.ModelForm):
    # The regimes as boxes to tick, not the JSON list they are stored as.
    default_regimes = forms.MultipleChoiceField(
        label=_("regimes a new incident starts under"),
        choices=list(REGIMES.items()),
        widget=forms.CheckboxSelectMultiple,
        initial=default_regimes,  # the APPI ticked on a new organization, as the model's default
        help_text=_(
            "Every new incident of the organization starts under these laws (at least one); "
            "the committee adds or removes regimes per incident."
        ),
    )

    class Meta:
        model = Organization
        fields = ["default_regimes"]  # the others come from the admin's fieldsets


@admin.register(Organization)
class OrganizationAdmin(NarrativeAdmin, HistoryAdmin):
    form = OrganizationForm

    def get_changeform_initial_data(self, request):
        """A new organization is offered a free code (INC for the first); it may choose
        its own."""
        return {"code": free_organization_code(), **super().get_changeform_initial_data(request)}

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and acts_for(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and acts_for(request, obj)

    @staticmethod
    def code_is_fixed(obj) -> bool:
        return obj is not None and obj.code_is_fixed

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self.code_is_fixed(obj) and "code" not in fields:
            fields.append("code")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.code_is_fixed(obj):
            kwargs["help_texts"] = {"code": CODE_FIXED_HELP}
        return super().get_form(request, obj, change=change, **kwargs)

    list_display = ["code", "name_ja", "name_en", "representative_name", "public_contact_email"]
    search_fields = ["code", "name_ja", "name_en"]
    inlines = [SenderAddressInline]
    fieldsets = [
        (
            None,
            {"fields": ["code", "name_ja", "name_en", "address", "website", "copyright_notice"]},
        ),
        (_("Representative"), {"fields": ["representative_title", "representative_name"]}),
        (None, {"fields": ["default_regimes"]}),
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


class OrganizationMembershipInline(admin.TabularInline):
    model = OrganizationMembership
    fields = ["organization"]
    extra = 0


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(PermissionLabelsMixin, UserAdmin):
    """Django's user page, with the organizations the person belongs to."""

    inlines = [*UserAdmin.inlines, OrganizationMembershipInline]


# Incident ----------------------------------------------------------------------
