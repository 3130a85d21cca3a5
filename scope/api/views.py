"""Assets, checks and indicators over the API; STIX and MISP exports of an incident.

Viewsets are declarative; every write calls scope.services. Need-to-know comes from
Incident.objects.visible_to: what a user may not see answers 404 like what does not exist.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.fields import get_error_detail
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.api.common import (
    BoundedSearchFilter,
    CasePermissions,
    HistoryEntrySerializer,
    LimitedJSONParser,
    NeedToKnowFilterBackend,
    history_entries,
)
from incidents.api.history import HistoryMixin
from incidents.models import Incident
from scope import exports, services
from scope.filtersets import AssetFilter, CheckFilter, IndicatorFilter
from scope.models import Asset, Check, Indicator

from . import serializers as s


def rejected(exc: services.ImportRejected) -> exceptions.ValidationError:
    """Every bad row in the error format's fields: {"rows[3].value": ["..."]}, where 3 is the
    line of the CSV file (the header is line 1), or the object's position in the STIX
    bundle's objects (the first is 1); 0 is the file as a whole."""
    detail = {"non_field_errors": [str(exc)]}
    for error in exc.errors:
        for name, messages in error.fields.items():
            detail[f"rows[{error.row}].{name}"] = messages
    return exceptions.ValidationError(detail)


class ScopeViewSet(HistoryMixin, viewsets.ModelViewSet):
    permission_classes = [CasePermissions]
    filter_backends = [NeedToKnowFilterBackend, OrderingFilter, BoundedSearchFilter]

    def get_queryset(self):
        return self.queryset.model.objects.visible_to(self.request.user)

    def _run(self, fn, *args, **kwargs):
        try:
            return fn(*args, user=self.request.user, **kwargs)
        except DjangoValidationError as exc:
            # __all__ becomes DRF's non_field_errors, as everywhere else in the API
            raise exceptions.ValidationError(get_error_detail(exc)) from exc

    def _import(self, request, importer):
        body = s.ImportSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        try:
            result = importer(
                body.validated_data["incident"], body.data_to_import(), user=request.user
            )
        except services.ImportRejected as exc:
            raise rejected(exc) from exc
        return Response(s.ImportResultSerializer(result.as_dict()).data, status=status.HTTP_200_OK)


