"""The case: the incident's page (its fieldsets by tab, the regimes' facts, the glance).

Its form is in incident_form, its tabs in tabs, the status move in status; milestones and
actions have their own modules.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .. import services
from ..filtersets import OpenIncidentFilter
from ..models import Incident, Milestone, Organization, default_regimes, validate_time_zone
from .base import (
    LOCAL_TIMES,
    IncidentTimeZoneMixin,
    NarrativeAdmin,
    NeedToKnowMixin,
    VisibleHistoryMixin,
    announce_fulfilment,
    local_time,
    viewing_history,
)
from .clocks import state_badge
from .incident_form import IncidentForm
from .inlines import (
    ActionInline,
    EngagementInline,
    EvidenceInline,
    MilestoneInline,
    ObligationInline,
    StatusChangeInline,
)
from .status import StatusMoveMixin
from .tabs import TabbedChangePageMixin

COLLAPSED_WHILE_EMPTY = "taisaku-collapsed-while-empty"


def timing_warnings(incident: Incident) -> list[str]:
    """Times that are possible but often a typing error: said, not refused.

    Containment before awareness happens when the organization's awareness was recorded
    late (the team contained first, the committee was told later): the deadlines run from
    awareness, so the committee checks that time rather than being stopped."""
    if incident.contained_at and incident.aware_at and incident.contained_at < incident.aware_at:
        return [
            gettext(
                "Contained (%(contained)s) before the organization knew of the situation "
                "(%(aware)s). Right only if awareness came late; otherwise check both times: "
                "the legal deadlines run from awareness."
            )
            % {
                "contained": local_time(incident, incident.contained_at),
                "aware": local_time(incident, incident.aware_at),
            }
        ]
    return []


@admin.register(Incident)
class IncidentAdmin(
    StatusMoveMixin,
    TabbedChangePageMixin,
    IncidentTimeZoneMixin,
    VisibleHistoryMixin,
    NeedToKnowMixin,
    NarrativeAdmin,
    SimpleHistoryAdmin,
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
    ]
    # No organization column: the reference starts with the organization's code (ACME-2025-0001)
    # and the filters name the organizations; beside the navigation sidebar at 1280 px the
    # title needs the width.
    list_display_links = ["reference", "title"]
    list_filter = [
        OpenIncidentFilter,
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
        "status_label",
        "timeline_summary",
        "created_at",
        "updated_at",
    ]
    filter_horizontal = ["members"]

    def get_readonly_fields(self, request, obj=None):
        """An incident stays with the organization it was opened under: its reference begins
        with that organization's code."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and "organization" not in fields:
            fields.append("organization")
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":  # only those one acts for, never one seen
            kwargs["queryset"] = Organization.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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
        ("case", _("Basics")),
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
                ],
            },
        ),
        (
            _("Cause and response"),
            {
                "classes": ["tab-facts"],
                "fields": [
                    "cause",
                    "secondary_damage",
                    "support_for_affected",
                    "request_to_customers",
                    ("publication_status", "published_at"),
                ],
            },
        ),
        (
            _("When no report is due (APPI exceptions)"),
            {
                # Rarely used: folded while nothing is recorded in it (see all_fieldsets).
                "classes": ["tab-facts", COLLAPSED_WHILE_EMPTY],
                "fields": [("appi_contractor_route", "appi_encrypted"), "appi_exemption_reason"],
            },
        ),
        (
            _("Timeline"),
            {"classes": ["tab-timeline"], "fields": ["timeline_summary"]},
        ),
        (
            _("Regimes and their facts"),
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

    def all_fieldsets(self, request, obj=None):
        """Every tab's fieldsets; each regime's own facts only when the regime applies (the
        shared facts always). Apps adding a section to the page extend this."""
        if obj is not None:
            regimes = set(obj.regimes or ())
        else:
            offered = Organization.objects.editable_by(request.user)
            only = offered.first() if offered.count() == 1 else None
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

        # Nothing to show on the add page (nor a reason for changing what is not yet recorded).
        on_record_only = {"at_a_glance", "timeline_summary", "change_reason"}
        if viewing_history(request):
            # A past version's members are not the row's (they live in their own history);
            # the picker would show today's, live.
            hidden.add("members")
        if obj is not None and not self.has_change_permission(request, obj):
            # A read-only page: the reason for a change is asked of those who change.
            hidden.add("change_reason")
        # The button to move the status is offered only to those who may (else a 403).
        status_field = (
            "status_label"
            if obj is not None
            and (viewing_history(request) or not self.may_change_status(request, obj))
            else "status_with_action"
        )
        fieldsets = []
        for name, options in self.declared_fieldsets(request, obj):
            fields = [f for f in (keep(field) for field in options["fields"]) if f]
            fields = [status_field if f == "status_with_action" else f for f in fields]
            if obj is None:
                fields = [f for f in fields if f not in on_record_only]
            if not fields:
                continue
            classes = list(options.get("classes", ()))
            if COLLAPSED_WHILE_EMPTY in classes:
                classes.remove(COLLAPSED_WHILE_EMPTY)
                names = flatten(fields)  # ...in each language too (appi_exemption_reason_en)
                names += [f"{n}_{code}" for n in names for code, _name in settings.LANGUAGES]
                if not any(getattr(obj, n, None) for n in names):
                    classes.append("collapse")
            fieldsets.append((name, {**options, "fields": fields, "classes": classes}))
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

    def save_model(self, request, obj, form, change):
        if not change:
            services.save_new_incident(obj, user=request.user)
        elif form.has_changed():  # else nothing to record: no empty entry in the history
            services.save_incident(
                obj, user=request.user, reason=form.cleaned_data.get("change_reason", "")
            )
        if "_continue" not in request.POST:  # else the page shown next says it
            for warning in timing_warnings(obj):
                messages.warning(request, warning)

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
            for warning in [*incident.warnings(), *timing_warnings(incident)] if incident else []:
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
