"""Every operation documents the errors it can answer, in the one error format."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

# An incident in a path, by id or reference (IncidentQuerySet.by_key). Named as the schema
# names the path's pk ({id}: drf-spectacular's SCHEMA_COERCE_PATH_PK).
INCIDENT_KEY = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The incident's id or its reference (INC-2022-0001).",
)


class ErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    # The error body's "fields" key (a Serializer's own `fields` is not read here).
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


ERROR_DESCRIPTIONS = {
    "400": "Invalid input; `fields` names what is wrong.",
    "401": "Not authenticated.",
    "403": "Authenticated, but not allowed to do this.",
    "404": "No such object, or not one you may see.",
    "405": "Method not allowed.",
    "409": (
        "Refused by the record's rules (status move, closed custody chain, submitted report,"
        " a delete that other records depend on)."
    ),
    "413": "Upload too large.",
    "415": "Unsupported media type.",
    "429": "Too many requests.",
}


class TaisakuAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # 404 everywhere: a hidden object, and a page past the end of a list.
        codes = ["400", "401", "403", "404", "405", "429"]
        if self.method in {"POST", "PUT", "PATCH", "DELETE"}:
            codes += ["409", "413", "415"]
        for code in codes:
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return responses
