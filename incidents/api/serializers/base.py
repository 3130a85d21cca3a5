"""What every serializer of the case record shares: need-to-know on related rows, narratives
in both languages, times read in the incident's zone, the model's own rules."""

from typing import ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.access import visible
from incidents.filtersets import INCIDENT_KEY_HELP
from incidents.localtime import LocalDateTimeField
from incidents.models import Incident
from incidents.narratives import LANGUAGES, narrative_fields


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
    """An incident the requesting user may see, by its id or its reference (NKK-2026-0001, in
    capitals or not, as Incident.objects.by_key reads it). Hidden, missing and malformed get
    the one message. Every serializer's incident is this field (CaseSerializer builds it for
    a model's foreign key to the incident); answers give the id (and incident_reference)."""

    default_error_messages = {
        "does_not_exist": _("No incident “{pk_value}” (by id or reference) that you may see."),
        "incorrect_type": _("Give the incident's id or its reference, not {data_type}."),
    }
    # Not VisibleRelatedField's schema (an id both ways): VisibleIncidentFieldSchema's.
    _spectacular_annotation: ClassVar[dict] = {}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", Incident._meta.verbose_name)
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Incident.objects.all())
            kwargs["help_text"] = INCIDENT_KEY_HELP
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        found = self.get_queryset().by_key(str(data).strip())
        if found is None:
            self.fail("does_not_exist", pk_value=data)
        return found


class VisibleIncidentFieldSchema(OpenApiSerializerFieldExtension):
    """Sent as an id or a reference; answered as the id."""

    target_class = VisibleIncidentField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {
                "oneOf": [build_basic_type(OpenApiTypes.INT), build_basic_type(OpenApiTypes.STR)]
            }
        return build_basic_type(OpenApiTypes.INT)


def incident_reference_field() -> serializers.CharField:
    """The incident's reference next to its id in an answer (read only)."""
    return serializers.CharField(
        source="incident.reference", read_only=True, label=_("incident reference")
    )


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
    """Model serializers of the case record: related rows limited by need-to-know; the
    incident by its id or its reference (VisibleIncidentField)."""

    serializer_related_field = VisibleRelatedField

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        if relation_info.related_model is Incident and not relation_info.to_many:
            field_class = VisibleIncidentField
        return field_class, kwargs


class RefuseReadOnlyMixin:
    """A read-only field sent with a change is refused by name (a 400), not silently ignored
    (the client would believe it changed): each field of `read_only_refusals` with the
    message saying where it is changed. Sent back as it is (a GET's answer PUT back), it
    passes."""

    read_only_refusals: ClassVar[dict[str, object]] = {}

    def validate(self, attrs):
        attrs = super().validate(attrs)
        sent = getattr(self, "initial_data", None)
        if not isinstance(sent, dict | QueryDict):
            return attrs
        refused = {}
        for name, message in self.read_only_refusals.items():
            if name not in sent:
                continue
            value = sent.getlist(name) if isinstance(sent, QueryDict) else sent[name]
            if not _same(value, self._current(name)):
                refused[name] = [message]
        if refused:
            raise serializers.ValidationError(refused)
        return attrs

    def _current(self, name):
        """The field as an answer gives it (empty for a new row)."""
        field = self.fields[name]
        instance = getattr(self, "instance", None)
        if instance is None:
            return [] if isinstance(field, serializers.ManyRelatedField) else None
        return field.to_representation(field.get_attribute(instance))


def _same(sent, current) -> bool:
    """Whether a value sent is the one there is (a list in any order)."""
    if isinstance(sent, list) and isinstance(current, list):
        return sorted(map(str, sent)) == sorted(map(str, current))
    return sent == current


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
            key = get("incident")
            if isinstance(key, int | str) and not isinstance(key, bool) and str(key).strip():
                request = self.context.get("request")
                incident = Incident.objects.visible_to(request.user if request else None).by_key(
                    str(key).strip()
                )
                name = incident.time_zone if incident is not None else None
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
