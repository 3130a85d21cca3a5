"""Reports in the admin: read-only rows, PDF through a permission-checked view, and the
"Generate report" action on incidents (registered from here: incidents never imports
reporting)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.core.exceptions import ValidationError
from django.db.models import Case, JSONField, QuerySet, When
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from incidents.admin import (
    DisplayOnlyInline,
    HistoryAdmin,
    IncidentAdmin,
    IncidentTimeZoneMixin,
    NeedToKnowMixin,
    VisibleHistoryMixin,
)
from incidents.choices import NoticeChannel
from incidents.limits import validate_in_range
from incidents.models import Incident, UnresolvedItem

from . import rendering, services, views
from .choices import ReportKind, ReportLanguage, ReportStatus
from .models import Report, ReportLocked


def pdf_link(report: Report) -> str:
    if report.status != ReportStatus.READY:
        return report.error or "—"
    link = format_html(
        '<a href="{}">{}</a>',
        reverse("admin:reporting_report_pdf", args=[report.pk]),
        gettext("Download"),
    )
    if report.kind in rendering.TEXT_KINDS:
        link = format_html(
            '{} · <a href="{}">{}</a>',
            link,
            reverse("admin:reporting_report_text", args=[report.pk]),
            gettext("E-mail text"),
        )
    return link


def with_gap_snapshots(queryset: QuerySet[Report]) -> QuerySet[Report]:
    """Rows with the snapshot of those generated with gaps allowed only (the others were
    ready when made): enough to say which went out with gaps, without every snapshot."""
    return queryset.defer("snapshot").annotate(
        gap_snapshot=Case(When(allow_gaps=True, then="snapshot"), output_field=JSONField())
    )


def gaps_cell(report: Report) -> str:
    """How many items its own snapshot lacked (services.gaps_of: allowed gaps while not
    ready), their names on hover; "—" for a report made complete."""
    if not report.allow_gaps:  # refused unless complete: made with none
        return "—"
    snapshot = getattr(report, "gap_snapshot", None)
    if snapshot is None and "snapshot" not in report.get_deferred_fields():
        snapshot = report.snapshot
    missing = services.missing_items(services.gaps_of(report, snapshot)) if snapshot else []
    if not missing:
        return "—"
    count = len(missing)
    return format_html(
        '<span title="{}">{}</span>',
        ", ".join(missing),
        ngettext("%(count)d item missing", "%(count)d items missing", count) % {"count": count},
    )


def documents_of(incident: Incident) -> list[tuple[str, str, str]]:
    """(kind, language, label) of every document the case's regimes call for, in each of
    its languages (not an Art. 33 notification of an APPI-only case)."""
    return [
        (kind, language, str(label))
        for kind, label in ReportKind.choices
        if ReportKind.applies(kind, incident.regimes)
        for language in ReportKind.languages(kind)
    ]


def _choices(choices) -> forms.Select:
    return forms.Select(choices=[("", "---------"), *choices])


class SubmissionForm(ActionForm):
    """The reports' action bar, its fields taken as typed: Django checks the action bar's form
    before it calls an action and answers any error there with "No action selected", so each
    action checks what it uses (SentForm; mark_submitted through its service)."""

    submitted_to = forms.Field(label=_("submitted to"), required=False)
    authority_reference = forms.Field(label=_("authority's reference"), required=False)
    # For "Record as sent" (a notice to the people concerned).
    sent_at = forms.Field(label=_("sent at"), required=False)
    notice_channel = forms.Field(
        label=_("channel"), required=False, widget=_choices(NoticeChannel.choices)
    )
    people_reached = forms.Field(
        label=_("people reached"), required=False, widget=forms.NumberInput(attrs={"min": 1})
    )
    # For both: a report generated with gaps is recorded only with this ticked.
    with_gaps = forms.BooleanField(label=_("it went out with its gaps"), required=False)


class SentForm(forms.Form):
    """What "Record as sent" takes, checked."""

    sent_at = forms.DateTimeField(
        label=_("sent at"), required=False, validators=[validate_in_range]
    )
    notice_channel = forms.ChoiceField(
        label=_("channel"), choices=[("", "---------"), *NoticeChannel.choices], required=False
    )
    # At least one, as the API says: a notice that reached nobody notifies nobody.
    people_reached = forms.IntegerField(label=_("people reached"), required=False, min_value=1)
    with_gaps = forms.BooleanField(label=_("it went out with its gaps"), required=False)


@admin.action(description=_("Record as sent to the people concerned"), permissions=["submit"])
def mark_sent(modeladmin, request, queryset):
    for report in queryset.select_related("incident"):
        # A time without an offset is read in the incident's own zone, as everywhere.
        with timezone.override(report.incident.tzinfo):
            form = SentForm(request.POST)
            valid = form.is_valid()
        data = form.cleaned_data if valid else {}
        missing = [
            str(form.fields[name].label)
            for name in ("sent_at", "notice_channel", "people_reached")
            if data.get(name) in (None, "")
        ]
        if not valid or missing:
            errors = "; ".join(
                f"{form.fields[name].label}: {' '.join(messages_)}"
                for name, messages_ in form.errors.items()
            )
            message = errors or gettext("Give %(fields)s.") % {"fields": ", ".join(missing)}
            modeladmin.message_user(request, message, messages.ERROR)
            return
        try:
            services.mark_sent(
                report,
                user=request.user,
                sent_at=data["sent_at"],
                channel=data["notice_channel"],
                people_reached=data["people_reached"],
                with_gaps=data["with_gaps"],
            )
        except (services.ReportError, ReportLocked) as exc:
            modeladmin.message_user(request, f"{report}: {exc}", messages.ERROR)
        except ValidationError as exc:
            modeladmin.message_user(request, f"{report}: {' '.join(exc.messages)}", messages.ERROR)
        else:
            modeladmin.message_user(
                request, gettext("Recorded as sent: %(report)s.") % {"report": report}
            )


@admin.action(description=_("Mark as submitted or published"), permissions=["submit"])
def mark_submitted(modeladmin, request, queryset):
    to = request.POST.get("submitted_to", "")
    reference = request.POST.get("authority_reference", "")
    with_gaps = forms.BooleanField(required=False).clean(request.POST.get("with_gaps"))
    done = []
    for report in queryset:
        try:
            services.mark_submitted(
                report, user=request.user, to=to, reference=reference, with_gaps=with_gaps
            )
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
class ReportAdmin(IncidentTimeZoneMixin, VisibleHistoryMixin, NeedToKnowMixin, SimpleHistoryAdmin):
    action_form = SubmissionForm
    actions = [mark_submitted, mark_sent]
    list_display = [
        "__str__",
        "status",
        "pdf_link",  # beside its name: the file is what the list is for
        "document_date",
        "gaps",
        # When it was made; when requested and its pages are on its own page (nine columns
        # did not fit 1280 px beside the filters).
        "finished_at",
        "submitted_at",
    ]
    list_filter = ["status", "kind", "language"]
    list_select_related = ["incident"]
    search_fields = ["incident__reference", "incident__title_ja", "incident__title_en"]
    show_full_result_count = False
    # allow_gaps is shown as "gaps" (get_readonly_fields).
    exclude = ["snapshot", "file", "allow_gaps"]

    def get_queryset(self, request):
        return with_gap_snapshots(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        # "Generated with gaps" says what its snapshot lacked, not merely that gaps were
        # allowed (a case complete by then was generated with none).
        fields = [
            "gaps" if f.name == "allow_gaps" else f.name
            for f in Report._meta.fields
            if f.name not in ("snapshot", "file")
        ]
        return [*fields, "pdf_link"]

    @admin.display(description=_("generated with gaps"))
    def gaps(self, obj):
        return gaps_cell(obj)

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
            path(
                "<int:pk>/text/",
                self.admin_site.admin_view(self.report_text),
                name="reporting_report_text",
            ),
            *super().get_urls(),
        ]

    def report_text(self, request, pk: int):
        """The plain-text e-mail body of a notice, for people who may see its incident."""
        report = (
            Report.objects.visible_to(request.user)
            .filter(pk=pk, status=ReportStatus.READY, kind__in=rendering.TEXT_KINDS)
            .first()
        )
        if report is None or not request.user.has_perm("reporting.view_report"):
            raise Http404
        body = rendering.render_text(report.kind, report.language, report.snapshot)
        response = HttpResponse(body, content_type="text/plain; charset=utf-8")
        # The text's own language, not the page's (LocaleMiddleware only sets it when unset).
        response["Content-Language"] = report.language
        return response


class GenerateReportForm(ActionForm):
    """The action bar's fields, taken as typed. Django validates the action bar's form before
    it calls the action and answers any error there with "No action selected", so these
    fields accept anything and the action checks them (ReportRequestForm), showing the form
    again with the field's error."""

    report_kind = forms.Field(
        label=_("report"), required=False, widget=_choices(ReportKind.choices)
    )
    report_language = forms.Field(
        label=_("language"), required=False, widget=forms.Select(choices=ReportLanguage.choices)
    )
    report_date = forms.Field(
        label=_("date of the document"),
        required=False,
        # The browser's date picker, which sends YYYY-MM-DD whatever the reader's locale:
        # "03/02/2022" never means one day to one reader and another to the next.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Default: today in the incident's time zone."),
    )
    allow_gaps = forms.BooleanField(label=_("allow gaps"), required=False)
    allow_current_text = forms.BooleanField(
        label=_("allow current text"),
        required=False,
        help_text=_(
            "A case recorded after the document's date: print its narratives and assessed "
            "facts as they read now, once checked, instead of as gaps."
        ),
    )


