"""The investigation: milestones, engagements and their findings, evidence and its custody."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents import services
from incidents.limits import NOTE_MAX_LENGTH
from incidents.models import CustodyEntry, Engagement, Evidence, Finding, IncidentError, Milestone

from .base import CaseSerializer, FullCleanMixin, incident_reference_field

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class MilestoneSerializer(FullCleanMixin, CaseSerializer):
    incident_reference = incident_reference_field()
    obligation_label = serializers.SerializerMethodField(
        label=_("obligation fulfilled"),
        help_text=_("The legal clock this report to the regulator fulfilled, if any."),
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "incident",
            "incident_reference",
            "occurred_at",
            "kind",
            "title",
            "detail",
            "public",
            "engagement",
            "finding",
            "evidence",
            "obligation",
            "obligation_label",
        ]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_obligation_label(self, milestone) -> str | None:
        return milestone.obligation.label if milestone.obligation_id else None

    def validate(self, attrs):
        attrs = super().validate(attrs)
        milestone = self.instance or Milestone()
        for name, value in attrs.items():
            setattr(milestone, name, value)
        try:
            services.milestone_fulfils(milestone)
        except IncidentError as error:
            raise serializers.ValidationError({"obligation": error.message}) from None
        return attrs


class FindingSerializer(FullCleanMixin, CaseSerializer):
    class Meta:
        model = Finding
        fields = ["id", "engagement", "reported_at", "kind", "summary", "conclusion"]


class EngagementSerializer(FullCleanMixin, CaseSerializer):
    incident_reference = incident_reference_field()
    findings = FindingSerializer(many=True, read_only=True, label=_("findings"))

    class Meta:
        model = Engagement
        fields = [
            "id",
            "incident",
            "incident_reference",
            "vendor",
            "scope",
            "requested_at",
            "findings",
        ]


class CustodyEntrySerializer(CaseSerializer):
    recorded_by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        read_only=True, slug_field="username", allow_null=True, label=_("recorded by")
    )

    class Meta:
        model = CustodyEntry
        fields = [
            "id",
            "at",
            "action",
            "from_party",
            "to_party",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["recorded_by", "recorded_at"]


class EvidenceSerializer(FullCleanMixin, CaseSerializer):
    incident_reference = incident_reference_field()
    file = serializers.FileField(
        write_only=True,
        required=False,
        label=_("file"),
        help_text=_("Uploaded once, on creation; its SHA-256 and size are computed on save."),
    )
    correction_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX_LENGTH,
        label=_("reason for the correction"),
        help_text=_("With `corrects`: why, recorded in the new item's custody chain."),
    )
    corrections: "serializers.PrimaryKeyRelatedField[Evidence]" = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True, label=_("corrected by"))
    )
    has_file = serializers.SerializerMethodField(label=_("file attached"))
    disposed_at = serializers.DateTimeField(
        read_only=True, allow_null=True, label=_("returned or destroyed at")
    )
    disposal_action = serializers.CharField(
        read_only=True, allow_null=True, label=_("returned or destroyed")
    )

    class Meta:
        model = Evidence
        fields = [
            "id",
            "incident",
            "incident_reference",
            "label",
            "kind",
            "description",
            "collected_at",
            "collected_by",
            "location",
            "file",
            "has_file",
            "sha256",
            "size",
            "corrects",
            "correction_reason",
            "corrections",
            "disposed_at",
            "disposal_action",
        ]
        read_only_fields = ["sha256", "size"]

    def get_has_file(self, obj) -> bool:
        return bool(obj.file)

    def validate_file(self, value):
        if self.instance is not None and self.instance.file:
            raise serializers.ValidationError(
                _("An evidence file is never replaced: record a new item instead.")
            )
        if value is not None:
            services.check_evidence_file(value)  # 413 or 415, as for every upload
        return value

    def validate_corrects(self, value):
        if self.instance is not None and value != self.instance.corrects:
            raise serializers.ValidationError(
                _("What an item corrects is set when it is recorded.")
            )
        return value

    def validate_correction_reason(self, value):
        if self.instance is not None and value:
            raise serializers.ValidationError(
                _(
                    "A correction's reason is recorded once, in its custody chain; it is not "
                    "changed."
                )
            )
        return value

    def validate(self, attrs):
        reason = attrs.pop("correction_reason", "")
        if "file" in attrs and not attrs["file"]:
            del attrs["file"]  # an empty file field of a form: nothing attached, nothing cleared
        attrs = super().validate(attrs)
        if reason:
            attrs["correction_reason"] = reason
        return attrs

    def full_clean_exclude(self):
        # The file's hash and size are computed on save.
        return [*super().full_clean_exclude(), "file"]
