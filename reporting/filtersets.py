"""Filters of the documents, one definition each, used by the API (as incidents.filtersets)."""

from incidents.filtersets import FilterSet

from .models import Report


class ReportFilter(FilterSet):
    class Meta:
        model = Report
        fields = ["incident", "kind", "language", "status"]
