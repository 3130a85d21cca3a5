"""The investigation: engagements, findings, evidence and custody."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import services
from ..choices import CustodyAction
from ..limits import NOTE_MAX_LENGTH
from ..models import (
    CustodyEntry,
    Engagement,
    Evidence,
    Finding,
    IncidentError,
)
from .base import (
    HistoryAdmin,
    IncidentTimeZoneMixin,
    NarrativeAdmin,
    NarrativeStackedInline,
    local_time,
)


class FindingOfEngagementInline(NarrativeStackedInline):
    """A finding's summary and conclusion are paragraphs, in two languages: one finding
    under the other, each text its own box, not four text boxes side by side."""

    model = Finding
    extra = 0
    fields = ["reported_at", "kind", "summary", "conclusion"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}


@admin.register(Engagement)
class EngagementAdmin(IncidentTimeZoneMixin, NarrativeAdmin, HistoryAdmin):
    list_display = ["vendor", "incident", "requested_at"]
    list_select_related = ["incident"]
    search_fields = ["vendor_ja", "vendor_en", "scope_ja", "scope_en", "incident__reference"]
    autocomplete_fields = ["incident"]
    inlines = [FindingOfEngagementInline]


@admin.register(Finding)
class FindingAdmin(IncidentTimeZoneMixin, NarrativeAdmin, HistoryAdmin):
    """Findings are edited on their engagement's page; this admin answers the searchable
    selects that name a finding (a milestone, an indicator), through need-to-know."""

    time_zone_path = "engagement__incident__time_zone"
    list_display = ["reported_at", "kind", "engagement"]
    list_select_related = ["engagement", "engagement__incident"]
    search_fields = [
        *("summary_ja", "summary_en", "conclusion_ja", "conclusion_en"),
        *("engagement__vendor_ja", "engagement__vendor_en"),
        "engagement__incident__reference",
    ]
    autocomplete_fields = ["engagement"]

    def get_model_perms(self, request):
        return {}  # not listed on the index: reached from its engagement


class CustodyEntryInline(admin.TabularInline):
    """The chain of custody is append-only: past links are shown, never edited."""

    model = CustodyEntry
    extra = 1
    fields = ["at", "action", "from_party", "to_party", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")

    def has_change_permission(self, request, obj=None):
        return False

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        evidence = obj

        class CustodyFormSet(formset):
            def clean(self):
                super().clean()
                new = [
                    f.cleaned_data["action"]
                    for f in self.extra_forms
                    if f.has_changed() and f.cleaned_data.get("action")
                ]
                if evidence is None or not new:
                    return
                try:
                    services.check_custody_open(evidence, pending=new)
                except IncidentError as exc:
                    raise ValidationError(exc.message) from None

        return CustodyFormSet


class EvidenceForm(forms.ModelForm):
    """New items take a file (checked by the same service as the API's uploads) and may
    correct an earlier item; once recorded, the file is shown, never edited."""

    correction_reason = forms.CharField(
        label=_("why it is corrected"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("With “corrects”: recorded in the new item's chain of custody."),
    )

    class Meta:
        model = Evidence
        exclude: list[str] = []  # noqa: DJ006 - the admin chooses what is shown

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                services.check_evidence_file(upload)
            except IncidentError as exc:
                raise ValidationError(exc.message) from None
        return upload

    def clean(self):
        data = super().clean()
        if data.get("corrects") and not (data.get("correction_reason") or "").strip():
            self.add_error(
                "correction_reason",
                _("Say why the item is corrected: it goes into the custody chain."),
            )
        return data


@admin.register(Evidence)
class EvidenceAdmin(IncidentTimeZoneMixin, HistoryAdmin):
    form = EvidenceForm
    list_display = ["label", "kind", "incident", "collected_at", "custody", "size"]
    list_filter = ["kind"]
    list_select_related = ["incident"]
    search_fields = ["label", "description", "sha256", "incident__reference"]
    autocomplete_fields = ["incident", "corrects"]
    inlines = [CustodyEntryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_disposal()

    def get_fields(self, request, obj=None):
        fields = [
            "incident",
            "label",
            "kind",
            "description",
            "collected_at",
            "collected_by",
            "location",
            "file",
            "sha256",
            "size",
            "corrects",
        ]
        if obj is None:
            return [*fields, "correction_reason"]
        return [*fields, "corrections_list"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["sha256", "size"]
        # Write-once: a stored file, its hash, the incident and what the item corrects
        # never change (an item recorded without a file may get one, once).
        fixed = ["incident", "sha256", "size", "corrects", "corrections_list"]
        return [*fixed, "file"] if obj.file else fixed

    @admin.display(description=_("corrected by"))
    def corrections_list(self, obj):
        rows = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:incidents_evidence_change", args=[item.pk]),
                item.label,
            )
            for item in obj.corrections.all()
        ]
        return format_html_join(", ", "{}", ((row,) for row in rows)) if rows else "—"

    def save_model(self, request, obj, form, change):
        if change:
            services.save_evidence_change(obj, user=request.user)
        else:
            services.save_new_evidence(
                obj,
                user=request.user,
                correction_reason=form.cleaned_data.get("correction_reason", ""),
            )

    @admin.display(description=_("custody"))
    def custody(self, obj):
        if obj.disposed_at:
            return gettext("%(action)s on %(date)s") % {
                "action": CustodyAction(obj.disposal_action).label,
                "date": local_time(obj.incident, obj.disposed_at),
            }
        return gettext("in custody")

    def save_formset(self, request, form, formset, change):
        if formset.model is not CustodyEntry:
            return super().save_formset(request, form, formset, change)
        for entry_form in formset.extra_forms:
            if not entry_form.has_changed():
                continue
            data = entry_form.cleaned_data
            try:
                services.record_custody(
                    form.instance,
                    user=request.user,
                    at=data["at"],
                    action=data["action"],
                    from_party=data.get("from_party", ""),
                    to_party=data.get("to_party", ""),
                    note=data.get("note", ""),
                )
            except IncidentError as exc:
                messages.error(request, exc.message)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
