from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.reverse import reverse

from incidents.api.serializers import CaseSerializer, VisibleIncidentField, VisibleRelatedField
from incidents.choices import FilingChannel
from incidents.models import Obligation
from reporting.choices import ReportKind, ReportLanguage
from reporting.models import Report


class ReportSerializer(CaseSerializer):
    incident_reference = serializers.CharField(source="incident.reference", read_only=True)
    requested_by = serializers.SlugRelatedField(
        read_only=True, slug_field="username", allow_null=True
    )
    submitted_by = serializers.SlugRelatedField(
        read_only=True, slug_field="username", allow_null=True
    )
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "incident",
            "incident_reference",
            "kind",
            "language",
            "version",
            "status",
            "requested_by",
            "requested_at",
            "started_at",
            "finished_at",
            "error",
            "sha256",
            "size",
            "page_count",
            "pdf_url",
            "submitted_at",
            "submitted_to",
            "authority_reference",
            "submitted_by",
        ]
        read_only_fields = fields

    def get_pdf_url(self, obj) -> str | None:
        if not obj.sha256:
            return None
        return reverse("report-download", args=[obj.pk], request=self.context.get("request"))


class ReportRequestSerializer(serializers.Serializer):
    incident = VisibleIncidentField()
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    language = serializers.ChoiceField(choices=ReportLanguage.choices)


class SubmissionSerializer(serializers.Serializer):
    submitted_to = serializers.CharField(max_length=200)
    authority_reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
    submitted_at = serializers.DateTimeField(required=False)
    obligation = VisibleRelatedField(
        queryset=Obligation.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The obligation this submission fulfils (recorded there too)."),
    )
    channel = serializers.ChoiceField(choices=FilingChannel.choices, default=FilingChannel.WEB_FORM)