class ReportRequestForm(forms.Form):
    """What the "Generate report" action asks for, checked."""

    report_kind = forms.ChoiceField(label=_("report"), choices=ReportKind.choices)
    report_language = forms.ChoiceField(label=_("language"), choices=ReportLanguage.choices)
    report_date = forms.DateField(
        label=_("date of the document"),
        required=False,
        validators=[validate_in_range],
        # One unambiguous form only (what the date picker sends): 03/02/2022 is refused,
        # not read as March or February depending on the language.
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD (e.g. 2022-02-03).")},
        help_text=_("Default: today in the incident's time zone."),
    )
    allow_gaps = forms.BooleanField(label=_("allow gaps"), required=False)
    allow_current_text = forms.BooleanField(
        label=_("allow current text"),
        required=False,
        help_text=_(
            "A case recorded after the document's date: print its narratives and assessed "
            "facts as they read now, once checked, instead of as gaps."
        ),
    )

    def clean(self):
        data = super().clean()
        kind, language = data.get("report_kind"), data.get("report_language")
        if kind and language and language not in ReportKind.languages(kind):
            self.add_error(
                "report_language",
                gettext("This kind of report is written only in: %(languages)s.")
                % {"languages": ", ".join(ReportKind.languages(kind))},
            )
        return data


