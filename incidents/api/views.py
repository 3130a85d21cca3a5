from pathlib import PurePath

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from incidents import services
from incidents.downloads import checksummed_attachment
from incidents.models import (
    Action,
    Engagement,
    Evidence,
    FilingRefused,
    Finding,
    Incident,
    IndividualNotice,
    Milestone,
    Obligation,
    Organization,
    UnresolvedItem,
    lifecycle,
)

from ..filtersets import (
    ActionFilter,
    EngagementFilter,
    EvidenceFilter,
    FindingFilter,
    IncidentFilter,
    IndividualNoticeFilter,
    MilestoneFilter,
    ObligationFilter,
    UnresolvedItemFilter,
)
from . import serializers as s
from .common import (
    BoundedSearchFilter,
    CasePermissions,
    CursorOrNumberPagination,
    LimitedJSONParser,
    NamedOrderingFilter,
    NeedToKnowFilterBackend,
    PayloadTooLarge,
    visible_incidents,
)
from .history import HistoryMixin


class CaseViewSet(HistoryMixin, viewsets.ModelViewSet):
    """Rows hanging off incidents the user may see; the rest do not exist (404)."""

    permission_classes = [CasePermissions]
    filter_backends = [NeedToKnowFilterBackend, NamedOrderingFilter, BoundedSearchFilter]
    incident_path = "incident"

    def get_queryset(self):
        qs = super().get_queryset()
        if self.incident_path == "incident":  # its reference next to its id (incident_reference)
            qs = qs.select_related("incident")
        return qs.filter(**{f"{self.incident_path}__in": visible_incidents(self.request)})


@extend_schema_view(
    transition=extend_schema(
        request=s.TransitionSerializer,
        responses={
            200: s.IncidentSerializer,
            400: OpenApiResponse(
                description="The effective time is in the future, before the incident was "
                "found or before the previous move."
            ),
            409: OpenApiResponse(description="The move is not allowed from the current status."),
        },
    ),
)
class IncidentViewSet(HistoryMixin, viewsets.ModelViewSet):
    serializer_class = s.IncidentSerializer
    permission_classes = [CasePermissions]
    filter_backends = [NeedToKnowFilterBackend, NamedOrderingFilter, BoundedSearchFilter]
    filterset_class = IncidentFilter
    ordering_fields = ["aware_at", "created_at", "reference", "severity", "status"]
    ordering = ["-created_at", "-id"]
    search_fields = ["reference", "title", "summary"]
    queryset = Incident.objects.all()
    action_permissions = {
        "transition": ["incidents.change_incident", "incidents.change_incident_status"],
        "history": ["incidents.view_incident"],
    }

    def get_queryset(self):
        return (
            Incident.objects.visible_to(self.request.user)
            .with_open_action_count()
            .with_recipients()
            .prefetch_related("members")
        )

    def get_object(self):
        """By id, or by reference (INC-2022-0001) as everywhere else a reference is taken;
        hidden, missing and malformed answer the same 404."""
        lookup = self.lookup_url_kwarg or self.lookup_field
        key = str(self.kwargs.get(lookup, ""))
        if not (key.isascii() and key.isdigit()):
            incident = Incident.objects.visible_to(self.request.user).by_key(key)
            if incident is None:
                raise Http404
            self.kwargs[lookup] = str(incident.pk)
        return super().get_object()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        members = data.pop("members", [])
        data.pop("change_reason", None)
        serializer.instance = services.open_incident(
            user=self.request.user, members=members, **data
        )

    def perform_update(self, serializer):
        # The serializer has validated and applied the facts; the service saves them and
        # recomputes the legal clocks, as the admin's change form does.
        data = dict(serializer.validated_data)
        members = data.pop("members", None)
        reason = data.pop("change_reason", "")
        incident = serializer.instance
        for name, value in data.items():
            setattr(incident, name, value)
        services.save_incident(incident, user=self.request.user, reason=reason)
        if members is not None:
            incident.members.set(members)

    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        incident = self.get_object()
        body = s.TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        effective_at = body.validated_data.get("effective_at")
        if effective_at is not None:
            # Not before the incident was found nor before the previous move: a 400 naming
            # the field, as the admin's form says it beside the field.
            problem = lifecycle.effective_at_problem(incident, effective_at)
            if problem:
                raise exceptions.ValidationError({"effective_at": [problem]})
        services.change_status(
            incident,
            body.validated_data["to_status"],
            user=request.user,
            note=body.validated_data["note"],
            effective_at=body.validated_data.get("effective_at"),
        )
        incident = self.get_queryset().get(pk=incident.pk)
        return Response(self.get_serializer(incident).data)


