"""Legal clocks: obligations, filings, individual notices."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import services
from ..choices import ObligationState
from ..filtersets import FiledWithAuthorityFilter, ObligationStateFilter
from ..models import (
    IncidentError,
    IndividualNotice,
    Obligation,
    Reminder,
)
from ..regimes import REGIMES
from .base import (
    DisplayOnlyInline,
    HistoryAdmin,
    IncidentTimeZoneMixin,
    announce_fulfilment,
    local_time,
)

STATE_STYLES: dict[str, tuple[str, str]] = {
    ObligationState.OVERDUE: ("#ba2121", "#fff"),  # red
    ObligationState.DUE_SOON: ("#f0ad00", "#000"),  # amber
    ObligationState.PENDING: ("#205493", "#fff"),  # blue: open, not yet due soon (green is done)
    ObligationState.PROVISIONAL: ("#f0ad00", "#000"),  # amber: computed as if due
    ObligationState.FULFILLED: ("#2e7d32", "#fff"),
    ObligationState.NOT_APPLICABLE: ("#767676", "#fff"),
}


def state_badge(state: str):
    background, colour = STATE_STYLES[state]
    return format_html(
        '<span class="taisaku-state taisaku-state-{}" style="background:{};color:{};'
        'padding:1px 6px;border-radius:3px;white-space:nowrap">{}</span>',
        state,
        background,
        colour,
        ObligationState(state).label,
    )


class ObligationDisplayMixin:
    """Computed columns shared by the incident's inline and the obligations admin."""

    @admin.display(description=_("obligation"))
    def stage_label(self, obj):
        return obj.label

    @admin.display(description=_("regime"), ordering="regime")
    def regime_label(self, obj):
        return obj.regime_label

    @admin.display(description=_("state"))
    def state_display(self, obj):
        return state_badge(getattr(obj, "state", None) or obj.state_at())

    @admin.display(description=_("due at"), ordering="due_at")
    def due_local(self, obj):
        if obj.due_at is not None:
            return local_time(obj.incident, obj.due_at)
        if not obj.applies:
            return "—"
        if obj.incident.aware_at is None:
            return gettext("Clock not started: when the organization knew is not recorded")
        if obj.depends_on_stage():
            return gettext("Starts when “%(stage)s” is filed") % {"stage": obj.depends_on_stage()}
        return gettext("No fixed date")

    @admin.display(description=_("due soon from"))
    def soon_local(self, obj):
        return local_time(obj.incident, obj.soon_from)

    @admin.display(description=_("rule"))
    def rule_display(self, obj):
        if not obj.applies:
            return obj.reason_text
        if obj.is_provisional:
            return format_html(
                "{}<br><strong>{}</strong> {}",
                obj.rule_text,
                gettext("Provisional until these facts are known:"),
                "; ".join(obj.open_fact_labels),
            )
        return obj.rule_text

    @admin.display(description=_("filing"))
    def filing_display(self, obj):
        if obj.fulfilled_at is None:
            return "—"
        parts = [local_time(obj.incident, obj.fulfilled_at), obj.get_channel_display()]
        if obj.authority_reference:
            parts.append(obj.authority_reference)
        return ", ".join(str(p) for p in parts)


