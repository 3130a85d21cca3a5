from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.reverse import reverse

from incidents.api.serializers import (
    CaseSerializer,
    VisibleIncidentField,
    VisibleRelatedField,
    incident_reference_field,
)
from incidents.choices import FilingChannel, NoticeChannel
from incidents.limits import NOTE_MAX_LENGTH, validate_in_range
from incidents.localtime import LocalDateTimeField
from incidents.models import Obligation
from incidents.regimes import REGIME_CHOICES
from reporting.choices import ReportKind, ReportLanguage
from reporting.models import Report
from reporting.rendering import TEXT_KINDS

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ReportSerializer(CaseSerializer):
    incident_reference = incident_reference_field()
    # Their own help text: the schema would otherwise show the username's input rules.
    requested_by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        read_only=True,
        slug_field="username",
        allow_null=True,
        label=_("requested by"),
        help_text=_("Username of who asked for the report; null when the system did."),
    )
    submitted_by: "serializers.SlugRelatedField[User]" = serializers.SlugRelatedField(
        read_only=True,
        slug_field="username",
        allow_null=True,
        label=_("submitted by"),
        help_text=_("Username of who recorded it as submitted, published or sent."),
    )
    pdf_url = serializers.SerializerMethodField(label=_("where to download the PDF"))
    text_url = serializers.SerializerMethodField(label=_("where to download the text"))

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
            "text_url",
            "document_date",
            "allow_gaps",
            "allow_current_text",
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

    def get_text_url(self, obj) -> str | None:
        if not obj.sha256 or obj.kind not in TEXT_KINDS:
            return None
        return reverse("report-text", args=[obj.pk], request=self.context.get("request"))


class ReportRequestSerializer(serializers.Serializer):
    incident = VisibleIncidentField()
    kind = serializers.ChoiceField(choices=ReportKind.choices, label=_("kind"))
    language = serializers.ChoiceField(choices=ReportLanguage.choices, label=_("language"))
    date = serializers.DateField(
        required=False,
        validators=[validate_in_range],
        label=_("date of the document"),
        help_text=_(
            "The date the document bears and speaks as of (default: today in the incident's "
            "time zone)."
        ),
    )
    allow_gaps = serializers.BooleanField(
        default=False,
        label=_("allow gaps"),
        help_text=_(
            "Generate the document although items are missing; they print as gaps (in a "
            "PPC final report, as to be reported later)."
        ),
    )
    allow_current_text = serializers.BooleanField(
        default=False,
        label=_("allow current text"),
        help_text=_(
            "For a case recorded after the document's date: print its narratives and assessed "
            "facts as they read now (checked by you to say nothing known only later) instead "
            "of as gaps. It does not allow other missing items."
        ),
    )

    def validate(self, attrs):
        # A misspelt option must not be ignored: "document_date" would otherwise leave the
        # document dated today without a word.
        unknown = sorted(set(getattr(self, "initial_data", {})) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {
                    name: _("Unknown field. The fields are: %(fields)s.")
                    % {"fields": ", ".join(self.fields)}
                    for name in unknown
                }
            )
        return attrs


class ReadinessQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportKind.choices, label=_("kind"))
    language = serializers.ChoiceField(choices=ReportLanguage.choices, label=_("language"))
    date = serializers.DateField(
        required=False, validators=[validate_in_range], label=_("date of the document")
    )

    def validate(self, attrs):
        # A misspelt parameter must not be ignored: "document_date" would otherwise check
        # the document as of today without a word (as POST /reports/ refuses it).
        allowed = {*self.fields, "format"}  # ?format=json chooses the renderer
        unknown = sorted(set(getattr(self, "initial_data", {})) - allowed)
        if unknown:
            raise serializers.ValidationError(
                {
                    name: _("Unknown parameter. The parameters are: %(fields)s.")
                    % {"fields": ", ".join(self.fields)}
                    for name in unknown
                }
            )
        # ?kind=ppc-final&kind=public-final names two documents: not the last one silently.
        getlist = getattr(getattr(self, "initial_data", None), "getlist", None)
        repeated = [name for name in self.fields if getlist and len(getlist(name)) > 1]
        if repeated:
            raise serializers.ValidationError(
                {name: _("Give this parameter once.") for name in repeated}
            )
        if attrs["language"] not in ReportKind.languages(attrs["kind"]):
            raise serializers.ValidationError(
                {
                    "language": _("This kind of report is written only in: %(languages)s.")
                    % {"languages": ", ".join(ReportKind.languages(attrs["kind"]))}
                }
            )
        return attrs


class GapSerializer(serializers.Serializer):
    item = serializers.CharField(label=_("item"))
    # A declared field, not Field.label: the serializer metaclass takes it off the class.
    label = serializers.CharField(label=_("label"))  # type: ignore[assignment]
    state = serializers.ChoiceField(
        choices=["missing", "provisional", "unresolved"], label=_("state")
    )
    detail = serializers.CharField(label=_("detail"))


class ReadinessSerializer(serializers.Serializer):
    kind = serializers.CharField(label=_("kind"))
    language = serializers.CharField(label=_("language"))
    date = serializers.DateField(
        label=_("date of the document"),
        help_text=_(
            "The date the document was checked for (default: today in the incident's time zone)."
        ),
    )
    ready = serializers.BooleanField(label=_("ready to generate"))
    items = GapSerializer(many=True, label=_("items still open"))


class SentSerializer(serializers.Serializer):
    sent_at = LocalDateTimeField(label=_("sent at"))
    channel = serializers.ChoiceField(choices=NoticeChannel.choices, label=_("channel"))
    # As many as the notice's column holds (a 32-bit integer on PostgreSQL); at least one
    # (a notice that reached nobody notifies nobody).
    people_reached = serializers.IntegerField(
        min_value=1, max_value=2_147_483_647, label=_("people reached")
    )
    regimes = serializers.ListField(
        child=serializers.ChoiceField(choices=REGIME_CHOICES),
        required=False,
        allow_empty=True,
        label=_("Regimes it answers"),
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, label=_("note")
    )
    with_gaps = serializers.BooleanField(
        default=False,
        label=_("with gaps"),
        help_text=_(
            "Required (true) when the report was generated with items missing: confirms that "
            "it went out with them."
        ),
    )


class SubmissionSerializer(serializers.Serializer):
    submitted_to = serializers.CharField(max_length=200, label=_("submitted to"))
    authority_reference = serializers.CharField(
        max_length=200, required=False, allow_blank=True, label=_("authority's reference")
    )
    submitted_at = LocalDateTimeField(required=False, label=_("submitted or published at"))
    obligation = VisibleRelatedField(
        queryset=Obligation.objects.all(),
        required=False,
        allow_null=True,
        label=_("obligation"),
        help_text=_("The obligation this submission fulfils (recorded there too)."),
    )
    channel = serializers.ChoiceField(
        choices=FilingChannel.choices, default=FilingChannel.WEB_FORM, label=_("channel")
    )
    with_gaps = serializers.BooleanField(
        default=False,
        label=_("with gaps"),
        help_text=_(
            "Required (true) when the report was generated with items missing: confirms that "
            "it went out with them."
        ),
    )
