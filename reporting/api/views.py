from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from incidents.api.common import (
    CasePermissions,
    NamedOrderingFilter,
    NeedToKnowFilterBackend,
)
from incidents.api.history import HistoryMixin
from incidents.api.schema import INCIDENT_KEY
from incidents.downloads import checksummed_attachment
from incidents.models import Incident
from reporting import rendering, services
from reporting.choices import ReportStatus
from reporting.filtersets import ReportFilter
from reporting.models import Report

from . import serializers as s


class ReportViewSet(
    HistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Documents: request one (202, rendered in the background), poll it, download it, submit it.
    Its history (HistoryMixin) holds every event: requested, rendered, failed, submitted,
    published."""

    serializer_class = s.ReportSerializer
    permission_classes = [CasePermissions]
    queryset = Report.objects.all()
    filter_backends = [NeedToKnowFilterBackend, NamedOrderingFilter]
    filterset_class = ReportFilter
    ordering_fields = ["requested_at", "version", "id"]
    ordering = ["-requested_at", "-id"]
    action_permissions = {
        "create": ["reporting.add_report"],
        "download": ["reporting.view_report"],
        "submit": ["reporting.view_report", "reporting.submit_report"],
        "history": ["reporting.view_report"],
        "text": ["reporting.view_report"],
        "sent": ["reporting.view_report", "reporting.submit_report"],
    }

    def get_queryset(self):
        return (
            Report.objects.visible_to(self.request.user)
            .select_related("incident", "requested_by", "submitted_by")
            .defer("snapshot")
        )

    @extend_schema(
        request=s.ReportRequestSerializer,
        responses={202: s.ReportSerializer},
    )
    def create(self, request):
        body = s.ReportRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        report = services.request_report(
            body.validated_data["incident"],
            body.validated_data["kind"],
            body.validated_data["language"],
            request.user,
            document_date=body.validated_data.get("date"),
            allow_gaps=body.validated_data["allow_gaps"],
            allow_current_text=body.validated_data["allow_current_text"],
        )
        report = self.get_queryset().get(pk=report.pk)
        url = reverse("report-detail", args=[report.pk], request=request)
        return Response(
            self.get_serializer(report).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": url},
        )

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(
                description="Not ready yet (no PDF), or not a report you may see."
            ),
        }
    )
    @action(detail=True, methods=["get"], url_name="download")
    def download(self, request, pk=None):
        report = self.get_object()
        if report.status != ReportStatus.READY or not report.file:
            raise exceptions.NotFound(
                _("The report is %(status)s; its PDF is not available.")
                % {"status": report.get_status_display()}
            )
        return checksummed_attachment(
            report.file,
            filename=report.filename,
            sha256=report.sha256,
            content_type="application/pdf",
        )

    @extend_schema(request=s.SubmissionSerializer, responses={200: s.ReportSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        body = s.SubmissionSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        at = body.validated_data.get("submitted_at")
        services.mark_submitted(
            report,
            user=request.user,
            to=body.validated_data["submitted_to"],
            reference=body.validated_data.get("authority_reference", ""),
            at=at,
            obligation=body.validated_data.get("obligation"),
            channel=body.validated_data["channel"],
            with_gaps=body.validated_data["with_gaps"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(
        responses={
            (200, "text/plain"): OpenApiTypes.STR,
            404: OpenApiResponse(description="Not ready, or a kind without a text version."),
        }
    )
    @action(detail=True, methods=["get"], url_name="text")
    def text(self, request, pk=None):
        """The plain-text version (the e-mail body of a notice to the people concerned),
        from the same snapshot as its PDF."""
        report = self.get_object()
        if (
            report.kind not in rendering.TEXT_KINDS
            or report.status != ReportStatus.READY
            or report.snapshot is None
        ):
            raise exceptions.NotFound(_("This report has no text version available."))
        body = rendering.render_text(report.kind, report.language, report.snapshot)
        response = HttpResponse(body, content_type="text/plain; charset=utf-8")
        # The text's own language, not the asker's (LocaleMiddleware only sets it when unset).
        response["Content-Language"] = report.language
        name = report.filename.removesuffix(".pdf") + ".txt"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @extend_schema(request=s.SentSerializer, responses={200: s.ReportSerializer})
    @action(detail=True, methods=["post"])
    def sent(self, request, pk=None):
        """Record that the notice to the people concerned was sent: fulfils the incident's
        notice-to-individuals obligation and locks the report."""
        report = self.get_object()
        body = s.SentSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        services.mark_sent(
            report,
            user=request.user,
            sent_at=body.validated_data["sent_at"],
            channel=body.validated_data["channel"],
            people_reached=body.validated_data["people_reached"],
            regimes=body.validated_data.get("regimes") or None,
            note=body.validated_data.get("note", ""),
            with_gaps=body.validated_data["with_gaps"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)


class CanViewReports(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(
            request.user
            and request.user.is_authenticated
            and request.user.has_perm("reporting.view_report")
        )


class ReadinessView(generics.GenericAPIView):
    """What a document would still lack for an incident: missing, provisional, or unknown
    after the investigation (with its reason). Hidden incidents answer 404 like missing."""

    permission_classes = [CanViewReports]
    serializer_class = s.ReadinessSerializer

    @extend_schema(
        parameters=[INCIDENT_KEY, s.ReadinessQuerySerializer],
        responses={200: s.ReadinessSerializer},
    )
    def get(self, request, pk: str):
        # By id or by reference (INC-2022-0001), as the incident's other endpoints; hidden,
        # missing and malformed answer the same 404, in the API's error format.
        incident = Incident.objects.visible_to(request.user).by_key(pk)
        if incident is None:
            raise exceptions.NotFound(_("Not found."))
        query = s.ReadinessQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = services.document_date_for(incident, query.validated_data.get("date"))
        result = services.check_readiness(
            incident,
            query.validated_data["kind"],
            query.validated_data["language"],
            document_date=day,
        )
        return Response(s.ReadinessSerializer({**result.as_dict(), "date": day}).data)
