"""The measures taken and planned."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from incidents.models import Action

from .base import CaseSerializer, FullCleanMixin


class ActionSerializer(FullCleanMixin, CaseSerializer):
    is_overdue = serializers.BooleanField(read_only=True, label=_("overdue"))

    class Meta:
        model = Action
        fields = [
            "id",
            "incident",
            "title",
            "description",
            "category",
            "owner",
            "due_date",
            "status",
            "done_at",
            "verification",
            "is_overdue",
        ]
