"""Reports in the admin: read-only rows, PDF through a permission-checked view, and the
"Generate report" action on incidents (registered from here: incidents never imports
reporting)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from incidents.admin import DisplayOnlyInline, IncidentAdmin, NeedToKnowMixin, VisibleHistoryMixin
from incidents.models import Incident

from . import services, views
from .choices import ReportKind, ReportLanguage, ReportStatus
from .models import Report, ReportLocked


def pdf_link(report: Report) -> str:
    if report.status != ReportStatus.READY:
        return report.error or "—"
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:reporting_report_pdf", args=[report.pk]),
        gettext("Download"),
    )


class SubmissionForm(ActionForm):
    submitted_to = forms.CharField(label=_("submitted to"), required=False, max_length=200)
    authority_reference = forms.CharField(
        label=_("authority's reference"), required=False, max_length=200
    )


@admin.action(description=_("Mark as submitted or published"), permissions=["submit"])
def mark_submitted(modeladmin, request, queryset):
    to = request.POST.get("submitted_to", "")
    reference = request.POST.get("authority_reference", "")
    done = []
    for report in queryset:
        try:
            services.mark_submitted(report, user=request.user, to=to, reference=reference)
        except (services.ReportError, ReportLocked) as exc:
            modeladmin.message_user(request, f"{report}: {exc}", messages.ERROR)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{report}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            done.append(str(report))
    if done:
        modeladmin.message_user(
            request,
            gettext("Marked as submitted: %(reports)s.") % {"reports": ", ".join(done)},
            messages.SUCCESS,
        )


@admin.register(Report)
class ReportAdmin(VisibleHistoryMixin, NeedToKnowMixin, SimpleHistoryAdmin):
    action_form = SubmissionForm
    actions = [mark_submitted]
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

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Report._meta.fields if f.name not in self.exclude] + ["pdf_link"]

    def has_submit_permission(self, request):
        return request.user.has_perm("reporting.submit_report")

    # Read-only: reports are made by the pipeline and never edited.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        return pdf_link(obj)

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


class ReportInline(DisplayOnlyInline):
    """The incident's documents, with their status and PDF; generated by the action."""

    model = Report
    classes = ["tab-reports"]
    fields = ["kind", "language", "version", "status", "finished_at", "submitted_at", "pdf"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("incident").defer("snapshot")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reporting.view_report")

    @admin.display(description=_("PDF"))
    def pdf(self, obj):
        return pdf_link(obj)


# The incident admin with what reporting adds to it: incidents never imports reporting,
# so reporting registers a subclass in its place.
admin.site.unregister(Incident)


@admin.register(Incident)
class IncidentWithReportsAdmin(IncidentAdmin):
    action_form = GenerateReportForm
    actions = [generate_report]
    inlines = [*IncidentAdmin.inlines, ReportInline]

    def has_generate_report_permission(self, request):
        return request.user.has_perm("reporting.add_report")
