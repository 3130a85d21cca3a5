"""Assets, checks and indicators in the admin; imports and exports; the scope on the incident
page (registered from here: incidents never imports scope)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from incidents.admin import (
    COMPACT_TEXT,
    DisplayOnlyInline,
    HistoryAdmin,
    IncidentTimeZoneMixin,
)
from incidents.models import Incident

from . import exports, services
from .choices import TLP, AssetState, CheckResult
from .models import Asset, Check, Indicator
from .progress import local_date, scope_progress

SCOPE_MEDIA = forms.Media(css={"all": ["taisaku-admin/scope.css"]})


class ScopeAdmin(IncidentTimeZoneMixin, HistoryAdmin):
    """Times on the page, its checks and its history in the incident's time zone (values in
    the history as their labels: incidents.admin.base.ReadableHistoryHelper)."""

    @property
    def media(self):
        return super().media + SCOPE_MEDIA

    def get_list_display(self, request):
        """Listed for one incident (the incident page's link): no incident column."""
        columns = list(super().get_list_display(request))
        if request.GET.get(VisibleIncidentFilter.parameter_name):
            columns.remove("incident_reference")
        return columns

    @admin.display(description=_("incident"), ordering="incident__reference")
    def incident_reference(self, obj):
        return obj.incident.reference


class AssetStateFilter(admin.SimpleListFilter):
    """Where the asset stands now: its latest check decides (AssetQuerySet.with_state)."""

    title = _("state (latest check)")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return AssetState.choices

    def queryset(self, request, queryset):
        if self.value() in AssetState.values:
            return queryset.filter(state=self.value())
        return queryset


class VisibleIncidentFilter(admin.SimpleListFilter):
    """Filter by incident, offering only the incidents the user may see."""

    title = _("incident")
    parameter_name = "incident"

    def lookups(self, request, model_admin):
        return [
            (i.pk, f"{i.reference} {i.title}")
            for i in Incident.objects.visible_to(request.user).order_by("-created_at")[:200]
        ]

    def queryset(self, request, queryset):
        if self.value():
            if not self.value().isdigit():  # ?incident=abc: the admin's "bad filter" answer
                raise IncorrectLookupParameters(self.value())
            return queryset.filter(incident_id=self.value())
        return queryset


# Assets and checks ----------------------------------------------------------------


class RecordedCheckInline(DisplayOnlyInline):
    """The checks made, newest first, as they were recorded: a check decides the asset's
    state, so it is never rewritten or deleted here; a mistaken one is followed by a new
    check (the latest decides)."""

    model = Check
    fields = ["checked_at", "tool", "result", "checked_by", "note", "recorded_by"]
    verbose_name_plural = _("checks made")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class CheckInline(admin.TabularInline):
    """A new check: the only way the asset's page writes one."""

    model = Check
    extra = 1
    can_delete = False
    fields = ["checked_at", "tool", "result", "checked_by", "note"]
    verbose_name_plural = _("record a check")
    formfield_overrides = {
        **COMPACT_TEXT,
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 1, "cols": 20})},
    }

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "checked_at" and field is not None:
            # The page is in the incident's zone (ScopeAdmin): say which, once, in the header.
            field.help_text = gettext("In the incident's time zone (%(zone)s).") % {
                "zone": timezone.get_current_timezone_name()
            }
        return field


