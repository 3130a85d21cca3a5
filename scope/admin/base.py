"""What every scope admin shares: the pages in the incident's time zone with their own
styles, and the incident filter that offers only the incidents the user may see."""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.translation import gettext_lazy as _

from incidents.admin import HistoryAdmin, IncidentTimeZoneMixin
from incidents.models import Incident

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


class VisibleIncidentFilter(admin.SimpleListFilter):
    """Filter by incident, offering only the incidents the user may see; `?incident=` takes
    its id or its reference (INC-2022-0001), as the API's filters do."""

    title = _("incident")
    parameter_name = "incident"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        key = self.value()
        if key and not key.isdigit():
            # A reference of an incident one may see is its id (the choice then shows as
            # chosen); any other (hidden, unknown, malformed) stays the bad filter it was.
            incident = Incident.objects.visible_to(request.user).by_key(key.strip())
            if incident is not None:
                self.used_parameters[self.parameter_name] = str(incident.pk)

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