class OrganizationViewSet(HistoryMixin, viewsets.ModelViewSet):
    serializer_class = s.OrganizationSerializer
    permission_classes = [CasePermissions]
    queryset = Organization.objects.all()

    def get_queryset(self):
        # The one rule, as the admin's: one's own organizations and those of one's incidents.
        return Organization.objects.visible_to(self.request.user).prefetch_related(
            "sender_addresses"
        )

    def check_object_permissions(self, request, obj):
        """One seen only through an incident of it is read: changed only by those who belong
        to it (Organization.objects.editable_by), as in the admin."""
        super().check_object_permissions(request, obj)
        if request.method not in permissions.SAFE_METHODS and not (
            Organization.objects.acts_for(request.user, obj)
        ):
            self.permission_denied(
                request, message=_("You may change only the organizations you belong to.")
            )


class MilestoneViewSet(CaseViewSet):
    """The timeline; a report to the regulator fulfils the legal clock it answers."""

    serializer_class = s.MilestoneSerializer
    queryset = Milestone.objects.select_related("obligation")
    # A timeline grows long (every mail, every scan): it can be walked by cursor.
    pagination_class = CursorOrNumberPagination
    filterset_class = MilestoneFilter
    ordering_fields = ["occurred_at", "id"]
    ordering = ["occurred_at", "id"]
    search_fields = ["title", "detail"]

    def perform_create(self, serializer):
        milestone = Milestone(**serializer.validated_data)
        services.save_milestone(milestone, user=self.request.user)
        serializer.instance = milestone

    def perform_update(self, serializer):
        milestone = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(milestone, name, value)
        services.save_milestone(milestone, user=self.request.user)


