"""The history action every record's endpoint shares (its own module: common.py is imported
by DRF's settings, before the views it would need)."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from .common import HistoryEntrySerializer, history_entries


class HistoryMixin:
    """``GET …/{id}/history/``: the record's changes with who and when, newest first, for
    whoever may read the record (a hidden one answers 404 like a missing one)."""

    @extend_schema(filters=False, responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        record = self.get_object()
        return Response(HistoryEntrySerializer(history_entries(record.history), many=True).data)
