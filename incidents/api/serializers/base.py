"""What every serializer of the case record shares: need-to-know on related rows, narratives
in both languages, times read in the incident's zone, the model's own rules."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from incidents.access import visible
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
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Incident.objects.all())
        kwargs.setdefault("label", Incident._meta.verbose_name)
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
