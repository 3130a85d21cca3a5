"""Filters of the documents, one definition each, used by the API (as incidents.filtersets)."""

from django_filters import rest_framework as filters

from .models import Report


class ReportFilter(filters.FilterSet):
    class Meta:
        model = Report
        fields = ["incident", "kind", "language", "status"]