class IndividualNoticeViewSet(CaseViewSet):
    """That the people concerned were told; recording it fulfils their notice obligation."""

    serializer_class = s.IndividualNoticeSerializer
    queryset = IndividualNotice.objects.select_related("recorded_by")
    filterset_class = IndividualNoticeFilter
    ordering_fields = ["sent_at", "id"]
    ordering = ["sent_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        try:
            notice, _fulfilled = services.record_individual_notice(
                data.pop("incident"), user=self.request.user, **data
            )
        except FilingRefused as error:
            raise exceptions.ValidationError({"regimes": [error.message]}) from None
        serializer.instance = notice


class UnresolvedItemViewSet(CaseViewSet):
    """Items of the PPC report that stayed unknown after the investigation, with why: the
    final report states them as such instead of a gap."""

    serializer_class = s.UnresolvedItemSerializer
    queryset = UnresolvedItem.objects.select_related("recorded_by")
    filterset_class = UnresolvedItemFilter
    ordering_fields = ["item", "id"]
    ordering = ["item", "id"]

    def perform_create(self, serializer):
        serializer.save(recorded_by=self.request.user)

    def perform_update(self, serializer):
        serializer.save(recorded_by=self.request.user)


class EngagementViewSet(CaseViewSet):
    serializer_class = s.EngagementSerializer
    queryset = Engagement.objects.prefetch_related("findings")
    filterset_class = EngagementFilter
    ordering_fields = ["requested_at", "id"]
    ordering = ["requested_at", "id"]


class FindingViewSet(CaseViewSet):
    serializer_class = s.FindingSerializer
    queryset = Finding.objects.all()
    incident_path = "engagement__incident"
    filterset_class = FindingFilter
    ordering_fields = ["reported_at", "id"]
    ordering = ["reported_at", "id"]


class ActionViewSet(CaseViewSet):
    serializer_class = s.ActionSerializer
    queryset = Action.objects.select_related("incident")
    filterset_class = ActionFilter
    ordering_fields = ["due_date", "id", "status"]
    ordering = ["due_date", "id"]
    search_fields = ["title", "description", "owner"]


@extend_schema_view(
    download=extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}),
    custody=extend_schema(methods=["GET"], responses=s.CustodyEntrySerializer(many=True)),
)
class EvidenceViewSet(CaseViewSet):
    serializer_class = s.EvidenceSerializer
    queryset = Evidence.objects.all()
    parser_classes = [MultiPartParser, FormParser, LimitedJSONParser]
    filterset_class = EvidenceFilter
    ordering_fields = ["collected_at", "label", "id"]
    ordering = ["incident", "label"]
    search_fields = ["label", "description", "sha256"]
    action_permissions = {
        "download": ["incidents.view_evidence"],
    }

    def get_queryset(self):
        return super().get_queryset().with_disposal().prefetch_related("corrections")

    def get_permissions(self):
        if self.action == "custody" and self.request.method == "POST":
            self.action_permissions = {"custody": ["incidents.add_custodyentry"]}
        elif self.action == "custody":
            self.action_permissions = {"custody": ["incidents.view_custodyentry"]}
        return super().get_permissions()

    def initial(self, request, *args, **kwargs):
        # Refuse an oversized upload before reading it.
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.EVIDENCE_MAX_UPLOAD_BYTES + 1024 * 1024:
            raise PayloadTooLarge(self._too_large_message())
        super().initial(request, *args, **kwargs)

    def _too_large_message(self) -> str:
        return _("Evidence files may be at most %(size)d MB.") % {
            "size": settings.EVIDENCE_MAX_UPLOAD_BYTES // (1024 * 1024)
        }

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.add_evidence(
            data.pop("incident"), user=self.request.user, **data
        )

    def perform_update(self, serializer):
        evidence = serializer.instance
        if not serializer.validated_data:
            return  # nothing sent that changes it: no empty entry in its history
        for field, value in serializer.validated_data.items():
            setattr(evidence, field, value)
        services.save_evidence_change(evidence, user=self.request.user)

    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence = self.get_object()
        if not evidence.file:
            raise exceptions.NotFound(_("This item has no file."))
        return checksummed_attachment(
            evidence.file, filename=PurePath(evidence.file.name).name, sha256=evidence.sha256
        )

    @extend_schema(
        methods=["POST"],
        request=s.CustodyEntrySerializer,
        responses={
            201: s.CustodyEntrySerializer,
            409: OpenApiResponse(description="The chain is closed by a disposal."),
        },
    )
    @extend_schema(methods=["GET"], filters=False, responses=s.CustodyEntrySerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def custody(self, request, pk=None):
        evidence = self.get_object()
        if request.method == "GET":
            entries = evidence.custody_entries.select_related("recorded_by")
            return Response(s.CustodyEntrySerializer(entries, many=True).data)
        body = s.CustodyEntrySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.record_custody(evidence, user=request.user, **body.validated_data)
        return Response(s.CustodyEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    file=extend_schema(
        request=s.FilingSerializer,
        responses={
            200: s.ObligationSerializer,
            409: OpenApiResponse(description="Not applicable, in the future or before awareness."),
        },
    )
)
class ObligationViewSet(HistoryMixin, viewsets.ReadOnlyModelViewSet):
    """Legal clocks, computed from the incident's facts; legal records the filings."""

    serializer_class = s.ObligationSerializer
    permission_classes = [CasePermissions]
    queryset = Obligation.objects.all()
    filter_backends = [NeedToKnowFilterBackend, NamedOrderingFilter]
    filterset_class = ObligationFilter
    ordering_fields = ["due_at", "id"]
    ordering = ["due_at", "id"]
    action_permissions = {"file": ["incidents.view_obligation", "incidents.change_obligation"]}

    def get_queryset(self):
        return (
            Obligation.objects.visible_to(self.request.user)
            .with_state()
            .select_related("incident", "fulfilled_by")
        )

    @action(detail=True, methods=["post"])
    def file(self, request, pk=None):
        obligation = self.get_object()
        body = s.FilingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.record_filing(
            obligation,
            user=request.user,
            at=data["at"],
            channel=data["channel"],
            reference=data.get("authority_reference", ""),
            note=data.get("note", ""),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=obligation.pk)).data)
