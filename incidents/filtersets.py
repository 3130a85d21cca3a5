"""Filters of the case record, one definition each: the API filters with these FilterSets and
the admin's list filters apply the same filters (see `ListFilter`).

A derived state is filtered by the queryset method that defines it (ActionQuerySet.overdue,
ObligationQuerySet.with_state): the API, the admin and the dashboard cannot disagree.
"""

from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.utils import get_model_field

from .choices import ObligationState
from .models import (
    Action,
    Engagement,
    Evidence,
    Finding,
    Incident,
    IndividualNotice,
    Milestone,
    Obligation,
    UnresolvedItem,
)


class FilterSet(filters.FilterSet):
    """A filter of Meta.fields is named by its model field's name in the reader's language.

    django-filter names it once, in the language active then, and keeps that name for good:
    an English request first, and the Japanese pages said “Status”."""

    @classmethod
    def get_filters(cls):
        result = super().get_filters()
        for filter_ in result.values():
            field = cls._meta.model and get_model_field(cls._meta.model, filter_.field_name)
            if filter_._label is None and filter_.lookup_expr == "exact" and field is not None:
                filter_.label = capfirst(field.verbose_name)
        return result


class IncidentFilter(FilterSet):
    open = filters.BooleanFilter(method="filter_open", label=_("open (not closed)"))
    aware_after = filters.IsoDateTimeFilter(
        field_name="aware_at", lookup_expr="gte", label=_("aware at or after")
    )
    aware_before = filters.IsoDateTimeFilter(
        field_name="aware_at", lookup_expr="lt", label=_("aware before")
    )

    class Meta:
        model = Incident
        fields = ["status", "severity", "category", "organization", "publication_status"]

    def filter_open(self, queryset, name, value):
        """IncidentQuerySet.open / closed: the one rule."""
        return queryset.open() if value else queryset.closed()


class MilestoneFilter(FilterSet):
    class Meta:
        model = Milestone
        fields = ["incident", "kind", "public", "engagement", "finding", "evidence"]


class IndividualNoticeFilter(FilterSet):
    class Meta:
        model = IndividualNotice
        fields = ["incident", "channel"]


class UnresolvedItemFilter(FilterSet):
    class Meta:
        model = UnresolvedItem
        fields = ["incident", "item"]


class EngagementFilter(FilterSet):
    class Meta:
        model = Engagement
        fields = ["incident"]


class EvidenceFilter(FilterSet):
    class Meta:
        model = Evidence
        fields = ["incident", "kind", "corrects"]


class FindingFilter(FilterSet):
    """A finding belongs to its incident through the engagement: `?incident=` filters by it,
    as on every other list of the case."""

    incident = filters.ModelChoiceFilter(
        field_name="engagement__incident", queryset=Incident.objects.all(), label=_("incident")
    )

    class Meta:
        model = Finding
        fields = ["incident", "engagement", "engagement__incident", "kind"]


class ActionFilter(FilterSet):
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("overdue"))

    class Meta:
        model = Action
        fields = ["incident", "status", "category"]

    def filter_overdue(self, queryset, name, value):
        overdue = Action.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class ObligationFilter(FilterSet):
    """Over a queryset annotated with `state` (ObligationQuerySet.with_state)."""

    state = filters.ChoiceFilter(choices=ObligationState.choices, label=_("state"))
    filed_with_authority = filters.BooleanFilter(
        method="filter_filed_with_authority", label=_("filed with an authority")
    )
    due_before = filters.IsoDateTimeFilter(
        field_name="due_at", lookup_expr="lt", label=_("due before")
    )

    class Meta:
        model = Obligation
        fields = ["incident", "regime", "stage", "applies"]

    def filter_filed_with_authority(self, queryset, name, value):
        """ObligationQuerySet.filed_with_authority: the one rule."""
        filed = Obligation.objects.filed_with_authority().values("pk")
        return queryset.filter(pk__in=filed) if value else queryset.exclude(pk__in=filed)


class ListFilter(admin.SimpleListFilter):
    """An admin list filter that applies one filter of a FilterSet, as the API does.

    `parameter_name` names the FilterSet's filter; a value it does not accept filters
    nothing (as an unknown value in the admin always has).
    """

    filterset_class: type[filters.FilterSet]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return self.filterset_class({self.parameter_name: self.value()}, queryset=queryset).qs


class OverdueFilter(ListFilter):
    title = _("overdue")
    parameter_name = "overdue"
    filterset_class = ActionFilter

    def lookups(self, request, model_admin):
        return [("true", _("Overdue")), ("false", _("Not overdue"))]


class ObligationStateFilter(ListFilter):
    title = _("state")
    parameter_name = "state"
    filterset_class = ObligationFilter

    def lookups(self, request, model_admin):
        return ObligationState.choices


class FiledWithAuthorityFilter(ListFilter):
    title = _("filed with an authority")
    parameter_name = "filed_with_authority"
    filterset_class = ObligationFilter

    def lookups(self, request, model_admin):
        return [("true", _("Filed with an authority")), ("false", _("Not filed with an authority"))]


class OpenIncidentFilter(ListFilter):
    title = _("open or closed")
    parameter_name = "open"
    filterset_class = IncidentFilter

    def lookups(self, request, model_admin):
        return [("true", _("Open")), ("false", _("Closed"))]
