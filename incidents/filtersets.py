"""Filters of the case record, one definition each: the API filters with these FilterSets and
the admin's list filters apply the same filters (see `ListFilter`).

A derived state is filtered by the queryset method that defines it (ActionQuerySet.overdue,
ObligationQuerySet.with_state): the API, the admin and the dashboard cannot disagree.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters import rest_framework as filters
from django_filters.utils import get_model_field
from drf_spectacular.utils import extend_schema_field

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

INCIDENT_KEY_HELP = _(
    "The incident's id or its reference (NKK-2026-0001, in capitals or not). One you may "
    "not see is refused exactly like one that does not exist."
)


class IncidentKeyField(filter_fields.ModelChoiceField):
    """An incident by its id or its reference, among the field's incidents (Incident.objects
    .by_key): anything else, hidden or missing or malformed, is the one invalid choice."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = self.queryset.by_key(str(value).strip())
        if found is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return found


@extend_schema_field({"type": "string", "description": INCIDENT_KEY_HELP})
class IncidentKeyFilter(filters.ModelChoiceFilter):
    """`?incident=12` or `?incident=NKK-2026-0001`: every filter on an incident takes both,
    as every other place a reference is taken."""

    field_class = IncidentKeyField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Incident.objects.all())
        kwargs.setdefault("help_text", INCIDENT_KEY_HELP)
        super().__init__(*args, **kwargs)


class FilterSet(filters.FilterSet):
    """A filter of Meta.fields is named by its model field's name in the reader's language.

    django-filter names it once, in the language active then, and keeps that name for good:
    an English request first, and the Japanese pages said “Status”.

    A filter on a foreign key to the incident takes its id or its reference (IncidentKeyFilter).
    """

    @classmethod
    def filter_for_field(cls, field, field_name, lookup_expr=None):
        if (
            lookup_expr in (None, "exact")
            and getattr(field, "related_model", None) is Incident
            and (field.many_to_one or field.one_to_one)
        ):
            return IncidentKeyFilter(field_name=field_name, lookup_expr="exact")
        return super().filter_for_field(field, field_name, lookup_expr)

    @classmethod
    def get_filters(cls):
        result = super().get_filters()
        for filter_ in result.values():
            field = cls._meta.model and get_model_field(cls._meta.model, filter_.field_name)
            if filter_._label is None and filter_.lookup_expr == "exact" and field is not None:
                filter_.label = capfirst(field.verbose_name)
        return result


class IncidentFilter(FilterSet):
    reference = filters.CharFilter(
        method="filter_reference",
        label=_("reference"),
        help_text=_(
            "The incident's reference (NKK-2026-0001, in capitals or not); one you may not "
            "see lists nothing, as one that does not exist."
        ),
    )
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

    def filter_reference(self, queryset, name, value):
        """As Incident.objects.by_key reads a reference: references are capitals."""
        return queryset.filter(reference=value.strip().upper())

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

    incident = IncidentKeyFilter(field_name="engagement__incident", label=_("incident"))

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
