"""The actions taken on a case, on their own list and page."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..filtersets import OverdueFilter
from ..models import Action
from .base import HistoryAdmin, NarrativeAdmin


@admin.register(Action)
class ActionAdmin(NarrativeAdmin, HistoryAdmin):
    list_display = ["title", "category", "owner", "due_date", "status", "overdue", "incident"]
    list_filter = ["status", "category", OverdueFilter]
    list_select_related = ["incident"]
    search_fields = [
        *("title_ja", "title_en", "description_ja", "description_en"),
        *("owner", "incident__reference"),
    ]
    autocomplete_fields = ["incident"]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue
