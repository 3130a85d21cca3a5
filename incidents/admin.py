"""The committee's admin. Writes with side effects go through incidents.services."""

import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import obligations, services
from .access import visible
from .choices import CustodyAction, IncidentStatus, ObligationState, PersonalDataItem
from .limits import EARLIEST_DATE, LATEST_DATE, NOTE_MAX_LENGTH
from .localtime import LocalSplitDateTimeField
from .models import (
    Action,
    CustodyEntry,
    Engagement,
    Evidence,
    Finding,
    Incident,
    IncidentError,
    IndividualNotice,
    Milestone,
    Obligation,
    Organization,
    Reminder,
    SenderAddress,
    StatusChange,
    default_regimes,
    validate_time_zone,
)
from .regimes import REGIMES

# The yes / no / not-yet-known facts of the incident form.
FACT_FIELDS = [
    "over_1000_people",
    "sensitive_data",
    "financial_damage_risk",
    "wrongful_purpose",
    "contractor_involved",
    "high_risk",
    "gdpr_unlikely_risk",
    "significant_incident",
    "nis2_trust_service",
    "sec_material",
    "sec_info_pending",
    "hipaa_business_associate",
]


# django-simple-history has no Japanese catalog: its page titles are translated in ours.
SIMPLE_HISTORY_TITLES = (
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop("View %s"),
    gettext_noop("Revert %s"),
)


def local_time(incident: Incident, moment) -> str:
    if moment is None:
        return "—"
    return timezone.localtime(moment, incident.tzinfo).strftime("%Y-%m-%d %H:%M %Z")


# Times typed in the page's zone; a daylight-saving gap or overlap is refused, never shifted.
LOCAL_TIMES = {models.DateTimeField: {"form_class": LocalSplitDateTimeField}}
# Text areas in table rows stay small.
COMPACT_TEXT = {
    **LOCAL_TIMES,
    models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 36})},
}


class FactSelect(forms.Select):
    """A fact that decides a notification: yes, no, or not yet known (never read as no)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs,
            choices=[
                ("unknown", _("Not yet known")),
                ("true", _("Yes")),
                ("false", _("No")),
            ],
        )

    def format_value(self, value):
        return {True: "true", False: "false", "true": "true", "false": "false"}.get(
            value, "unknown"
        )

    def value_from_datadict(self, data, files, name):
        return {"true": True, "false": False, True: True, False: False}.get(data.get(name))


class VisibleRawIdWidget(widgets.ForeignKeyRawIdWidget):
    """A raw-id input that names a prefilled or posted row only when the user may see it."""

    def __init__(self, rel, admin_site, queryset, **kwargs):
        self.visible_queryset = queryset
        super().__init__(rel, admin_site, **kwargs)

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            seen = self.visible_queryset.filter(**{key: value}).exists()
        except (ValueError, TypeError, OverflowError, ValidationError):
            seen = False
        return super().label_and_url_for_value(value) if seen else ("", "")


class BoundedChangeList(ChangeList):
    """A list whose filters or date drill-down fall outside the sane date range (or cannot
    be computed) answers like any wrong filter: the admin's "?e=1" page, not an error."""

    def get_queryset(self, request, exclude_parameters=None):
        hierarchy = self.date_hierarchy
        if hierarchy:
            year = self.params.get(f"{hierarchy}__year")
            year = year[-1] if isinstance(year, list) else year
            if year is not None:
                try:
                    sane = EARLIEST_DATE.year <= int(year) <= LATEST_DATE.year
                except (TypeError, ValueError):
                    sane = False
                if not sane:
                    raise IncorrectLookupParameters(year)
        try:
            return super().get_queryset(request, exclude_parameters)
        except (OverflowError, ValidationError) as exc:
            raise IncorrectLookupParameters(exc) from exc

    def get_results(self, request):
        try:
            return super().get_results(request)
        except (OverflowError, ValueError) as exc:
            raise IncorrectLookupParameters(exc) from exc


