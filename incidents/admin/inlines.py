"""The rows shown inside an incident's page."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import services
from ..choices import CustodyAction
from ..models import (
    Action,
    Engagement,
    Evidence,
    IncidentError,
    Milestone,
    Obligation,
    StatusChange,
)
from .base import (
    COMPACT_TEXT,
    DisplayOnlyInline,
    IncidentChoicesMixin,
    NarrativeStackedInline,
    NarrativeTabularInline,
    local_time,
)
from .clocks import ObligationDisplayMixin


class MilestoneForm(forms.ModelForm):
    """A report to the regulator names the legal clock it fulfils, or the only one fitting."""

    class Meta:
        model = Milestone
        exclude: list[str] = []  # noqa: DJ006 - the admin chooses what is shown

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


class MilestoneInline(IncidentChoicesMixin, NarrativeTabularInline):
    """The latest entries of the timeline; the whole of it is on the milestone list.

    Links to an engagement, finding or evidence are set on the milestone's own page (the
    pencil link): the row stays narrow enough for the page."""

    model = Milestone
    form = MilestoneForm
    extra = 0
    latest = 10
    classes = ["tab-timeline"]
    show_change_link = True
    verbose_name_plural = _("latest milestones")
    fields = ["occurred_at", "kind", "title", "detail", "public", "obligation"]
    incident_scoped = {
        "engagement": "incident_id",
        "finding": "engagement__incident_id",
        "evidence": "incident_id",
        "obligation": "incident_id",
    }

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        incident = getattr(request, "_taisaku_incident", None)
        if incident is not None and incident.pk:
            latest = Milestone.objects.filter(incident_id=incident.pk).order_by(
                "-occurred_at", "-id"
            )
            queryset = queryset.filter(
                pk__in=list(latest.values_list("pk", flat=True)[: self.latest])
            )
        return queryset.order_by("-occurred_at", "-id")

    formfield_overrides = COMPACT_TEXT


class EngagementInline(NarrativeStackedInline):
    """Engagements with their findings; findings are edited on the engagement's page."""

    model = Engagement
    extra = 0
    classes = ["tab-investigation"]
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
    classes = ["tab-evidence"]
    fields = ["label", "kind", "collected_at", "location", "custody_status", "sha256_short"]
    readonly_fields = ["custody_status", "sha256_short"]
    formfield_overrides = COMPACT_TEXT
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

    @admin.display(description=_("SHA-256"))
    def sha256_short(self, obj):
        """The first characters; the whole digest is on the item's page."""
        return (
            format_html('<span title="{}">{}…</span>', obj.sha256, obj.sha256[:12])
            if obj.sha256
            else "—"
        )


class ActionInline(NarrativeTabularInline):
    """The actions, one row each; how each was verified is written on its own page (the
    pencil link), where the text has room: the row stays narrow enough for the page."""

    model = Action
    extra = 0
    classes = ["tab-actions"]
    fields = ["title", "category", "owner", "due_date", "status", "done_at"]
    formfield_overrides = COMPACT_TEXT
    show_change_link = True


class StatusChangeInline(DisplayOnlyInline):
    model = StatusChange
    classes = ["tab-timeline"]
    fields = ["effective_at", "from_status", "to_status", "changed_by", "changed_at", "note"]
    verbose_name_plural = _("status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class ObligationInline(ObligationDisplayMixin, DisplayOnlyInline):
    """The incident's legal clocks; filings are recorded on each obligation's page."""

    model = Obligation
    classes = ["tab-clocks"]
    fields = ["stage_label", "state_display", "due_local", "rule_display", "filing_display"]
    show_change_link = True
    verbose_name_plural = _("legal clocks")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("incident").with_state()
