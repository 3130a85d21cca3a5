"""Filters of the scope records, one definition each: the API filters with these FilterSets
and the admin's list filters apply the same filters (incidents.filtersets.ListFilter).

An asset's state is filtered by the annotation that defines it (AssetQuerySet.with_state:
its latest check decides).
"""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from incidents.filtersets import FilterSet, IncidentKeyFilter, ListFilter

from .choices import AssetState
from .models import Asset, Check, Indicator


class AssetFilter(FilterSet):
    """Over a queryset annotated with `state` (AssetQuerySet.with_state)."""

    state = filters.ChoiceFilter(
        choices=AssetState.choices, field_name="state", label=_("state (latest check)")
    )

    class Meta:
        model = Asset
        fields = ["incident", "kind", "role", "state"]


class CheckFilter(FilterSet):
    # By incident as assets and indicators are (?incident=); asset__incident kept as it was.
    incident = IncidentKeyFilter(field_name="asset__incident", label=_("incident"))

    class Meta:
        model = Check
        fields = ["incident", "asset", "asset__incident", "result"]


class IndicatorFilter(FilterSet):
    class Meta:
        model = Indicator
        fields = ["incident", "type", "tlp", "public", "source"]


class AssetStateFilter(ListFilter):
    """Where the asset stands now: its latest check decides (AssetQuerySet.with_state)."""

    title = _("state (latest check)")
    parameter_name = "state"
    filterset_class = AssetFilter

    def lookups(self, request, model_admin):
        return AssetState.choices