class IndividualNoticeForm(forms.ModelForm):
    regimes = forms.MultipleChoiceField(
        label=_("Regimes it answers"),
        choices=list(REGIMES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Needed when notices to individuals are open under several regimes."),
    )

    class Meta:
        model = IndividualNotice
        fields = ["incident", "sent_at", "channel", "people_reached", "note"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.targets = services.check_individual_notice(
                cleaned["incident"],
                sent_at=cleaned["sent_at"],
                channel=cleaned["channel"],
                people_reached=cleaned["people_reached"],
                regimes=cleaned.get("regimes"),
            )
        except IncidentError as error:
            raise ValidationError(error.message) from None
        return cleaned


@admin.register(IndividualNotice)
class IndividualNoticeAdmin(IncidentTimeZoneMixin, HistoryAdmin):
    """Recording that the people were told fulfils their notice obligation(s)."""

    form = IndividualNoticeForm
    list_display = ["sent_at", "incident", "channel", "people_reached", "recorded_by"]
    list_filter = ["channel"]
    list_select_related = ["incident", "recorded_by"]
    search_fields = ["incident__reference", "note"]
    autocomplete_fields = ["incident"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def has_change_permission(self, request, obj=None):
        return False  # a record of what was sent; a correction is a new record

    def save_model(self, request, obj, form, change):
        notice, fulfilled = services.record_individual_notice(
            form.cleaned_data["incident"],
            user=request.user,
            sent_at=form.cleaned_data["sent_at"],
            channel=form.cleaned_data["channel"],
            people_reached=form.cleaned_data["people_reached"],
            regimes=form.cleaned_data.get("regimes"),
            note=form.cleaned_data.get("note", ""),
        )
        obj.pk = notice.pk
        for obligation in fulfilled:
            announce_fulfilment(request, obligation)


class FilingForm(forms.ModelForm):
    """Only the filing is edited; what is due is computed from the incident's facts."""

    class Meta:
        model = Obligation
        fields = [
            "fulfilled_at",
            "channel",
            "authority_reference",
            "filing_note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["fulfilled_at", "channel"]:
            if name in self.fields:  # absent on a read-only page
                self.fields[name].required = True

    def clean(self):
        data = super().clean()
        if data.get("fulfilled_at") and data.get("channel"):
            try:
                services.check_filing(
                    self.instance, at=data["fulfilled_at"], channel=data["channel"]
                )
            except IncidentError as exc:
                raise ValidationError(exc.message) from None
        return data


class ReminderInline(DisplayOnlyInline):
    model = Reminder
    fields = ["when", "outcome", "created_at", "sent_at", "recipients", "note"]

    @admin.display(description=_("when"))
    def when(self, obj):
        return obj.offset_label()


@admin.register(Obligation)
class ObligationAdmin(IncidentTimeZoneMixin, ObligationDisplayMixin, HistoryAdmin):
    """Every deadline, soonest first; legal records filings on the change page."""

    form = FilingForm
    list_display = [
        "due_local",
        "state_display",
        "incident",
        "regime_label",
        "stage_label",
        "filing_display",
    ]
    list_display_links = ["due_local", "stage_label"]
    list_filter = [ObligationStateFilter, FiledWithAuthorityFilter, "regime"]
    list_select_related = ["incident"]
    search_fields = ["incident__reference", "incident__title", "authority_reference"]
    ordering = [F("due_at").asc(nulls_last=True), "incident_id", "id"]
    readonly_fields = [
        "incident",
        "regime_label",
        "stage_label",
        "state_display",
        "due_local",
        "soon_local",
        "rule_display",
        "fulfilled_by",
        "submitted_report",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "incident",
                    "regime_label",
                    "stage_label",
                    "state_display",
                    "due_local",
                    "soon_local",
                    "rule_display",
                ]
            },
        ),
        (
            _("Filing"),
            {
                "fields": [
                    "fulfilled_at",
                    "channel",
                    "authority_reference",
                    "filing_note",
                    "fulfilled_by",
                    "submitted_report",
                ],
                "description": _(
                    "Record the filing once it is made (the PPC takes reports through its "
                    "web form): when, how and the authority's reference. Times are in the "
                    "incident's time zone."
                ),
            },
        ),
    ]
    inlines = [ReminderInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("incident").with_state()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("submitted report"))
    def submitted_report(self, obj):
        if not obj.fulfilled_by_report_id:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:reporting_report_change", args=[obj.fulfilled_by_report_id]),
            gettext("Report %(id)s") % {"id": obj.fulfilled_by_report_id},
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.record_filing(
            obj,
            user=request.user,
            at=data["fulfilled_at"],
            channel=data["channel"],
            reference=data.get("authority_reference", ""),
            # Set when a report is submitted (reporting.services.mark_submitted), never typed:
            # a filing recorded by hand keeps the report it already names.
            report_id=obj.fulfilled_by_report_id,
            note=data.get("filing_note", ""),
        )