class AssetViewSet(ScopeViewSet):
    serializer_class = s.AssetSerializer
    queryset = Asset.objects.all()
    filterset_class = AssetFilter
    search_fields = ["name", "owner"]
    ordering_fields = ["name", "kind", "role", "id"]
    ordering = ["kind", "name", "id"]
    parser_classes = [LimitedJSONParser, MultiPartParser, FormParser]
    action_permissions = {"import_csv": ["scope.add_asset"]}

    def get_queryset(self):
        return super().get_queryset().with_state().select_related("incident")

    def perform_create(self, serializer):
        asset = self._run(services.create_asset, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=asset.pk)  # with its state

    def perform_update(self, serializer):
        asset = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(asset, name, value)
        self._run(services.save_asset, asset)
        serializer.instance = self.get_queryset().get(pk=asset.pk)

    def perform_destroy(self, instance):
        services.delete_asset(instance, user=self.request.user)

    @extend_schema(request=s.ImportSerializer, responses={200: s.ImportResultSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request):
        """Import assets from CSV (kind,name[,owner,role,note]; Japanese headers such as
        種別, 名称, 部署, 役割, 備考 accepted); all rows or none. A bad row, the same asset
        twice in the file included, answers 400 with its errors under `rows[N].<column>`, N
        the line of the file (the header is line 1)."""
        return self._import(request, services.import_assets_csv)


class CheckViewSet(
    HistoryMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Checks are a record of a fact, added and never changed (as on the asset's admin page):
    a wrong one is corrected by recording a new one (the latest decides the asset's state),
    or deleted by someone allowed to, its deletion kept in its history. PUT and PATCH answer
    405 saying so."""

    serializer_class = s.CheckSerializer
    queryset = Check.objects.all()
    permission_classes = [CasePermissions]
    filter_backends = ScopeViewSet.filter_backends
    filterset_class = CheckFilter
    ordering_fields = ["checked_at", "id"]
    ordering = ["-checked_at", "-id"]
    parser_classes = [LimitedJSONParser, MultiPartParser, FormParser]
    action_permissions = {"import_csv": ["scope.add_check"]}
    _run = ScopeViewSet._run
    _import = ScopeViewSet._import

    def get_queryset(self):
        return (
            Check.objects.filter(asset__incident__in=Incident.objects.visible_to(self.request.user))
            .select_related("recorded_by")
            .order_by("-checked_at", "-id")
        )

    def http_method_not_allowed(self, request, *args, **kwargs):
        if request.method in {"PUT", "PATCH"}:
            raise exceptions.MethodNotAllowed(
                request.method,
                detail=_(
                    "A check is a record of what was found and is not changed. Record a new "
                    "check to correct it (the latest decides the asset's state), or delete "
                    "the wrong one (its deletion stays in its history)."
                ),
            )
        return super().http_method_not_allowed(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = self._run(services.record_check, data.pop("asset"), **data)

    def perform_destroy(self, instance):
        services.delete_check(instance, user=self.request.user)

    @extend_schema(filters=False, responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        """The check's changes, its deletion included: a deleted check's history still
        answers for whoever may see its asset's incident (hidden or never there: 404)."""
        try:
            rows = self.get_object().history
        except Http404:
            if not str(pk).isdigit():
                raise
            visible = Incident.objects.visible_to(request.user)
            rows = Check.history.filter(id=int(pk), asset__incident__in=visible)
            if not rows.exists():
                raise
        return Response(HistoryEntrySerializer(history_entries(rows), many=True).data)

    @extend_schema(request=s.ImportSerializer, responses={200: s.ImportResultSerializer})
    @action(detail=False, methods=["post"], url_path="import")
    def import_csv(self, request):
        """Import a round of checks from CSV (asset,tool,result,checked_at[,kind,checked_by,
        note]; Japanese headers accepted), each row one check of one of the incident's assets
        by its name; all rows or none. A bad row answers 400 with its errors under
        `rows[N].<column>`, N the line of the file (the header is line 1)."""
        return self._import(request, services.import_checks_csv)


class IndicatorViewSet(ScopeViewSet):
    serializer_class = s.IndicatorSerializer
    queryset = Indicator.objects.all()
    filterset_class = IndicatorFilter
    search_fields = ["value", "note", "source_detail"]
    ordering_fields = ["type", "value", "first_seen", "last_seen", "id"]
    ordering = ["type", "value", "id"]
    parser_classes = [LimitedJSONParser, MultiPartParser, FormParser]
    action_permissions = {
        "import_csv": ["scope.add_indicator"],
        "import_stix": ["scope.add_indicator"],
    }

    def get_queryset(self):
        queryset = super().get_queryset().select_related("incident")
        return queryset.prefetch_related("assets", "milestones")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = self._run(
            services.create_indicator,
            assets=data.pop("assets", None),
            milestones=data.pop("milestones", None),
            **data,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        assets, milestones = data.pop("assets", None), data.pop("milestones", None)
        indicator = serializer.instance
        for name, value in data.items():
            setattr(indicator, name, value)
        self._run(services.save_indicator, indicator, assets=assets, milestones=milestones)

    def perform_destroy(self, instance):
        services.delete_indicator(instance, user=self.request.user)

    @extend_schema(request=s.ImportSerializer, responses={200: s.ImportResultSerializer})
    @action(detail=False, methods=["post"], url_path="import-csv")
    def import_csv(self, request):
        """Import from CSV (type,value[,tlp,first_seen,last_seen,source,source_detail,public,
        note]; Japanese headers such as 種類, 値, 初回観測 accepted); values normalised,
        duplicates merged; all rows or none. A bad row answers 400
        with its errors under `rows[N].<column>`, N the line of the file (the header is
        line 1)."""
        return self._import(request, services.import_indicators_csv)

    @extend_schema(request=s.ImportSerializer, responses={200: s.ImportResultSerializer})
    @action(detail=False, methods=["post"], url_path="import-stix")
    def import_stix(self, request):
        """Import the indicators of a STIX 2.1 bundle, with first/last seen from its Sightings;
        duplicates merged; all or none. A bad object answers 400 under `rows[N].<property>`,
        N its position in the bundle's objects (the first is 1)."""
        return self._import(request, services.import_stix_bundle)


# Named as the schema names the path's pk ({id}: drf-spectacular's SCHEMA_COERCE_PATH_PK).
INCIDENT = OpenApiParameter(
    "id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The incident's id or its reference (INC-2022-0001).",
)
INCLUDE_RED = OpenApiParameter(
    "include_red",
    OpenApiTypes.BOOL,
    description="Also export TLP:RED indicators (needs the permission to; otherwise 403). "
    "1/true/yes/on or 0/false/no/off; another value answers 400.",
)
INCLUDE_NOTES = OpenApiParameter(
    "include_notes",
    OpenApiTypes.BOOL,
    description="Also export the indicators' internal notes (STIX description, MISP comment); "
    "left out by default. Values as include_red.",
)


class ExportView(APIView):
    """An incident's indicators for sharing; TLP:RED and notes only when asked (and, for
    TLP:RED, allowed)."""

    permission_classes = [CasePermissions]
    queryset = Indicator.objects.all()  # CasePermissions: view_indicator to read
    content_type = "application/json"
    fmt = ""
    suffix = ""

    def incident_and_options(self, request, pk: str):
        """The incident by its id or its reference (INC-2022-0001), among those the user
        may see: hidden, missing and malformed all answer the same 404."""
        incident = (
            Incident.objects.visible_to(request.user).select_related("organization").by_key(pk)
        )
        if incident is None:
            raise Http404
        try:
            options = exports.ExportOptions.parse(request.query_params)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(get_error_detail(exc)) from exc
        try:
            options.check_allowed(request.user)
        except DjangoPermissionDenied as exc:  # with its message, not the generic one
            raise exceptions.PermissionDenied(str(exc)) from exc
        return incident, options

    def download(self, request, pk: str) -> HttpResponse:
        incident, options = self.incident_and_options(request, pk)
        body = exports.export(self.fmt, incident, options)
        response = HttpResponse(body, content_type=self.content_type)
        filename = f"{incident.reference}.{self.suffix}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class StixExportView(ExportView):
    content_type = "application/stix+json;version=2.1"
    fmt, suffix = "stix", "stix.json"

    @extend_schema(
        parameters=[INCIDENT, INCLUDE_RED, INCLUDE_NOTES],
        responses={
            (200, "application/stix+json;version=2.1"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="A STIX 2.1 bundle."
            )
        },
        operation_id="incidents_stix_export",
        tags=["incidents"],
    )
    def get(self, request, pk: str):
        return self.download(request, pk)


class MispExportView(ExportView):
    fmt, suffix = "misp", "misp.json"

    @extend_schema(
        parameters=[INCIDENT, INCLUDE_RED, INCLUDE_NOTES],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="A MISP event.")},
        operation_id="incidents_misp_export",
        tags=["incidents"],
    )
    def get(self, request, pk: str):
        return self.download(request, pk)