@admin.register(Asset)
class AssetAdmin(ScopeAdmin):
    list_display = ["name", "kind", "owner", "role", "state", "incident_reference"]
    list_filter = [VisibleIncidentFilter, AssetStateFilter, "kind", "role"]
    list_select_related = ["incident"]
    search_fields = ["name", "owner"]
    autocomplete_fields = ["incident"]
    fields = ["incident", "kind", "name", "owner", "role", "note"]
    # The new check first: its forms keep the prefix "checks" the page has always posted.
    inlines = [CheckInline, RecordedCheckInline]
    actions = ["record_check_round"]

    @admin.action(description=_("Record a check round for the selected assets"))
    def record_check_round(self, request, queryset):
        """The same check (tool, result, time) of every selected asset, on a page of its own;
        all recorded or none. A round is one incident's: its time is read in its zone."""
        if not request.user.has_perm("scope.add_check"):
            raise PermissionDenied
        assets = list(queryset.select_related("incident"))
        incidents = {asset.incident for asset in assets}
        if len(incidents) != 1:
            messages.error(request, gettext("Choose assets of one incident for a check round."))
            return None
        (incident,) = incidents
        with timezone.override(incident.tzinfo):
            form = CheckRoundForm(request.POST if "apply" in request.POST else None)
            if form.is_bound and form.is_valid():
                try:
                    checks = services.record_check_round(
                        assets, user=request.user, **form.cleaned_data
                    )
                except ValidationError as exc:
                    for name, errors in exc.update_error_dict({}).items():
                        form.add_error(name if name in form.fields else None, errors)
                else:
                    messages.success(
                        request, gettext("%(n)d check(s) recorded.") % {"n": len(checks)}
                    )
                    return None
            form.fields["checked_at"].help_text = gettext(
                "In the incident's time zone (%(zone)s)."
            ) % {"zone": incident.time_zone}
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Record a check round"),
                "opts": self.opts,
                "form": form,
                "media": self.media + form.media,
                "incident": incident,
                "assets": assets,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/scope/check_round.html", context).render()

    def get_queryset(self, request):
        return super().get_queryset(request).with_state()

    @admin.display(description=_("state (latest check)"), ordering="state")
    def state(self, obj):
        """Where the asset stands, as the progress counts it, with its latest check's date."""
        if obj.last_checked_at is None:
            return obj.get_state_display()
        day = timezone.localtime(obj.last_checked_at, obj.incident.tzinfo).date()
        return format_html("{}<br><small>{}</small>", obj.get_state_display(), local_date(day))

    def save_model(self, request, obj, form, change):
        services.save_asset(obj, user=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Check:
            return super().save_formset(request, form, formset, change)
        for check in formset.save(commit=False):
            if check.pk is None:  # the add-only inline: recorded rows are never posted
                fields = {
                    name: getattr(check, name)
                    for name in ["tool", "result", "checked_at", "checked_by", "note"]
                }
                services.record_check(form.instance, user=request.user, **fields)
        return None

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="scope_asset_import",
            ),
            path(
                "import-checks/",
                self.admin_site.admin_view(self.import_checks_view),
                name="scope_check_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        return import_page(
            self,
            request,
            title=gettext("Import assets from CSV"),
            help=gettext(
                "An inventory export in UTF-8 or Shift_JIS, kind and name required. Assets "
                "already recorded are left as they are; the same asset twice in the file is an "
                "error. If any row is wrong, nothing is imported; each error names the line of "
                "the file, the header being line 1."
            ),
            headers=services.accepted_headers(services.ASSET_HEADERS, ["kind", "name"]),
            formats={"csv": services.import_assets_csv},
            permission="scope.add_asset",
        )

    def import_checks_view(self, request):
        return import_page(
            self,
            request,
            title=gettext("Import checks from CSV"),
            help=gettext(
                "A round of checks (an EmoCheck run over every PC): one row per check, the asset "
                "by its name as recorded for the incident (add a kind column if two kinds of "
                "asset share a name), the result clean, infected or error, the time as "
                "2022-03-17 10:00 or 2022/3/17 10:00 in the incident's time zone. A check "
                "already recorded with the same result is left as it is. If any row is wrong, "
                "nothing is imported; each error names the line of the file, the header being "
                "line 1."
            ),
            headers=services.accepted_headers(
                services.CHECK_HEADERS, ["asset", "tool", "result", "checked_at"]
            ),
            formats={"csv": services.import_checks_csv},
            permission="scope.add_check",
        )


# Indicators ------------------------------------------------------------------------


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
        form = ExportOptionsForm(request.GET)
        if fmt is None or not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Export the indicators of %(incident)s")
                % {"incident": incident.reference},
                "opts": self.opts,
                "form": form if fmt else ExportOptionsForm(),
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

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        try:
            self.options = exports.ExportOptions.parse(self.data)
        except ValidationError as exc:
            for name, errors in exc.error_dict.items():
                self.add_error(name, errors)
        return super().clean()


class CheckRoundForm(forms.Form):
    """One check for every asset selected in the list."""

    tool = forms.CharField(
        label=_("tool"), max_length=100, help_text=_("e.g. EmoCheck, full antivirus scan.")
    )
    result = forms.ChoiceField(label=_("result"), choices=CheckResult.choices)
    checked_at = forms.SplitDateTimeField(
        label=_("checked at"), widget=admin.widgets.AdminSplitDateTime
    )
    checked_by = forms.CharField(label=_("checked by"), max_length=200, required=False)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportForm(forms.Form):
    incident: "forms.ModelChoiceField[Incident]" = forms.ModelChoiceField(
        label=_("incident"), queryset=Incident.objects.none()
    )
    format = forms.ChoiceField(
        label=_("format"), choices=[("csv", "CSV"), ("stix", "STIX 2.1 (JSON)")]
    )
    file = forms.FileField(label=_("file"))

    def __init__(self, request, formats, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = Incident.objects.visible_to(request.user)
        self.fields["format"].choices = [
            c for c in self.fields["format"].choices if c[0] in formats
        ]


def import_page(model_admin, request, *, title, help, formats, permission, headers=""):
    if not request.user.has_perm(permission):
        raise PermissionDenied
    initial = {"incident": request.GET.get("incident")}
    form = ImportForm(
        request, formats, request.POST or None, request.FILES or None, initial=initial
    )
    row_errors = []
    position = gettext("Line")
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["format"] == "stix":
            position = gettext("Object no.")
        importer = formats[form.cleaned_data["format"]]
        incident = form.cleaned_data["incident"]
        try:
            result = importer(incident, form.cleaned_data["file"].read(), user=request.user)
        except services.ImportRejected as exc:
            messages.error(request, str(exc))
            row_errors = [
                (error.row, name, " ".join(msgs))
                for error in exc.errors
                for name, msgs in error.fields.items()
            ]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                gettext("%(rows)d row(s) read: %(created)d added, %(merged)d already recorded.")
                % result.as_dict(),
            )
            changelist = reverse(
                f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist"
            )
            return HttpResponseRedirect(f"{changelist}?{urlencode({'incident': incident.pk})}")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "help": help,
        "headers": headers,
        "opts": model_admin.opts,
        "form": form,
        "row_errors": row_errors,
        "position": position,
    }
    return TemplateResponse(request, "admin/scope/import.html", context)