class NeedToKnowMixin:
    """Need-to-know for an admin page and every form, widget and lookup on it.

    Its rows are the model's `visible_to(user)`; every foreign key offers only rows of
    the related model's `visible_to(user)` (selects, raw-id inputs and their labels,
    autocompletes, which ask the related model's admin); an id that is malformed, missing
    or hidden finds nothing, and the admin answers as it does for a missing object.
    """

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_changelist(self, request, **kwargs):
        return BoundedChangeList

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = visible(db_field.related_model, request.user)
        if choices is not None:
            if "queryset" in kwargs:
                kwargs["queryset"] = kwargs["queryset"] & choices
            else:
                kwargs["queryset"] = choices
            if db_field.name in self.raw_id_fields and "widget" not in kwargs:
                kwargs["widget"] = VisibleRawIdWidget(
                    db_field.remote_field,
                    self.admin_site,
                    queryset=kwargs["queryset"],
                    using=kwargs.get("using"),
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def visible_object(self, request, object_id):
        """The row, or None when the id is malformed, missing or not the user's to see."""
        try:
            return self.get_object(request, unquote(object_id))
        except (OverflowError, ValueError, TypeError):
            return None


class VisibleHistoryMixin:
    """simple-history falls back to old rows for objects it cannot find: never for hidden ones."""

    def history_view(self, request, object_id, extra_context=None):
        self._ensure_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._ensure_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _ensure_visible(self, request, object_id):
        if self.visible_object(request, object_id) is None:
            raise Http404


class IncidentTimeZoneMixin:
    """A page shows and reads times in its incident's time zone: change pages, add pages
    (the incident chosen in the form), and history pages."""

    time_zone_path = "incident__time_zone"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        zone = self._zone_of(request, object_id)
        return self._in_zone(zone, super().change_view, request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        return self._in_zone(
            self.zone_of_new(request), super().add_view, request, form_url, extra_context
        )

    def history_view(self, request, object_id, extra_context=None):
        zone = self._zone_of(request, object_id)
        return self._in_zone(zone, super().history_view, request, object_id, extra_context)

    def _zone_of(self, request, object_id) -> str | None:
        obj = self.visible_object(request, object_id)
        if obj is None:  # malformed, missing or hidden: the admin answers "does not exist"
            return None
        return (
            self.get_queryset(request)
            .filter(pk=obj.pk)
            .values_list(self.time_zone_path, flat=True)
            .first()
        )

    def zone_of_new(self, request) -> str | None:
        """The zone of the incident named in the add form (posted or prefilled)."""
        pk = request.POST.get("incident") or request.GET.get("incident")
        if not pk or not str(pk).isdigit():
            return None
        return (
            Incident.objects.visible_to(request.user)
            .filter(pk=pk)
            .values_list("time_zone", flat=True)
            .first()
        )

    @staticmethod
    def _in_zone(zone, view, *args):
        if zone is None:  # not visible or not known: the admin answers as it would
            return view(*args)
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            response = view(*args)
            if hasattr(response, "render"):
                response.render()  # render inside the zone, not after it
        return response


class HistoryAdmin(VisibleHistoryMixin, NeedToKnowMixin, SimpleHistoryAdmin):
    show_full_result_count = False
    formfield_overrides = LOCAL_TIMES


class IncidentChoicesMixin:
    """Related selects in inlines offer only the parent incident's rows, queried once per page.

    Without this every inline row would run its own query per select: the page would
    grow with the number of rows.
    """

    incident_scoped = {}  # field name -> lookup from the related model to the incident id

    def get_formset(self, request, obj=None, **kwargs):
        request._taisaku_incident = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        lookup = self.incident_scoped.get(db_field.name)
        if lookup is None or field is None:
            return field
        incident = getattr(request, "_taisaku_incident", None)
        cache = request.__dict__.setdefault("_taisaku_choices", {})
        key = (db_field.model, db_field.name)
        if key not in cache:
            qs = db_field.related_model.objects.filter(
                **{lookup: incident.pk if incident else None}
            )
            if db_field.name == "finding":
                qs = qs.select_related("engagement")
            if db_field.name == "obligation":
                qs = qs.select_related("incident")
            field.queryset = qs
            cache[key] = [("", "---------"), *((obj.pk, str(obj)) for obj in qs)]
        field.queryset = db_field.related_model.objects.filter(
            **{lookup: incident.pk if incident else None}
        )
        field.choices = cache[key]
        return field


# Organization ------------------------------------------------------------------


class SenderAddressInline(admin.TabularInline):
    model = SenderAddress
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin):
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


class MilestoneForm(forms.ModelForm):
    """A report to the regulator names the legal clock it fulfils, or the only one fitting."""

    class Meta:
        model = Milestone
        exclude = []  # noqa: DJ006 - the admin chooses what is shown

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        milestone = self.instance
        for name in ("kind", "occurred_at", "obligation"):
            if name in cleaned:
                setattr(milestone, name, cleaned[name])
        try:
            services.milestone_fulfils(milestone)
        except IncidentError as error:
            self.add_error("obligation" if "obligation" in self.fields else None, error.message)
        return cleaned


class MilestoneInline(IncidentChoicesMixin, admin.TabularInline):
    model = Milestone
    form = MilestoneForm
    extra = 0
    fields = [
        "occurred_at",
        "kind",
        "title",
        "detail",
        "public",
        "engagement",
        "finding",
        "evidence",
        "obligation",
    ]
    incident_scoped = {
        "engagement": "incident_id",
        "finding": "engagement__incident_id",
        "evidence": "incident_id",
        "obligation": "incident_id",
    }

    def get_queryset(self, request):
        # Read-only pages print the linked rows; fetch them with the milestones.
        return super().get_queryset(request).select_related("engagement", "finding", "evidence")

    formfield_overrides = COMPACT_TEXT


class EngagementInline(admin.StackedInline):
    """Engagements with their findings; findings are edited on the engagement's page."""

    model = Engagement
    extra = 0
    fields = ["vendor", "scope", "requested_at", "findings_list"]
    readonly_fields = ["findings_list"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("incident").prefetch_related("findings")

    @admin.display(description=_("findings"))
    def findings_list(self, obj):
        if not obj.pk:
            return "—"
        rows = format_html_join(
            "",
            "<li>{} — <strong>{}</strong>: {}</li>",
            (
                (
                    local_time(obj.incident, f.reported_at),
                    f.get_kind_display(),
                    f.conclusion or f.summary,
                )
                for f in obj.findings.all()
            ),
        )
        return format_html(
            '<ul>{}</ul><a href="{}">{}</a>',
            rows,
            reverse("admin:incidents_engagement_change", args=[obj.pk]),
            gettext("Add or edit findings"),
        )


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["label", "kind", "collected_at", "location", "custody_status", "sha256"]
    readonly_fields = ["custody_status", "sha256"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("incident").with_disposal()

    @admin.display(description=_("custody"))
    def custody_status(self, obj):
        if getattr(obj, "disposed_at", None):
            return gettext("%(action)s on %(date)s") % {
                "action": CustodyAction(obj.disposal_action).label,
                "date": local_time(obj.incident, obj.disposed_at),
            }
        return gettext("in custody") if obj.pk else "—"


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ["title", "category", "owner", "due_date", "status", "done_at", "verification"]
    formfield_overrides = COMPACT_TEXT


class DisplayOnlyFormSet(BaseInlineFormSet):
    """An inline that is shown, never posted: its rows are written by services.

    Never bound, always valid, saves nothing; so a change form posted without its
    management data (e.g. by an older client) still saves.
    """

    def __init__(self, data=None, files=None, *args, **kwargs):
        super().__init__(None, None, *args, **kwargs)
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []

    def is_valid(self):
        return True

    def save(self, commit=True):
        return []


class DisplayOnlyInline(admin.TabularInline):
    """Rows shown on a parent's page and written elsewhere (services, the pipeline)."""

    formset = DisplayOnlyFormSet
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusChangeInline(DisplayOnlyInline):
    model = StatusChange
    fields = ["effective_at", "from_status", "to_status", "changed_by", "changed_at", "note"]
    verbose_name_plural = _("status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


STATE_STYLES = {
    ObligationState.OVERDUE: ("#ba2121", "#fff"),  # red
    ObligationState.DUE_SOON: ("#f0ad00", "#000"),  # amber
    ObligationState.PENDING: ("#2e7d32", "#fff"),  # green
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


class ObligationInline(ObligationDisplayMixin, DisplayOnlyInline):
    """The incident's legal clocks; filings are recorded on each obligation's page."""

    model = Obligation
    fields = ["stage_label", "state_display", "due_local", "rule_display", "filing_display"]
    show_change_link = True
    verbose_name_plural = _("legal clocks")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("incident").with_state()


class IncidentForm(forms.ModelForm):
    personal_data_items = forms.MultipleChoiceField(
        label=_("personal-data items"),
        choices=PersonalDataItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    regimes = forms.MultipleChoiceField(
        label=_("regimes that apply"),
        choices=list(REGIMES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The laws under which notifications may be due; their deadlines follow."),
    )
    time_zone = forms.ChoiceField(label=_("time zone"), initial="Asia/Tokyo")
    change_reason = forms.CharField(
        label=_("Reason for changing when the organization knew"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed once a filing is recorded; kept in the history. The filings stay, the "
            "deadlines are recomputed."
        ),
    )

    class Meta:
        model = Incident
        exclude = []  # noqa: DJ006 - the admin's fieldsets choose what is shown
        widgets = dict.fromkeys(FACT_FIELDS, FactSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zones = sorted(zoneinfo.available_timezones())
        self.fields["time_zone"].choices = [(z, z) for z in zones]
        if not self.instance.pk and "regimes" in self.fields:
            # A new incident starts under its organization's regimes (the only one the
            # user can pick, or the one named in the URL), else the APPI.
            organization = self._initial_organization()
            if organization is not None:
                self.initial.setdefault("organization", organization.pk)
            defaults = organization.default_regimes if organization else default_regimes()
            self.fields["regimes"].initial = list(defaults)
            self.initial.setdefault("regimes", list(defaults))

    def _initial_organization(self):
        field = self.fields.get("organization")
        if field is None:
            return None
        queryset = field.queryset
        wanted = self.initial.get("organization")
        if wanted:
            return queryset.filter(pk=getattr(wanted, "pk", wanted)).first()
        return queryset.first() if queryset.count() == 1 else None

    def clean(self):
        cleaned = super().clean()
        if (
            "aware_at" in cleaned
            and services.awareness_change_needs_reason(self.instance, cleaned["aware_at"])
            and not (cleaned.get("change_reason") or "").strip()
        ):
            self.add_error(
                "change_reason",
                _(
                    "A filing was already recorded: give a reason for changing when the "
                    "organization knew of the situation."
                ),
            )
        return cleaned


@admin.register(Incident)
class IncidentAdmin(
    IncidentTimeZoneMixin, VisibleHistoryMixin, NeedToKnowMixin, SimpleHistoryAdmin
):
    time_zone_path = "time_zone"
    form = IncidentForm
    formfield_overrides = LOCAL_TIMES
    show_full_result_count = False
    list_display = [
        "reference",
        "title",
        "status",
        "severity",
        "aware_at_local",
        "open_actions",
        "organization",
    ]
    list_display_links = ["reference", "title"]
    list_filter = [
        "status",
        "severity",
        "category",
        "publication_status",
        ("organization", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["organization"]
    search_fields = ["reference", "title", "summary"]
    date_hierarchy = "aware_at"
    readonly_fields = [
        "at_a_glance",
        "reference",
        "status_with_action",
        "timeline",
        "created_at",
        "updated_at",
    ]
    filter_horizontal = ["members"]
    inlines = [
        ObligationInline,
        MilestoneInline,
        EngagementInline,
        EvidenceInline,
        ActionInline,
        StatusChangeInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "at_a_glance",
                    "organization",
                    "reference",
                    "status_with_action",
                    "title",
                    "summary",
                    "category",
                    "severity",
                    "time_zone",
                    "members",
                ]
            },
        ),
        (
            _("When"),
            {
                "fields": [
                    "occurred_at",
                    "detected_at",
                    "aware_at",
                    "change_reason",
                    "contained_at",
                    "handling_ended_at",
                    "timeline",
                ],
                "description": _(
                    "Times on this page are in the incident's time zone. The legal clocks "
                    "start when the organization knew of the situation, not at detection."
                ),
            },
        ),
        (
            _("What the regulator asks"),
            {
                "fields": [
                    "discovered_by",
                    "contractor_involved",
                    "description_of_events",
                    "personal_data_items",
                    "personal_data_detail",
                    "data_medium",
                    ("affected_count", "affected_count_qualifier"),
                    "over_1000_people",
                    "sensitive_data",
                    "financial_damage_risk",
                    "wrongful_purpose",
                    ("appi_contractor_route", "appi_encrypted"),
                    "appi_exemption_reason",
                    "cause",
                    "secondary_damage",
                    "response_to_affected",
                    ("publication_status", "published_at"),
                ]
            },
        ),
        (
            _("Legal clocks"),
            {
                "fields": [
                    "regimes",
                    "high_risk",
                    ("gdpr_unlikely_risk", "gdpr_unlikely_risk_reason"),
                    ("data_subject_categories", "records_count"),
                    "gdpr_delay_reason",
                    ("significant_incident", "nis2_trust_service"),
                    "nis2_intermediate_due_at",
                    ("sec_material", "materiality_determined_on"),
                    "sec_delay_until",
                    ("sec_info_pending", "sec_info_available_on"),
                    ("hipaa_business_associate", "max_persons_in_one_state"),
                    ("hipaa_delay_stated_on", "hipaa_delay_until"),
                    "hipaa_delay_official",
                ],
                "description": _(
                    "The deadlines below are recomputed from these facts and the ones "
                    "above (when the organization knew, the Art. 7 cases, people affected) "
                    "on every save. A fact left “not yet known” keeps its notification "
                    "provisional, with the earliest deadline."
                ),
            },
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    # The facts only one regime asks for: shown only when that regime applies.
    REGIME_FIELDS = {
        "appi": {
            "over_1000_people",
            "sensitive_data",
            "financial_damage_risk",
            "wrongful_purpose",
            "appi_contractor_route",
            "appi_encrypted",
            "appi_exemption_reason",
        },
        "gdpr": {
            "high_risk",
            "gdpr_unlikely_risk",
            "gdpr_unlikely_risk_reason",
            "data_subject_categories",
            "records_count",
            "gdpr_delay_reason",
        },
        "nis2": {"significant_incident", "nis2_trust_service", "nis2_intermediate_due_at"},
        "sec": {
            "sec_material",
            "materiality_determined_on",
            "sec_delay_until",
            "sec_info_pending",
            "sec_info_available_on",
        },
        "hipaa": {
            "hipaa_business_associate",
            "max_persons_in_one_state",
            "hipaa_delay_stated_on",
            "hipaa_delay_until",
            "hipaa_delay_official",
        },
    }
    REGIME_FIELDS["uk-gdpr"] = REGIME_FIELDS["gdpr"]

    def get_fieldsets(self, request, obj=None):
        """Every regime's own facts only when the regime applies (the shared facts always)."""
        if obj is not None:
            regimes = set(obj.regimes or ())
        else:
            visible = Organization.objects.all()
            only = visible.first() if visible.count() == 1 else None
            regimes = set(only.default_regimes if only else default_regimes())
        shown = set().union(*(self.REGIME_FIELDS[r] for r in regimes if r in self.REGIME_FIELDS))
        hidden = set().union(*self.REGIME_FIELDS.values()) - shown

        def keep(field):
            if isinstance(field, tuple | list):
                kept = tuple(f for f in field if f not in hidden)
                return kept if len(kept) > 1 else (kept[0] if kept else None)
            return None if field in hidden else field

        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [f for f in (keep(field) for field in options["fields"]) if f]
            fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets

    @admin.display(description=_("at a glance"))
    def at_a_glance(self, obj):
        """What the first screen must show: status, next deadline, latest milestones."""
        if not obj.pk:
            return "—"
        upcoming = (
            obj.obligations.open().filter(due_at__isnull=False).order_by("due_at", "id").first()
        )
        if upcoming is None:
            deadline = gettext("No open deadline")
        else:
            deadline = format_html(
                "{}: {} {}",
                upcoming.label,
                local_time(obj, upcoming.due_at),
                state_badge(upcoming.state_at()),
            )
        latest = format_html_join(
            "",
            "<li>{} — {}</li>",
            (
                (local_time(obj, m.occurred_at), m.title)
                for m in obj.milestones.order_by("-occurred_at", "-id")[:3]
            ),
        )
        return format_html(
            '<div class="taisaku-glance"><strong>{}</strong>: {} &nbsp; '
            "<strong>{}</strong>: {}<br><strong>{}</strong><ul>{}</ul></div>",
            gettext("Status"),
            obj.get_status_display(),
            gettext("Next deadline"),
            deadline,
            gettext("Latest milestones"),
            latest or mark_safe("<li>—</li>"),  # noqa: S308 - a constant
        )

    def get_queryset(self, request):
        return super().get_queryset(request).with_open_action_count().select_related("organization")

    @admin.display(description=_("aware at"), ordering="aware_at")
    def aware_at_local(self, obj):
        return local_time(obj, obj.aware_at)

    @admin.display(description=_("open actions"), ordering="open_action_count")
    def open_actions(self, obj):
        return obj.open_action_count

    @admin.display(description=_("timeline"))
    def timeline(self, obj):
        """Milestones and evidence disposals, in the incident's time zone."""
        if not obj.pk:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (local_time(obj, entry.at), entry.kind_label, entry.title)
                for entry in services.timeline(obj)
            ),
        )
        return format_html('<table class="taisaku-timeline">{}</table>', rows)

    @admin.display(description=_("status"))
    def status_with_action(self, obj):
        label = obj.get_status_display()
        if not obj.pk:
            return label
        return format_html(
            '{} &nbsp; <a class="button" href="{}">{}</a>',
            label,
            reverse("admin:incidents_incident_status", args=[obj.pk]),
            gettext("Change status"),
        )

    def save_model(self, request, obj, form, change):
        if change:
            services.save_incident(
                obj, user=request.user, reason=form.cleaned_data.get("change_reason", "")
            )
        else:
            services.save_new_incident(obj, user=request.user)

    def zone_of_new(self, request) -> str | None:
        """A new incident's times are read in the zone chosen on its own form."""
        zone = request.POST.get("time_zone")
        try:
            validate_time_zone(zone or "")
        except ValidationError:
            return None
        return zone

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            incident = self.visible_object(request, object_id)
            for warning in incident.warnings() if incident else []:
                messages.warning(request, warning)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Milestone:
            return super().save_formset(request, form, formset, change)
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                deleted.instance.delete()
        for entry in formset.forms:
            if entry in formset.deleted_forms or not entry.has_changed():
                continue
            milestone = entry.save(commit=False)
            announce_fulfilment(request, services.save_milestone(milestone, user=request.user))
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and not form.instance.members.exists():
            form.instance.members.add(request.user)

    # The guarded status move -------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/status/",
                self.admin_site.admin_view(self.status_view),
                name="incidents_incident_status",
            ),
            *super().get_urls(),
        ]

    def status_view(self, request, object_id):
        incident = self.visible_object(request, object_id)
        if incident is None:
            raise Http404
        with timezone.override(incident.tzinfo):  # the effective time is told in its zone
            response = self._status_view(request, incident)
            if hasattr(response, "render"):
                response.render()
        return response

    def _status_view(self, request, incident):
        change_url = reverse("admin:incidents_incident_change", args=[incident.pk])
        if not (
            self.has_change_permission(request, incident)
            and request.user.has_perm("incidents.change_incident_status")
        ):
            messages.error(request, gettext("You may not change the status of this incident."))
            return HttpResponseRedirect(change_url)
        form = StatusChangeForm(incident, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.change_status(
                    incident,
                    form.cleaned_data["to_status"],
                    user=request.user,
                    note=form.cleaned_data["note"],
                    effective_at=form.cleaned_data.get("effective_at"),
                )
            except IncidentError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    gettext("%(reference)s is now “%(status)s”.")
                    % {"reference": incident.reference, "status": incident.get_status_display()},
                )
                return HttpResponseRedirect(change_url)
        elif request.method == "POST":
            messages.error(request, gettext("Choose one of the allowed statuses."))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Change the status of %(reference)s")
            % {"reference": incident.reference},
            "opts": self.model._meta,
            "original": incident,
            "form": form,
            "media": self.media + form.media,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/incidents/incident/change_status.html", context)


class StatusChangeForm(forms.Form):
    to_status = forms.ChoiceField(label=_("new status"))
    effective_at = LocalSplitDateTimeField(
        label=_("effective at"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_(
            "When the move happened, in the incident's time zone; empty for now. For a case "
            "entered after the fact."
        ),
    )
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, incident: Incident, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (status, IncidentStatus(status).label) for status in incident.allowed_transitions()
        ]


# Engagement, evidence, milestones, actions ------------------------------------------


class FindingOfEngagementInline(admin.TabularInline):
    model = Finding
    extra = 0
    fields = ["reported_at", "kind", "summary", "conclusion"]


@admin.register(Engagement)
class EngagementAdmin(IncidentTimeZoneMixin, HistoryAdmin):
    list_display = ["vendor", "incident", "requested_at"]
    list_select_related = ["incident"]
    search_fields = ["vendor", "scope", "incident__reference"]
    inlines = [FindingOfEngagementInline]


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
        exclude = []  # noqa: DJ006 - the admin chooses what is shown

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
    raw_id_fields = ["corrects"]
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
            obj.save()  # Evidence.save refuses any change of the file
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


@admin.register(Milestone)
class MilestoneAdmin(IncidentTimeZoneMixin, HistoryAdmin):
    form = MilestoneForm
    list_display = ["occurred_at", "kind", "title", "incident", "public"]
    list_filter = ["kind", "public"]
    list_select_related = ["incident"]
    search_fields = ["title", "detail", "incident__reference"]
    date_hierarchy = "occurred_at"
    raw_id_fields = ["engagement", "finding", "evidence", "obligation"]

    def save_model(self, request, obj, form, change):
        fulfilled = services.save_milestone(obj, user=request.user)
        announce_fulfilment(request, fulfilled)


def announce_fulfilment(request, obligation) -> None:
    if obligation is not None:
        messages.info(
            request,
            gettext("Recorded as the filing of “%(obligation)s”.") % {"obligation": obligation},
        )


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
            self.targets = obligations.check_individual_notice(
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
    readonly_fields = ["recorded_by", "recorded_at"]

    def has_change_permission(self, request, obj=None):
        return False  # a record of what was sent; a correction is a new record

    def save_model(self, request, obj, form, change):
        notice, fulfilled = obligations.record_individual_notice(
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


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        overdue = Action.objects.overdue().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=overdue)
        if self.value() == "no":
            return queryset.exclude(pk__in=overdue)
        return queryset


@admin.register(Action)
class ActionAdmin(HistoryAdmin):
    list_display = ["title", "category", "owner", "due_date", "status", "overdue", "incident"]
    list_filter = ["status", "category", OverdueFilter]
    list_select_related = ["incident"]
    search_fields = ["title", "description", "owner", "incident__reference"]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue


# Legal clocks -------------------------------------------------------------------------


class ObligationStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return ObligationState.choices

    def queryset(self, request, queryset):
        if self.value() in ObligationState.values:
            return queryset.filter(state=self.value())
        return queryset


class FilingForm(forms.ModelForm):
    """Only the filing is edited; what is due is computed from the incident's facts."""

    class Meta:
        model = Obligation
        fields = [
            "fulfilled_at",
            "channel",
            "authority_reference",
            "fulfilled_by_report_id",
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
                obligations.check_filing(
                    self.instance, at=data["fulfilled_at"], channel=data["channel"]
                )
            except IncidentError as exc:
                raise ValidationError(exc.message) from None
        return data


class ReminderInline(DisplayOnlyInline):
    model = Reminder
    fields = ["offset", "outcome", "created_at", "sent_at", "recipients", "note"]


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
    list_filter = [ObligationStateFilter, "regime"]
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
                    "fulfilled_by_report_id",
                    "filing_note",
                    "fulfilled_by",
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

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.record_filing(
            obj,
            user=request.user,
            at=data["fulfilled_at"],
            channel=data["channel"],
            reference=data.get("authority_reference", ""),
            report_id=data.get("fulfilled_by_report_id"),
            note=data.get("filing_note", ""),
        )
