"""The measures taken and planned."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from incidents.models import Action

from .base import CaseSerializer, FullCleanMixin, incident_reference_field


class ActionSerializer(FullCleanMixin, CaseSerializer):
    incident_reference = incident_reference_field()
    is_overdue = serializers.BooleanField(read_only=True, label=_("overdue"))

    class Meta:
        model = Action
        fields = [
            "id",
            "incident",
            "incident_reference",
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
