"""The incident, its organization, its moves through the lifecycle and what stayed unknown."""

from typing import TYPE_CHECKING, ClassVar

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from incidents import services
from incidents.access import members_outside_the_organization
from incidents.choices import IncidentStatus, PersonalDataItem
from incidents.limits import NOTE_MAX_LENGTH
from incidents.localtime import LocalDateTimeField
from incidents.models import Incident, Organization, UnresolvedItem
from incidents.models.organization import CODE_FIXED_HELP, ORGANIZATION_FIXED
from incidents.regimes import REGIME_CHOICES

from .base import (
    CaseSerializer,
    FullCleanMixin,
    RefuseReadOnlyMixin,
    VisibleIncidentField,
    incident_reference_field,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from incidents.models import SenderAddress


class OrganizationSerializer(RefuseReadOnlyMixin, CaseSerializer):
    read_only_refusals: ClassVar[dict[str, object]] = {
        "sender_addresses": _(
            "Read only here: legitimate sender addresses are kept on the organization's page "
            "in the admin."
        )
    }
    sender_addresses: "serializers.SlugRelatedField[SenderAddress]" = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="address", label=_("legitimate sender addresses")
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "name_ja",
            "name_en",
            "address",
            "representative_title",
            "representative_name",
            "regulator_contact_name",
            "regulator_contact_email",
            "regulator_contact_phone",
            "public_contact_name",
            "public_contact_email",
            "public_contact_phone",
            "website",
            "copyright_notice",
            "sender_addresses",
        ]
        # Left out, a new organization gets a free code (INC for the first).
        extra_kwargs = {"code": {"required": False}}

    def validate_code(self, value):
        """Fixed once the organization has an incident (its references begin with it)."""
        instance = self.instance
        if instance is not None and value != instance.code and instance.code_is_fixed:
            raise serializers.ValidationError(CODE_FIXED_HELP)
        return value


class IncidentSerializer(FullCleanMixin, CaseSerializer):
    personal_data_items = serializers.ListField(
        child=serializers.ChoiceField(choices=PersonalDataItem.choices),
        required=False,
        label=_("personal-data items"),
    )
    regimes = serializers.ListField(
        child=serializers.ChoiceField(choices=REGIME_CHOICES),
        required=False,
        label=_("regimes that apply"),
    )
    open_action_count = serializers.IntegerField(read_only=True, label=_("open actions"))
    article7_cases = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        label=_("cases of APPI Enforcement Rules Art. 7 that hold"),
    )
    allowed_transitions = serializers.ListField(
        child=serializers.ChoiceField(choices=IncidentStatus.choices),
        read_only=True,
        label=_("statuses it may move to"),
    )
    warnings = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        label=_("warnings"),
        help_text=_("What a reader must not miss, e.g. no regime ticked: no legal clock runs."),
    )
    change_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        label=_("Reason for changing when the organization knew"),
        help_text=_(
            "Needed when changing aware_at after a filing was recorded; kept in the history."
        ),
    )

    def validate_organization(self, value):
        """An incident is opened under an organization one belongs to, and stays with it: its
        reference begins with that organization's code."""
        if self.instance is not None:
            if value != self.instance.organization:
                raise serializers.ValidationError(ORGANIZATION_FIXED)
            return value
        user = self.context["request"].user
        if not Organization.objects.acts_for(user, value):
            raise serializers.ValidationError(
                _("You may open incidents only for the organizations you belong to.")
            )
        return value

    def validate(self, attrs):
        organization = attrs.get("organization") or getattr(self.instance, "organization", None)
        problem = members_outside_the_organization(
            organization, attrs.get("members"), self.instance
        )
        if problem:
            raise serializers.ValidationError({"members": problem})
        if (
            self.instance is not None
            and "aware_at" in attrs
            and services.awareness_change_needs_reason(self.instance, attrs["aware_at"])
            and not attrs.get("change_reason", "").strip()
        ):
            raise serializers.ValidationError(
                {
                    "change_reason": _(
                        "A filing was already recorded: give a reason for changing when the "
                        "organization knew of the situation."
                    )
                }
            )
        return super().validate(attrs)

    class Meta:
        model = Incident
        fields = [
            "id",
            "reference",
            "organization",
            "title",
            "summary",
            "category",
            "severity",
            "status",
            "allowed_transitions",
            "time_zone",
            "members",
            "occurred_at",
            "detected_at",
            "aware_at",
            "contained_at",
            "discovered_by",
            "contractor_involved",
            "description_of_events",
            "personal_data_items",
            "personal_data_detail",
            "data_medium",
            "affected_count",
            "affected_count_qualifier",
            "over_1000_people",
            "sensitive_data",
            "financial_damage_risk",
            "wrongful_purpose",
            "article7_cases",
            "appi_contractor_route",
            "appi_encrypted",
            "appi_exemption_reason",
            "cause",
            "secondary_damage",
            "support_for_affected",
            "request_to_customers",
            "publication_status",
            "published_at",
            "regimes",
            "high_risk",
            "gdpr_unlikely_risk",
            "gdpr_unlikely_risk_reason",
            "data_subject_categories",
            "records_count",
            "gdpr_delay_reason",
            "significant_incident",
            "nis2_trust_service",
            "nis2_intermediate_due_at",
            "handling_ended_at",
            "sec_material",
            "materiality_determined_on",
            "sec_delay_until",
            "sec_info_pending",
            "sec_info_available_on",
            "max_persons_in_one_state",
            "hipaa_business_associate",
            "hipaa_delay_stated_on",
            "hipaa_delay_until",
            "hipaa_delay_official",
            "warnings",
            "change_reason",
            "open_action_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["reference", "status", "created_at", "updated_at"]


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=IncidentStatus.choices, label=_("new status"))
    effective_at = LocalDateTimeField(
        required=False,
        allow_null=True,
        label=_("effective at"),
        help_text=_("When the move happened (default: now); for a case entered after the fact."),
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=NOTE_MAX_LENGTH,
        label=_("note"),
    )

    def validate_effective_at(self, value):
        if value is not None and value > timezone.now():
            raise serializers.ValidationError(_("This is in the future."))
        return value


class UnresolvedItemSerializer(RefuseReadOnlyMixin, FullCleanMixin, CaseSerializer):
    """An item of the PPC report that stayed unknown after the investigation, and why."""

    # Who wrote the row and when are the system's: sent, they are refused by name rather
    # than dropped without a word (when the item was determined is determined_at).
    read_only_refusals: ClassVar[dict[str, object]] = {
        "recorded_at": _("This field is read-only (when it was determined: determined_at)."),
        "recorded_by": _("This field is read-only."),
    }
    incident_reference = incident_reference_field()

    incident = VisibleIncidentField()
    recorded_by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        read_only=True, slug_field="username", allow_null=True, label=_("recorded by")
    )

    class Meta:
        model = UnresolvedItem
        fields = [
            "id",
            "incident",
            "incident_reference",
            "item",
            "reason_ja",
            "reason_en",
            "determined_at",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["recorded_by", "recorded_at"]
