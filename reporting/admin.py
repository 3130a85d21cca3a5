"""Reports in the admin: read-only rows, PDF through a permission-checked view, and the
"Generate report" action on incidents (registered from here: incidents never imports
reporting)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from incidents.admin import IncidentAdmin

from . import services, views
from .choices import ReportKind, ReportLanguage, ReportStatus
from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "status",
        "requested_at",
        "finished_at",
        "page_count",
        "submitted_at",
        "pdf_link",
    ]
    list_filter = ["status", "kind", "language"]
    list_select_related = ["incident"]
    search_fields = ["incident__reference", "incident__title"]
    show_full_result_count = False
    exclude = ["snapshot", "file"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Report._meta.fields if f.name not in self.exclude] + ["pdf_link"]

    # Read-only: reports are made by the pipeline and never edited.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        if obj.status != ReportStatus.READY:
            return obj.error or "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:reporting_report_pdf", args=[obj.pk]),
            gettext("Download"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(views.report_pdf),
                name="reporting_report_pdf",
            ),
            *super().get_urls(),
        ]


class GenerateReportForm(ActionForm):
    report_kind = forms.ChoiceField(
        label=_("report"), choices=[("", "---------"), *ReportKind.choices], required=False
    )
    report_language = forms.ChoiceField(
        label=_("language"), choices=ReportLanguage.choices, required=False
    )


@admin.action(description=_("Generate report"), permissions=["generate_report"])
def generate_report(modeladmin, request, queryset):
    kind = request.POST.get("report_kind", "")
    language = request.POST.get("report_language", "")
    try:
        services.check_kind_and_language(kind, language)
    except services.ReportError as exc:
        modeladmin.message_user(request, exc.message, messages.ERROR)
        return None
    # queryset is already limited to incidents the user may see (IncidentAdmin.get_queryset).
    reports = [
        services.request_report(incident, kind, language, request.user) for incident in queryset
    ]
    modeladmin.message_user(
        request,
        gettext("%(count)d report(s) requested: %(reports)s. See Reports for their status.")
        % {"count": len(reports), "reports": ", ".join(str(r) for r in reports)},
        messages.SUCCESS,
    )
    return None


def has_generate_report_permission(self, request):
    return request.user.has_perm("reporting.add_report")


def install_incident_action() -> None:
    """Add the action to the incidents' changelist (idempotent)."""
    IncidentAdmin.action_form = GenerateReportForm
    IncidentAdmin.has_generate_report_permission = has_generate_report_permission
    actions = list(IncidentAdmin.actions or [])
    if generate_report not in actions:
        IncidentAdmin.actions = [*actions, generate_report]


install_incident_action()