@admin.action(description=_("Generate report"), permissions=["generate_report"])
def generate_report(modeladmin, request, queryset):
    form = ReportRequestForm(request.POST)
    if form.is_valid():
        # The date must suit every selected incident (not after its today, not before it was
        # known of): an error on the date field, with the form kept as typed.
        day = form.cleaned_data.get("report_date")
        for incident in queryset if day else ():
            try:
                services.document_date_for(incident, day)
            except ValidationError as exc:
                form.add_error("report_date", f"{incident.reference}: {' '.join(exc.messages)}")
    if not form.is_valid():
        # The form again, with the field's error; nothing is requested.
        return TemplateResponse(
            request,
            "admin/reporting/generate_report.html",
            {
                **modeladmin.admin_site.each_context(request),
                "opts": modeladmin.model._meta,
                "title": gettext("Generate report"),
                "form": form,
                "incidents": queryset,
                "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
            },
        )
    kind = form.cleaned_data["report_kind"]
    language = form.cleaned_data["report_language"]
    # queryset is already limited to incidents the user may see (IncidentAdmin.get_queryset).
    reports = []
    for incident in queryset:
        # Whether the kind is a document of the incident's regimes is the service's rule.
        try:
            reports.append(
                services.request_report(
                    incident,
                    kind,
                    language,
                    request.user,
                    document_date=form.cleaned_data.get("report_date"),
                    allow_gaps=form.cleaned_data["allow_gaps"],
                    allow_current_text=form.cleaned_data["allow_current_text"],
                )
            )
        except services.ReportError as exc:
            modeladmin.message_user(request, f"{incident.reference}: {exc}", messages.ERROR)
        except ValidationError as exc:
            modeladmin.message_user(
                request, f"{incident.reference}: {' '.join(exc.messages)}", messages.ERROR
            )
    if not reports:
        return None
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
    fields = [
        "kind",
        "language",
        "version",
        "document_date",
        "gaps",
        "status",
        "finished_at",
        "submitted_at",
        "pdf",
    ]
    show_change_link = True

    def get_queryset(self, request):
        return with_gap_snapshots(super().get_queryset(request).select_related("incident"))

    @admin.display(description=_("generated with gaps"))
    def gaps(self, obj):
        return gaps_cell(obj)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("reporting.view_report")

    @admin.display(description=_("PDF"))
    def pdf(self, obj):
        return pdf_link(obj)


