"""The legal clocks: obligations, their filings, and the notices to the people concerned."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from incidents.choices import FilingChannel, ObligationState
from incidents.limits import NOTE_MAX_LENGTH, validate_in_range
from incidents.localtime import LocalDateTimeField
from incidents.models import IndividualNotice, Obligation
from incidents.regimes import FACT_FLAGS, REGIME_CHOICES

from .base import (
    CaseSerializer,
    IncidentZoneMixin,
    VisibleIncidentField,
    incident_reference_field,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ObligationSerializer(CaseSerializer):
    incident_reference = incident_reference_field()
    state = serializers.ChoiceField(
        choices=ObligationState.choices, read_only=True, label=_("state")
    )
    # A declared field, not Field.label: the serializer metaclass takes it off the class.
    label = serializers.CharField(read_only=True, label=_("label"))  # type: ignore[assignment]
    rule = serializers.CharField(source="rule_text", read_only=True, label=_("rule"))
    reason_not_applicable = serializers.CharField(
        source="reason_text", read_only=True, label=_("why it does not apply")
    )
    fulfilled_by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        read_only=True, slug_field="username", allow_null=True, label=_("filing recorded by")
    )
    # Empty until the filing is recorded.
    channel = serializers.ChoiceField(
        choices=FilingChannel.choices, allow_blank=True, read_only=True, label=_("channel")
    )
    open_facts = serializers.ListField(
        child=serializers.ChoiceField(choices=list(FACT_FLAGS)),
        read_only=True,
        label=_("facts not yet known"),
    )
    open_fact_labels = serializers.ListField(
        child=serializers.CharField(), read_only=True, label=_("facts not yet known, named")
    )
    provisional = serializers.BooleanField(
        source="is_provisional",
        read_only=True,
        label=_("provisional"),
        help_text=_("Due only if open facts confirm it; computed with the earliest deadline."),
    )

    class Meta:
        model = Obligation
        fields = [
            "id",
            "incident",
            "incident_reference",
            "regime",
            "stage",
            "label",
            "applies",
            "provisional",
            "open_facts",
            "open_fact_labels",
            "reason_not_applicable",
            "due_at",
            "soon_from",
            "state",
            "rule",
            "fulfilled_at",
            "channel",
            "authority_reference",
            "fulfilled_by",
            "fulfilled_by_report_id",
            "filing_note",
        ]
        read_only_fields = fields


class IndividualNoticeSerializer(IncidentZoneMixin, serializers.ModelSerializer):
    incident_reference = incident_reference_field()
    incident = VisibleIncidentField()
    regimes = serializers.ListField(
        child=serializers.ChoiceField(choices=REGIME_CHOICES),
        write_only=True,
        required=False,
        label=_("Regimes it answers"),
        help_text=_("The regimes whose notice to individuals this was (needed when several)."),
    )
    sent_at = LocalDateTimeField(label=_("sent at"))
    recorded_by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        read_only=True, slug_field="username", allow_null=True, label=_("recorded by")
    )

    class Meta:
        model = IndividualNotice
        fields = [
            "id",
            "incident",
            "incident_reference",
            "sent_at",
            "channel",
            "people_reached",
            "note",
            "regimes",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["recorded_by", "recorded_at"]
        # At least one: a notice that reached nobody notifies nobody (as the service says).
        extra_kwargs = {"people_reached": {"min_value": 1}}


class FilingSerializer(serializers.Serializer):
    at = LocalDateTimeField(validators=[validate_in_range], label=_("filed at"))
    channel = serializers.ChoiceField(choices=FilingChannel.choices, label=_("channel"))
    authority_reference = serializers.CharField(
        max_length=200, required=False, allow_blank=True, label=_("authority's reference")
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, label=_("note")
    )
