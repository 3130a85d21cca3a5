"""The case: incidents, their status moves, milestones and actions."""

import zoneinfo
from typing import cast
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.http import HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..choices import IncidentStatus, PersonalDataItem
from ..filtersets import OverdueFilter
from ..limits import NOTE_MAX_LENGTH
from ..localtime import LocalSplitDateTimeField
from ..models import (
    Action,
    Incident,
    IncidentError,
    Milestone,
    Organization,
    default_regimes,
    validate_time_zone,
)
from ..regimes import REGIMES
from .base import (
    LOCAL_TIMES,
    FactSelect,
    HistoryAdmin,
    IncidentTimeZoneMixin,
    NarrativeAdmin,
    NeedToKnowMixin,
    VisibleHistoryMixin,
    announce_fulfilment,
    local_time,
)
from .clocks import state_badge
from .inlines import (
    ActionInline,
    EngagementInline,
    EvidenceInline,
    MilestoneForm,
    MilestoneInline,
    ObligationInline,
    StatusChangeInline,
)

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


class TimeZoneInput(forms.TextInput):
    """A text box with the known zones as a datalist: searchable, where a select of ~600
    options was not; the model's validator refuses an unknown zone."""

    options_html = None  # built once per process

    def __init__(self, attrs=None):
        super().__init__({"list": "taisaku-time-zones", "autocomplete": "off", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        if TimeZoneInput.options_html is None:
            TimeZoneInput.options_html = format_html_join(
                "", '<option value="{}">', ((z,) for z in sorted(zoneinfo.available_timezones()))
            )
        return format_html(
            '{}<datalist id="taisaku-time-zones">{}</datalist>',
            super().render(name, value, attrs, renderer),
            TimeZoneInput.options_html,
        )


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
    time_zone = forms.CharField(
        label=_("time zone"),
        initial="Asia/Tokyo",
        max_length=64,
        widget=TimeZoneInput,
        help_text=_("Type to search, e.g. Tokyo or Europe/Berlin."),
    )
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
        exclude: list[str] = []  # noqa: DJ006 - the admin's fieldsets choose what is shown
        widgets = dict.fromkeys(FACT_FIELDS, FactSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A change page's form holds only its tab's fields: the fields declared above are
        # dropped from the other tabs' forms (a ModelForm would keep them, and a save from
        # the tab "Case" would ask for, or blank, the regimes and personal-data items).
        shown = self._meta.fields
        if shown and shown != forms.ALL_FIELDS:
            for name in self.declared_fields:
                if name not in shown:
                    self.fields.pop(name, None)
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

    def _update_errors(self, errors):
        """A fact of another tab that contradicts this tab's (a publication date now before
        the occurrence) is said above the form, naming the fact, and nothing is saved."""
        if hasattr(errors, "error_dict"):
            here = {}  # field name -> messages
            for name, messages in errors.error_dict.items():
                if name == NON_FIELD_ERRORS or name in self.fields:
                    here.setdefault(name, []).extend(messages)
                    continue
                try:
                    label = Incident._meta.get_field(name).verbose_name
                except FieldDoesNotExist:
                    label = name
                here.setdefault(NON_FIELD_ERRORS, []).extend(
                    gettext("%(field)s (on another tab): %(message)s")
                    % {"field": capfirst(label), "message": message}
                    for message in ValidationError(messages).messages
                )
            errors = ValidationError(here)
        super()._update_errors(errors)

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
    IncidentTimeZoneMixin, VisibleHistoryMixin, NeedToKnowMixin, NarrativeAdmin, SimpleHistoryAdmin
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
    search_fields = ["reference", "title_ja", "title_en", "summary_ja", "summary_en"]
    date_hierarchy = "aware_at"
    readonly_fields = [
        "at_a_glance",
        "reference",
        "status_with_action",
        "timeline_summary",
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
    # The page's tabs (incidents/static/taisaku-admin/tabs.js): each fieldset and inline names
    # its tab with a "tab-..." class; the glance stays above them all.
    TABS = [
        ("case", _("Case")),
        ("facts", _("Facts for the regulator")),
        ("timeline", _("Timeline")),
        ("investigation", _("Investigation")),
        ("evidence", _("Evidence and custody")),
        ("actions", _("Actions")),
        ("clocks", _("Legal clocks")),
        ("reports", _("Reports")),
        ("scope", _("Scope")),
    ]
    LATEST_MILESTONES = 10
    fieldsets = [
        (None, {"fields": ["at_a_glance"], "classes": ["taisaku-glance-set"]}),
        (
            None,
            {
                "classes": ["tab-case"],
                "fields": [
                    "organization",
                    "reference",
                    "status_with_action",
                    "title",
                    "summary",
                    "category",
                    "severity",
                    "time_zone",
                    "members",
                ],
            },
        ),
        (
            _("When"),
            {
                "classes": ["tab-case"],
                "fields": [
                    "occurred_at",
                    "detected_at",
                    "aware_at",
                    "change_reason",
                    "contained_at",
                    "handling_ended_at",
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
                "classes": ["tab-facts"],
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
                    "support_for_affected",
                    "request_to_customers",
                    ("publication_status", "published_at"),
                ],
            },
        ),
        (
            _("Timeline"),
            {"classes": ["tab-timeline"], "fields": ["timeline_summary"]},
        ),
        (
            _("Legal clocks"),
            {
                "classes": ["tab-clocks"],
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
        (
            _("Record"),
            {"fields": ["created_at", "updated_at"], "classes": ["tab-case", "collapse"]},
        ),
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

    # The change page --------------------------------------------------------------------
    # One tab per request: an incident's page shows, and saves, only the tab in its address
    # (?tab=facts); the add page is one form with every tab (tabs.js switches them). So the
    # page renders one tab's rows, not every inline of the case, and a save from one tab
    # leaves the fields and rows of the others as they are (they are not in its form).

    def current_tab(self, request, obj=None) -> str | None:
        """The tab a change page shows and saves; None on the add page (every tab)."""
        if obj is None or obj.pk is None:
            return None
        wanted = request.GET.get("tab")
        return wanted if wanted in dict(self.TABS) else self.TABS[0][0]

    @staticmethod
    def tab_of(classes) -> str | None:
        """The tab named by a fieldset's or inline's "tab-..." class; None: on every tab."""
        return next((c.removeprefix("tab-") for c in classes or () if c.startswith("tab-")), None)

    def get_fieldsets(self, request, obj=None):
        fieldsets = self.all_fieldsets(request, obj)
        tab = self.current_tab(request, obj)
        if tab is None:
            return fieldsets
        return [
            (name, options)
            for name, options in fieldsets
            if self.tab_of(options.get("classes")) in (None, tab)
        ]

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        tab = self.current_tab(request, obj)
        if tab is None:
            return inlines
        return [inline for inline in inlines if self.tab_of(inline.classes) == tab]

    def tabs_with_content(self, request, obj) -> list:
        """The tabs that have something for this user on this incident (fieldsets, inlines)."""
        named = {
            self.tab_of(options.get("classes")) for _, options in self.all_fieldsets(request, obj)
        }
        named |= {self.tab_of(i.classes) for i in super().get_inline_instances(request, obj)}
        return [(key, label) for key, label in self.TABS if key in named]

    def all_fieldsets(self, request, obj=None):
        """Every tab's fieldsets; each regime's own facts only when the regime applies (the
        shared facts always). Apps adding a section to the page extend this."""
        if obj is not None:
            regimes = set(obj.regimes or ())
        else:
            visible = Organization.objects.visible_to(request.user)
            only = visible.first() if visible.count() == 1 else None
            regimes = set(only.default_regimes if only else default_regimes())
        shown = set().union(*(self.REGIME_FIELDS[r] for r in regimes if r in self.REGIME_FIELDS))
        hidden = set().union(*self.REGIME_FIELDS.values()) - shown
        # ...and their texts in each language (gdpr_delay_reason_ja, _en).
        hidden |= {f"{name}_{code}" for name in hidden for code, _name in settings.LANGUAGES}

        def keep(field):
            if isinstance(field, tuple | list):
                kept = tuple(f for f in field if f not in hidden)
                return kept if len(kept) > 1 else (kept[0] if kept else None)
            return None if field in hidden else field

        on_record_only = {"at_a_glance", "timeline_summary"}  # nothing to show on the add page
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):  # the class's fieldsets
            fields = [f for f in (keep(field) for field in options["fields"]) if f]
            if obj is None:
                fields = [f for f in fields if f not in on_record_only]
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        return fieldsets

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The tabs, and the whole width for the case: no navigation sidebar on this page.
        tab = self.current_tab(request, obj)
        if tab is None:  # the add page: every tab in one form, switched in the browser
            tabs = [(key, label, f"#tab-{key}") for key, label in self.TABS]
        else:
            tabs = []
            for key, label in self.tabs_with_content(request, obj):
                query = request.GET.copy()
                query["tab"] = key
                tabs.append((key, label, f"?{query.urlencode()}"))
        context.update(taisaku_tabs=tabs, taisaku_tab=tab, is_nav_sidebar_enabled=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_add(self, request, obj, post_url_continue=None):
        """After "save and continue", the new incident opens on the tab being filled in."""
        response = super().response_add(request, obj, post_url_continue)
        return self._on_tab(request, response, request.POST.get("_tab"))

    def response_change(self, request, obj):
        """After "save and continue", the page stays on the tab that was saved."""
        response = super().response_change(request, obj)
        return self._on_tab(request, response, self.current_tab(request, obj))

    def _on_tab(self, request, response, tab):
        if "_continue" not in request.POST or tab not in dict(self.TABS):
            return response
        if not isinstance(response, HttpResponseRedirect):
            return response
        location = urlsplit(response["Location"])
        query = QueryDict(location.query, mutable=True)
        query["tab"] = tab
        response["Location"] = urlunsplit(location._replace(query=query.urlencode()))
        return response

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
    def timeline_summary(self, obj):
        """The timeline is edited below (its latest entries) and on its own list (all)."""
        if not obj.pk:
            return "—"
        count = obj.milestones.count()
        changelist = reverse("admin:incidents_milestone_changelist")
        return format_html(
            '{} <a href="{}?incident__id__exact={}">{}</a> · <a href="{}?incident={}">{}</a>',
            gettext("%(shown)s latest of %(count)s entries below.")
            % {"shown": min(count, self.LATEST_MILESTONES), "count": count},
            changelist,
            obj.pk,
            gettext("The whole timeline"),
            reverse("admin:incidents_milestone_add"),
            obj.pk,
            gettext("Add a milestone on its own page"),
        )

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
        incident = self.visible_or_404(request, object_id)
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
            raise PermissionDenied(gettext("You may not change the status of this incident."))
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
            if "to_status" in form.errors:
                messages.error(request, gettext("Choose one of the allowed statuses."))
            else:  # the status is fine; the time or the note is not (their errors say why)
                errors = len(form.errors)
                messages.error(
                    request,
                    ngettext(
                        "Please correct the error below.",
                        "Please correct the errors below.",
                        errors,
                    ),
                )
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
        label=_("note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_MAX_LENGTH,
    )

    def __init__(self, incident: Incident, *args, **kwargs):
        super().__init__(*args, **kwargs)
        to_status = cast(forms.ChoiceField, self.fields["to_status"])
        to_status.choices = [
            (status, IncidentStatus(status).label) for status in incident.allowed_transitions()
        ]


# Engagement, evidence, milestones, actions ------------------------------------------


@admin.register(Milestone)
class MilestoneAdmin(IncidentTimeZoneMixin, NarrativeAdmin, HistoryAdmin):
    form = MilestoneForm
    list_display = ["occurred_at", "kind", "title", "incident", "public"]
    list_filter = ["kind", "public"]
    list_select_related = ["incident"]
    search_fields = ["title_ja", "title_en", "detail_ja", "detail_en", "incident__reference"]
    date_hierarchy = "occurred_at"
    autocomplete_fields = ["incident", "engagement", "finding", "evidence", "obligation"]

    def save_model(self, request, obj, form, change):
        fulfilled = services.save_milestone(obj, user=request.user)
        announce_fulfilment(request, fulfilled)


@admin.register(Action)
class ActionAdmin(NarrativeAdmin, HistoryAdmin):
    list_display = ["title", "category", "owner", "due_date", "status", "overdue", "incident"]
    list_filter = ["status", "category", OverdueFilter]
    list_select_related = ["incident"]
    search_fields = [
        *("title_ja", "title_en", "description_ja", "description_en"),
        *("owner", "incident__reference"),
    ]
    autocomplete_fields = ["incident"]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue


# Legal clocks -------------------------------------------------------------------------