@admin.register(UnresolvedItem)
class UnresolvedItemAdmin(HistoryAdmin):
    """Items of the PPC report that stayed unknown after the investigation, with why: the
    final report states them as such. Its own page, so the incident's form keeps its shape."""

    list_display = [
        "incident",
        "item",
        "reason_ja",
        "reason_en",
        "determined_at",
        "recorded_by",
        "recorded_at",
    ]
    list_filter = ["item"]
    list_select_related = ["incident", "recorded_by"]
    search_fields = ["incident__reference"]
    fields = [
        "incident",
        "item",
        "reason_ja",
        "reason_en",
        "determined_at",
        "recorded_by",
        "recorded_at",
    ]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


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

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "readiness"]

    def all_fieldsets(self, request, obj=None):
        fieldsets = list(super().all_fieldsets(request, obj))
        if obj is not None and request.user.has_perm("reporting.view_report"):
            fieldsets.append(
                (_("Documents"), {"fields": ["readiness"], "classes": ["tab-reports"]})
            )
        return fieldsets

    @admin.display(description=_("readiness of each document"))
    def readiness(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html_join(
            " · ",
            '<a href="{}?kind={}&amp;language={}">{} ({})</a>',
            (
                (
                    reverse("admin:incidents_incident_readiness", args=[obj.pk]),
                    kind,
                    language,
                    label,
                    language,
                )
                for kind, language, label in documents_of(obj)
            ),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/readiness/",
                self.admin_site.admin_view(self.readiness_view),
                name="incidents_incident_readiness",
            ),
            *super().get_urls(),
        ]

    def readiness_view(self, request, pk: int):
        """What a document would still lack; hidden incidents are missing ones (404)."""
        incident = self.get_queryset(request).filter(pk=pk).first()
        if incident is None or not request.user.has_perm("reporting.view_report"):
            raise Http404
        kind = request.GET.get("kind", "")
        language = request.GET.get("language", "")
        documents = [
            (f"{value}:{lang}", f"{label} ({lang})")
            for value, lang, label in documents_of(incident)
        ]
        chosen = f"{kind}:{language}"
        error, result, title = "", None, gettext("Readiness of a document")
        if "document" in request.GET:  # the page's own form: one field for both
            chosen = request.GET["document"]
            kind, _sep, language = chosen.partition(":")
        known = kind in ReportKind.values and language in ReportKind.languages(kind)
        if not known:
            # Never a title echoing what was typed: the form, and what to do.
            if kind or language:
                error = gettext("Choose one of the documents listed.")
            kind = language = ""
        else:
            title = gettext("Readiness of %(kind)s (%(language)s)") % {
                "kind": ReportKind(kind).label,
                "language": language,
            }
            try:
                day = services.document_date_for(incident, request.GET.get("date") or None)
                result = services.check_readiness(incident, kind, language, document_date=day)
            except services.ReportError as exc:
                error = exc.message
            except ValidationError as exc:
                error = " ".join(exc.messages)
        return render(
            request,
            "admin/reporting/readiness.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "incident": incident,
                "title": title,
                "documents": documents,
                "chosen": chosen,
                "date": request.GET.get("date", ""),
                "result": result,
                "error": error,
            },
        )
