"""Checks on the asset's page (the ones made, and a new one) and the form of a check round
over the selected assets."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from incidents.admin import COMPACT_TEXT, DisplayOnlyInline

from ..choices import CheckResult
from ..models import Check


class RecordedCheckInline(DisplayOnlyInline):
    """The checks made, newest first, as they were recorded: a check decides the asset's
    state, so it is never rewritten or deleted here; a mistaken one is followed by a new
    check (the latest decides)."""

    model = Check
    fields = ["checked_at", "tool", "result", "checked_by", "note", "recorded_by"]
    verbose_name_plural = _("checks made")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class CheckInlineFormSet(BaseInlineFormSet):
    """The new check refused on its row when the asset already has it (the same tool at the
    same time). The inline's form leaves the asset out of the model's constraint checks, so
    without this the service would refuse it only after the asset was saved: a 500."""

    def clean(self):
        super().clean()
        if self.instance.pk is None:  # a new asset has no checks yet
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or not form.has_changed():
                continue
            tool, checked_at = data.get("tool"), data.get("checked_at")
            if tool and checked_at:
                recorded = Check.objects.filter(
                    asset=self.instance, tool=tool, checked_at=checked_at
                )
                if recorded.exists():
                    form.add_error(
                        "checked_at",
                        ValidationError(_("This check is already recorded."), code="unique"),
                    )


class CheckInline(admin.TabularInline):
    """A new check: the only way the asset's page writes one."""

    model = Check
    formset = CheckInlineFormSet
    extra = 1
    can_delete = False
    fields = ["checked_at", "tool", "result", "checked_by", "note"]
    verbose_name_plural = _("record a check")
    formfield_overrides = {
        **COMPACT_TEXT,
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 1, "cols": 20})},
    }

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "checked_at" and field is not None:
            # The page is in the incident's zone (ScopeAdmin): say which, once, in the header.
            field.help_text = gettext("In the incident's time zone (%(zone)s).") % {
                "zone": timezone.get_current_timezone_name()
            }
        return field


class CheckRoundForm(forms.Form):
    """One check for every asset selected in the list."""

    tool = forms.CharField(
        label=_("tool"), max_length=100, help_text=_("e.g. EmoCheck, full antivirus scan.")
    )
    result = forms.ChoiceField(label=_("result"), choices=CheckResult.choices)
    checked_at = forms.SplitDateTimeField(
        label=_("checked at"), widget=admin.widgets.AdminSplitDateTime
    )
    checked_by = forms.CharField(label=_("checked by"), max_length=200, required=False)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