# The incident page: its scope, with links (no inline: an incident may have thousands) --


def scope_summary(request, incident: Incident) -> str:
    """Progress per kind of asset, counts of indicators and the links to them."""
    if not incident.pk:
        return "—"
    user = request.user
    lines = []
    if user.has_perm("scope.view_asset"):
        progress = scope_progress(Incident.objects.filter(pk=incident.pk)).get(incident.pk, [])
        lines.append(
            format_html(
                '<ul class="scope-progress">{}</ul>',
                format_html_join(
                    "", "<li>{}</li>", ((p.sentence(incident.tzinfo),) for p in progress)
                )
                or format_html("<li>{}</li>", gettext("No assets recorded.")),
            )
        )
        lines.append(
            format_html(
                '<a href="{}?incident={}">{}</a>',
                reverse("admin:scope_asset_changelist"),
                incident.pk,
                gettext("Assets and their checks"),
            )
        )
    if user.has_perm("scope.view_indicator"):
        count = Indicator.objects.filter(incident=incident).count()
        export = reverse("admin:scope_indicator_export", args=[incident.pk, "stix"])
        lines.append(
            format_html(
                '<a href="{}?incident={}">{}</a> · <a href="{}">STIX 2.1</a> · '
                '<a href="{}">MISP</a> · <a href="{}">{}</a>',
                reverse("admin:scope_indicator_changelist"),
                incident.pk,
                gettext("Indicators (%(count)d)") % {"count": count},
                export,
                reverse("admin:scope_indicator_export", args=[incident.pk, "misp"]),
                reverse("admin:scope_indicator_export_options", args=[incident.pk]),
                gettext("Export with options"),
            )
        )
    imports = [
        (permission, reverse(url), label)
        for permission, url, label in [
            ("scope.add_asset", "admin:scope_asset_import", gettext("Import assets")),
            ("scope.add_check", "admin:scope_check_import", gettext("Import checks")),
            ("scope.add_indicator", "admin:scope_indicator_import", gettext("Import indicators")),
        ]
        if user.has_perm(permission)
    ]
    if imports:
        lines.append(
            format_html_join(
                " · ",
                '<a href="{}?incident={}">{}</a>',
                ((url, incident.pk, label) for _permission, url, label in imports),
            )
        )
    if not lines:
        return "—"
    return format_html(
        '<div class="scope-summary">{}</div>',
        format_html_join("", '<div class="scope-line">{}</div>', ((line,) for line in lines)),
    )


# Whatever incident admin is registered (reporting registers its own subclass), scope adds
# its summary to it: incidents never imports scope.
_IncidentAdmin = type(admin.site._registry[Incident])
admin.site.unregister(Incident)


@admin.register(Incident)
class IncidentWithScopeAdmin(_IncidentAdmin):  # type: ignore[valid-type, misc]  # chosen at start-up
    @property
    def media(self):
        # The scope tab's own layout: its progress list starts where its links do.
        return super().media + forms.Media(css={"all": ["taisaku-admin/scope-tab.css"]})

    def all_fieldsets(self, request, obj=None):
        fieldsets = list(super().all_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append(
                (
                    _("Scope: assets and indicators"),
                    {"fields": ["scope"], "classes": ["tab-scope"]},
                )
            )
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "scope"]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._scope_request = request  # the summary's links follow the user's permissions
        return obj

    # The incident's affected assets and indicators (影響範囲), not an engagement's scope
    # of work (調査範囲), which is the plain msgid "scope".
    @admin.display(description=pgettext_lazy("incident", "scope"))
    def scope(self, obj):
        request = getattr(obj, "_scope_request", None)
        return scope_summary(request, obj) if request else "—"
