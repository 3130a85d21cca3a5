"""Indicators in the admin: their import (CSV or STIX 2.1) and their export (STIX 2.1 or
MISP, with the options the API reads)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from incidents.admin import COMPACT_TEXT
from incidents.models import Incident

from .. import exports, services
from ..choices import TLP
from ..models import Indicator
from ..progress import local_date
from .base import ScopeAdmin, VisibleIncidentFilter
from .imports import import_page


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "incident",
            "type",
            "value",
            "tlp",
            "public",
            "first_seen",
            "last_seen",
            "source",
            "source_detail",
            "finding",
            "assets",
            "milestones",
            "note",
        ]

    def clean(self):
        data = super().clean()
        incident = data.get("incident")
        if incident is not None:
            for name in ["assets", "milestones"]:
                if any(row.incident_id != incident.pk for row in data.get(name) or []):
                    self.add_error(name, gettext("Choose only rows of this incident."))
        return data


@admin.register(Indicator)
class IndicatorAdmin(ScopeAdmin):
    form = IndicatorForm
    list_display = ["value", "type", "marking", "seen", "incident_reference"]
    list_filter = [VisibleIncidentFilter, "type", "tlp", "public", "source"]
    list_select_related = ["incident"]
    search_fields = ["value", "note", "source_detail"]
    autocomplete_fields = ["incident", "assets", "finding", "milestones"]
    formfield_overrides = COMPACT_TEXT
    fieldsets = [
        (None, {"fields": ["incident", "type", "value", "tlp", "public"]}),
        (_("Seen"), {"fields": ["first_seen", "last_seen"]}),
        (_("Source"), {"fields": ["source", "source_detail", "finding"]}),
        (_("Links"), {"fields": ["assets", "milestones", "note"]}),
    ]

    @admin.display(description=_("TLP / public"), ordering="tlp")
    def marking(self, obj):
        label = TLP(obj.tlp).label
        if obj.public:
            return format_html("{}<br><small>{}</small>", label, gettext("public"))
        return label

    @admin.display(description=_("seen (first – last)"), ordering="first_seen")
    def seen(self, obj):
        first, last = (
            local_date(timezone.localtime(t, obj.incident.tzinfo).date()) if t else ""
            for t in (obj.first_seen, obj.last_seen)
        )
        if not (first or last):
            return "—"
        return first if first == last else format_html("{} –<br>{}", first, last)

    def save_model(self, request, obj, form, change):
        services.save_indicator(
            obj,
            user=request.user,
            assets=list(form.cleaned_data.get("assets") or []),
            milestones=list(form.cleaned_data.get("milestones") or []),
        )

    def save_related(self, request, form, formsets, change):
        # The links were saved by the service with the indicator.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="scope_indicator_import",
            ),
            path(
                "export/<int:incident_id>/",
                self.admin_site.admin_view(self.export_view),
                name="scope_indicator_export_options",
            ),
            path(
                "export/<int:incident_id>/<str:fmt>/",
                self.admin_site.admin_view(self.export_view),
                name="scope_indicator_export",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        return import_page(
            self,
            request,
            title=gettext("Import indicators"),
            help=gettext(
                "A CSV file (type and value required) or a STIX 2.1 bundle (first and last "
                "seen from its sightings). Values are normalised; one already recorded is "
                "merged, not added. If any row is wrong, nothing is imported; each error names "
                "the line of the CSV file (the header is line 1) or the object's position in "
                "the bundle."
            ),
            headers=services.accepted_headers(services.INDICATOR_HEADERS, ["type", "value"]),
            permission="scope.add_indicator",
            formats={
                "csv": services.import_indicators_csv,
                "stix": services.import_stix_bundle,
            },
        )

    def export_view(self, request, incident_id, fmt=None):
        """The download, with the options of its link (include_red, include_notes) read as the
        API reads them; without a format, or with an option the reading refuses, the page
        that asks for them (400 with the option's error)."""
        if not self.has_view_permission(request) or fmt not in {"stix", "misp", None}:
            raise Http404
        incident = (
            Incident.objects.visible_to(request.user)
            .select_related("organization")
            .filter(pk=incident_id)
            .first()
        )
        if incident is None:
            raise Http404
        form = ExportOptionsForm(request.GET, user=request.user)
        if fmt is None or not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Export the indicators of %(incident)s")
                % {"incident": incident.reference},
                "opts": self.opts,
                "form": form if fmt else ExportOptionsForm(user=request.user),
                "formats": [
                    (
                        "stix",
                        "STIX 2.1",
                        reverse("admin:scope_indicator_export", args=[incident.pk, "stix"]),
                    ),
                    (
                        "misp",
                        "MISP",
                        reverse("admin:scope_indicator_export", args=[incident.pk, "misp"]),
                    ),
                ],
                "fmt": fmt or "stix",
            }
            status = 400 if fmt else 200
            return TemplateResponse(request, "admin/scope/export.html", context, status=status)
        options = form.options
        options.check_allowed(request.user)
        body = exports.export(fmt, incident, options)
        if fmt == "stix":
            content_type, suffix = "application/stix+json;version=2.1", "stix.json"
        else:
            content_type, suffix = "application/json", "misp.json"
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{incident.reference}.{suffix}"'
        return response


class OptionCheckbox(forms.CheckboxInput):
    """Ticked only for a value the one reading (exports.parse_flag) takes as yes: a refused
    one (?include_red=maybe) is shown unticked, so downloading again leaves it out."""

    def value_from_datadict(self, data, files, name):
        try:
            return exports.parse_flag(data.get(name))
        except ValueError:
            return False


class ExportOptionsForm(forms.Form):
    """The export's options, read by the one reading the API uses (ExportOptions.parse)."""

    include_red = forms.BooleanField(
        label=_("Include TLP:RED indicators"),
        required=False,
        widget=OptionCheckbox,
        help_text=_("Never for sharing outside the committee; needs the permission to."),
    )
    include_notes = forms.BooleanField(
        label=_("Include the indicators' internal notes"),
        required=False,
        widget=OptionCheckbox,
        help_text=_("Left out by default: notes are written for the committee."),
    )
    options: exports.ExportOptions

    def __init__(self, *args, user=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if user is not None and not user.has_perm("scope.export_red_indicators"):
            # Offered only to those who may: ticked, it would answer 403.
            del self.fields["include_red"]

    def clean(self):
        try:
            self.options = exports.ExportOptions.parse(self.data)
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        return super().clean()
