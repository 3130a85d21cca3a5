"""The timeline's entries, on their own list and page."""

from django.contrib import admin

from .. import services
from ..models import Milestone
from .base import HistoryAdmin, IncidentTimeZoneMixin, NarrativeAdmin, announce_fulfilment
from .inlines import MilestoneForm


@admin.register(Milestone)
class MilestoneAdmin(IncidentTimeZoneMixin, NarrativeAdmin, HistoryAdmin):
    form = MilestoneForm
    list_display = ["occurred_at", "kind", "title", "incident", "public"]
    list_filter = ["kind", "public"]
    list_select_related = ["incident"]
    search_fields = ["title_ja", "title_en", "detail_ja", "detail_en", "incident__reference"]
    date_hierarchy = "occurred_at"
    autocomplete_fields = ["incident", "engagement", "finding", "evidence", "obligation"]

    def save_model(self, request, obj, form, change):
        fulfilled = services.save_milestone(obj, user=request.user)
        announce_fulfilment(request, fulfilled)
