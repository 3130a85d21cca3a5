from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents import services
from incidents.access import visible
from incidents.choices import FilingChannel, IncidentStatus, ObligationState, PersonalDataItem
from incidents.limits import NOTE_MAX_LENGTH, validate_in_range
from incidents.localtime import LocalDateTimeField
from incidents.models import (
    Action,
    CustodyEntry,
    Engagement,
    Evidence,
    Finding,
    Incident,
    IncidentError,
    IndividualNotice,
    Milestone,
    Obligation,
    Organization,
    UnresolvedItem,
)
from incidents.narratives import LANGUAGES, narrative_fields
from incidents.regimes import FACT_FLAGS, REGIME_CHOICES

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from incidents.models import SenderAddress


@extend_schema_field(OpenApiTypes.INT)
class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row the requesting user may see (incidents.access.visible); a hidden id
    is refused exactly like a missing one. Every model serializer's foreign keys use it."""

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        choices = visible(queryset.model, getattr(request, "user", None))
        return choices if choices is not None else queryset


class VisibleIncidentField(VisibleRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Incident.objects.all())
        super().__init__(**kwargs)


class NarrativesMixin:
    """Every narrative of the model as `<field>_ja` and `<field>_en`, read and written exactly
    ("" when not recorded in that language). The plain name stays: reading it gives the request's
    language (Accept-Language), else the other one; writing it fills the request's language,
    unless `<field>_<language>` is given too, which wins."""

    def get_field_names(self, declared_fields, info):
        narratives = narrative_fields(self.Meta.model)
        names = []
        for name in super().get_field_names(declared_fields, info):
            names.append(name)
            if name in narratives:
                names += [f"{name}_{language}" for language in LANGUAGES]
        return names

    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        for field in narrative_fields(self.Meta.model):
            extra[field] = {
                "required": False,
                "help_text": _(
                    "In the request's language, else the other one; documents use "
                    "%(field)s_ja and %(field)s_en."
                )
                % {"field": field},
                **extra.get(field, {}),
            }
            for language in LANGUAGES:
                extra[f"{field}_{language}"] = {
                    "required": False,
                    "allow_null": False,
                    **extra.get(f"{field}_{language}", {}),
                }
        return extra

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for field in narrative_fields(self.Meta.model):
            for language in LANGUAGES:
                key = f"{field}_{language}"
                if key in data and data[key] is None:
                    data[key] = ""
        return data


class CaseSerializer(NarrativesMixin, serializers.ModelSerializer):
    """Model serializers of the case record: related rows limited by need-to-know."""

    serializer_related_field = VisibleRelatedField


class IncidentZoneMixin:
    """Times given without an offset are read in the incident's own time zone.

    A new incident's zone is the one it is given; another row's is its incident's.
    """

    def to_internal_value(self, data):
        zone = self._incident_zone(data)
        if zone is None:
            return super().to_internal_value(data)
        with timezone.override(zone):
            return super().to_internal_value(data)

    def _incident_zone(self, data):
        get = data.get if hasattr(data, "get") else (lambda _key: None)
        name = None
        if self.Meta.model is Incident:
            name = get("time_zone") or getattr(self.instance, "time_zone", None)
        else:
            incident_id = get("incident")
            if incident_id is not None and str(incident_id).isdigit():
                request = self.context.get("request")
                name = (
                    Incident.objects.visible_to(request.user if request else None)
                    .filter(pk=incident_id)
                    .values_list("time_zone", flat=True)
                    .first()
                )
            elif getattr(self.instance, "incident_id", None):
                name = self.instance.incident.time_zone
        if not isinstance(name, str):
            return None
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            return None


