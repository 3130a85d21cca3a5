from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from incidents.api.serializers import (
    VisibleIncidentField,
    VisibleRelatedField,
    incident_reference_field,
)
from incidents.localtime import LocalDateTimeField
from incidents.models import Finding, Milestone
from scope.choices import AssetState
from scope.models import Asset, Check, Indicator
from scope.normalise import normalise

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ScopeSerializer(serializers.ModelSerializer):
    """Times as everywhere in the API: the project's range and its message."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: LocalDateTimeField,
    }


class AssetSerializer(ScopeSerializer):
    incident_reference = incident_reference_field()
    incident = VisibleIncidentField()
    last_result = serializers.CharField(
        read_only=True, allow_null=True, label=_("latest check's result")
    )
    last_checked_at = serializers.DateTimeField(
        read_only=True, allow_null=True, label=_("last checked at")
    )
    state = serializers.ChoiceField(
        choices=AssetState.choices,
        read_only=True,
        label=_("state"),
        help_text=_(
            "Where the asset stands now, as the progress counts it: its latest check's result "
            "once checked; never checked, infected if its role is infected, else unchecked."
        ),
    )

    class Meta:
        model = Asset
        fields = [
            "id",
            "incident",
            "incident_reference",
            "kind",
            "name",
            "owner",
            "role",
            "note",
            "state",
            "last_result",
            "last_checked_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[
            object
        ] = []  # the unique constraint is checked by the service (full_clean)

    def validate(self, attrs):
        instance = self.instance
        if instance is not None and "incident" in attrs and attrs["incident"] != instance.incident:
            raise serializers.ValidationError(
                {"incident": [_("An asset cannot move to another incident.")]}
            )
        return attrs


class CheckSerializer(ScopeSerializer):
    asset = VisibleRelatedField(queryset=Asset.objects.all(), label=_("asset"))
    recorded_by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        slug_field="username", read_only=True, label=_("recorded by")
    )

    class Meta:
        model = Check
        fields = [
            "id",
            "asset",
            "tool",
            "result",
            "checked_at",
            "checked_by",
            "note",
            "recorded_by",
        ]
        validators: list[object] = []


class IndicatorSerializer(ScopeSerializer):
    incident_reference = incident_reference_field()
    incident = VisibleIncidentField()
    assets = VisibleRelatedField(
        queryset=Asset.objects.all(), many=True, required=False, label=_("assets")
    )
    milestones = VisibleRelatedField(
        queryset=Milestone.objects.all(), many=True, required=False, label=_("milestones")
    )
    finding = VisibleRelatedField(
        queryset=Finding.objects.all(), required=False, allow_null=True, label=_("finding")
    )
    value = serializers.CharField(
        max_length=4096,
        label=_("value"),
        help_text=_(
            "Validated and normalised per type: lower case, defanging undone "
            "(hxxp, [.]), IP addresses in their canonical form."
        ),
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "uuid",
            "incident",
            "incident_reference",
            "type",
            "value",
            "tlp",
            "public",
            "first_seen",
            "last_seen",
            "source",
            "source_detail",
            "finding",
            "assets",
            "milestones",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uuid", "created_at", "updated_at"]
        validators: list[object] = []

    def validate(self, attrs):
        instance = self.instance
        kind = attrs.get("type", instance.type if instance else None)
        if kind and ("value" in attrs or "type" in attrs):
            value = attrs.get("value", instance.value if instance else "")
            try:
                attrs["value"] = normalise(kind, value)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"value": exc.messages}) from exc
        if instance is not None and "incident" in attrs and attrs["incident"] != instance.incident:
            raise serializers.ValidationError(
                {"incident": [_("An indicator cannot move to another incident.")]}
            )
        return attrs


class ImportSerializer(serializers.Serializer):
    incident = VisibleIncidentField()
    file = serializers.FileField(
        required=False,
        label=_("file"),
        help_text=_("The CSV file (or STIX bundle), as an upload."),
    )
    content = serializers.CharField(
        required=False,
        trim_whitespace=False,
        label=_("content"),
        help_text=_("The CSV text (or STIX bundle JSON), instead of an upload."),
    )

    def validate(self, attrs):
        if bool(attrs.get("file")) == bool(attrs.get("content")):
            raise serializers.ValidationError(
                {"file": [_("Send either a file or its content, not both and not neither.")]}
            )
        return attrs

    def data_to_import(self) -> bytes | str:
        upload = self.validated_data.get("file")
        return upload.read() if upload else self.validated_data["content"]


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField(label=_("rows read"))
    created = serializers.IntegerField(label=_("added"))
    merged = serializers.IntegerField(
        label=_("merged"), help_text=_("Already recorded or repeated: merged, not added.")
    )
    kept_public = serializers.ListField(
        child=serializers.CharField(),
        label=_("kept public"),
        help_text=_(
            "Public values (listed in the public documents) the file marks stricter than "
            "TLP:CLEAR: kept public and TLP:CLEAR; decide whether to take them back."
        ),
    )
    skipped = serializers.ListField(
        child=serializers.CharField(),
        label=_("skipped"),
        help_text=_("What was read and left aside, each saying where and why."),
    )
