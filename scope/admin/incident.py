"""The scope on the incident page: progress, counts and links (no inline: an incident may
have thousands), added to whatever incident admin is registered."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from incidents.models import Incident

from ..models import Indicator
from ..progress import scope_progress


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