class FullCleanMixin(IncidentZoneMixin):
    """Run the model's own rules (clean, validators) so the API refuses what the admin refuses.

    Times without an offset are read strictly: a daylight-saving gap or overlap is refused.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: LocalDateTimeField,
    }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.instance or self.Meta.model()
        for name, value in attrs.items():
            if getattr(self.fields[name], "write_only", False) and not hasattr(
                type(instance), name
            ):
                continue
            if not isinstance(self.fields[name], serializers.ManyRelatedField):
                setattr(instance, name, value)
        instance.full_clean(exclude=self.full_clean_exclude(), validate_unique=True)
        return attrs

    def full_clean_exclude(self):
        # A narrative is checked in its _ja and _en columns (the model's clean() asks for a
        # title in one language at least), not in the plain column that mirrors them.
        narratives = narrative_fields(self.Meta.model)
        return [
            f.name for f in self.Meta.model._meta.fields if not f.editable or f.name in narratives
        ]


class OrganizationSerializer(CaseSerializer):
    sender_addresses: "serializers.SlugRelatedField[SenderAddress]" = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="address"
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


class IncidentSerializer(FullCleanMixin, CaseSerializer):
    personal_data_items = serializers.ListField(
        child=serializers.ChoiceField(choices=PersonalDataItem.choices), required=False
    )
    regimes = serializers.ListField(
        child=serializers.ChoiceField(choices=REGIME_CHOICES), required=False
    )
    open_action_count = serializers.IntegerField(read_only=True)
    article7_cases = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    allowed_transitions = serializers.ListField(
        child=serializers.ChoiceField(choices=IncidentStatus.choices), read_only=True
    )
    warnings = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_("What a reader must not miss, e.g. no regime ticked: no legal clock runs."),
    )
    change_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text=_(
            "Needed when changing aware_at after a filing was recorded; kept in the history."
        ),
    )

    def validate(self, attrs):
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
    to_status = serializers.ChoiceField(choices=IncidentStatus.choices)
    effective_at = LocalDateTimeField(
        required=False,
        allow_null=True,
        help_text=_("When the move happened (default: now); for a case entered after the fact."),
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH
    )

    def validate_effective_at(self, value):
        if value is not None and value > timezone.now():
            raise serializers.ValidationError(_("This is in the future."))
        return value


class MilestoneSerializer(FullCleanMixin, CaseSerializer):
    obligation_label = serializers.SerializerMethodField(
        help_text=_("The legal clock this report to the regulator fulfilled, if any.")
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "incident",
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
    findings = FindingSerializer(many=True, read_only=True)

    class Meta:
        model = Engagement
        fields = ["id", "incident", "vendor", "scope", "requested_at", "findings"]


class CustodyEntrySerializer(CaseSerializer):
    recorded_by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        read_only=True, slug_field="username", allow_null=True
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
    file = serializers.FileField(
        write_only=True,
        required=False,
        help_text=_("Uploaded once, on creation; its SHA-256 and size are computed on save."),
    )
    correction_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("With `corrects`: why, recorded in the new item's custody chain."),
    )
    corrections: "serializers.PrimaryKeyRelatedField[Evidence]" = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )
    has_file = serializers.SerializerMethodField()
    disposed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    disposal_action = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "incident",
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


class ActionSerializer(FullCleanMixin, CaseSerializer):
    is_overdue = serializers.BooleanField(read_only=True)

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


class ObligationSerializer(CaseSerializer):
    incident_reference = serializers.CharField(source="incident.reference", read_only=True)
    state = serializers.ChoiceField(choices=ObligationState.choices, read_only=True)
    # A declared field, not Field.label: the serializer metaclass takes it off the class.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    rule = serializers.CharField(source="rule_text", read_only=True)
    reason_not_applicable = serializers.CharField(source="reason_text", read_only=True)
    fulfilled_by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        read_only=True, slug_field="username", allow_null=True
    )
    # Empty until the filing is recorded.
    channel = serializers.ChoiceField(
        choices=FilingChannel.choices, allow_blank=True, read_only=True
    )
    open_facts = serializers.ListField(
        child=serializers.ChoiceField(choices=list(FACT_FLAGS)), read_only=True
    )
    open_fact_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    provisional = serializers.BooleanField(
        source="is_provisional",
        read_only=True,
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
    incident = VisibleIncidentField()
    regimes = serializers.ListField(
        child=serializers.ChoiceField(choices=REGIME_CHOICES),
        write_only=True,
        required=False,
        help_text=_("The regimes whose notice to individuals this was (needed when several)."),
    )
    sent_at = LocalDateTimeField()
    recorded_by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        read_only=True, slug_field="username", allow_null=True
    )

    class Meta:
        model = IndividualNotice
        fields = [
            "id",
            "incident",
            "sent_at",
            "channel",
            "people_reached",
            "note",
            "regimes",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["recorded_by", "recorded_at"]


class UnresolvedItemSerializer(FullCleanMixin, CaseSerializer):
    """An item of the PPC report that stayed unknown after the investigation, and why."""

    incident = VisibleIncidentField()
    recorded_by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        read_only=True, slug_field="username", allow_null=True
    )

    class Meta:
        model = UnresolvedItem
        fields = ["id", "incident", "item", "reason_ja", "reason_en", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_by", "recorded_at"]


class FilingSerializer(serializers.Serializer):
    at = LocalDateTimeField(validators=[validate_in_range])
    channel = serializers.ChoiceField(choices=FilingChannel.choices)
    authority_reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)
