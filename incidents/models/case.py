"""The incident: the case and its facts (its lifecycle: lifecycle.py; the rules on its facts:
validation.py; how incidents are found: queries.py; its organization: organization.py)."""

import zoneinfo
from datetime import date, datetime
from typing import overload

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ..choices import (
    Category,
    CountQualifier,
    DataMedium,
    IncidentStatus,
    PublicationStatus,
    Severity,
)
from ..limits import validate_in_range
from ..narratives import require_one_language
from . import lifecycle, validation

# default_regimes and organization_code_validator: the migrations name them here.
from .organization import (  # noqa: F401
    Organization,
    default_regimes,
    organization_code_validator,
    validate_regimes,
)
from .queries import LEGAL_RECIPIENT, IncidentQuerySet, OfIncidentQuerySet
from .validation import known_time_zones, validate_personal_data_items, validate_time_zone


class Incident(models.Model):
    # The lifecycle: allowed moves, in one map (models/lifecycle.py).
    TRANSITIONS = lifecycle.TRANSITIONS

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="incidents",
        verbose_name=_("organization"),
    )
    reference = models.CharField(
        _("reference"),
        max_length=32,
        editable=False,
        help_text=_(
            "Assigned automatically from the organization's code and the year, e.g. "
            "ACME-2022-0001; unique across organizations."
        ),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    severity = models.CharField(
        _("severity"), max_length=16, choices=Severity.choices, default=Severity.MEDIUM
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=IncidentStatus.choices,
        default=IncidentStatus.DETECTED,
        editable=False,
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Tokyo",
        validators=[validate_time_zone],
        help_text=_("The incident is told in this zone; deadlines are computed in it."),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="incidents",
        blank=True,
        verbose_name=_("members"),
        help_text=_("The people on the case: only they (and organization-wide roles) see it."),
    )

    # The facts regulators ask for; optional until known.
    occurred_at = models.DateTimeField(
        _("occurred at"), null=True, blank=True, validators=[validate_in_range]
    )
    detected_at = models.DateTimeField(
        _("detected at (発覚日時)"),
        null=True,
        blank=True,
        validators=[validate_in_range],
        help_text=_("When the event was first found; not the start of the legal clocks."),
    )
    aware_at = models.DateTimeField(
        _("knew of the situation at (事態を知った日時)"),
        null=True,
        blank=True,
        validators=[validate_in_range],
        help_text=_(
            "When the organization knew of the situation (APPI Rules Art. 8; “became aware” "
            "under the GDPR and NIS2; “discovery” under HIPAA). The legal clocks start here; "
            "for day-counted deadlines this day is day 1."
        ),
    )
    contained_at = models.DateTimeField(
        _("contained at"), null=True, blank=True, validators=[validate_in_range]
    )
    discovered_by = models.CharField(
        _("discovered by"), max_length=200, blank=True, help_text=_("Who found it (発見者).")
    )
    contractor_involved = models.BooleanField(
        _("contractor involved"),
        null=True,
        blank=True,
        help_text=_("Whether it happened at a contractor handling the data (unknown if empty)."),
    )
    description_of_events = models.TextField(
        _("description of events"), blank=True, help_text=_("What happened, in order (事実経過).")
    )
    personal_data_items = models.JSONField(
        _("personal-data items"),
        default=list,
        blank=True,
        validators=[validate_personal_data_items],
    )
    personal_data_detail = models.TextField(_("personal-data details"), blank=True)
    data_medium = models.CharField(
        _("medium of the data"), max_length=16, choices=DataMedium.choices, blank=True
    )
    affected_count = models.PositiveIntegerField(
        _("people affected"),
        null=True,
        blank=True,
        help_text=_("Leave empty when unknown."),
    )
    affected_count_qualifier = models.CharField(
        _("count is"),
        max_length=16,
        choices=CountQualifier.choices,
        default=CountQualifier.UNKNOWN,
    )
    over_1000_people = models.BooleanField(
        _("more than 1,000 people, possibly (Rules Art. 7(iv))"),
        null=True,
        blank=True,
        help_text=_(
            "Needed while the count does not settle it: yes when more than 1,000 people may "
            "be affected. A known count decides by itself."
        ),
    )
    sensitive_data = models.BooleanField(
        _("sensitive personal data (要配慮個人情報)"), null=True, blank=True
    )
    financial_damage_risk = models.BooleanField(
        _("risk of financial damage"), null=True, blank=True
    )
    wrongful_purpose = models.BooleanField(
        _("possibly done with wrongful purpose"),
        null=True,
        blank=True,
        help_text=_("Unauthorised access, data-stealing malware and the like, suspected included."),
    )
    cause = models.TextField(_("cause"), blank=True)
    secondary_damage = models.TextField(_("secondary damage"), blank=True)
    support_for_affected = models.TextField(
        _("what was done for the people affected"),
        blank=True,
        help_text=_("e.g. apology, a call centre, monitoring of misuse (本人への対応)."),
    )
    request_to_customers = models.TextField(
        _("request to customers"),
        blank=True,
        help_text=_(
            "What readers are asked to do, e.g. not to open attachments or links of suspicious "
            "mail, to delete it, to check the sender address (お客様へのお願い)."
        ),
    )
    publication_status = models.CharField(
        _("publication"),
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.NOT_DECIDED,
    )
    published_at = models.DateTimeField(
        _("first published at"), null=True, blank=True, validators=[validate_in_range]
    )
    handling_ended_at = models.DateTimeField(
        _("handling ended at"),
        null=True,
        blank=True,
        validators=[validate_in_range],
        help_text=_(
            "When the handling of the incident ended; empty while it goes on (NIS2 "
            "Art. 23(4): decides between a final and a progress report)."
        ),
    )

    # The facts the legal clocks need beyond the APPI's (see incidents.obligations.facts_for).
    regimes = models.JSONField(
        _("regimes that apply"),
        default=list,
        blank=True,
        validators=[validate_regimes],
        help_text=_(
            "The laws under which notifications may be due; their deadlines follow. A new "
            "incident left without any starts under its organization's defaults."
        ),
    )
    high_risk = models.BooleanField(
        _("likely to result in a high risk to individuals (GDPR Art. 34)"), null=True, blank=True
    )
    gdpr_unlikely_risk = models.BooleanField(
        _("unlikely to result in a risk to individuals (GDPR Art. 33(1))"),
        null=True,
        blank=True,
        help_text=_("The exception to notifying the authority; record why below."),
    )
    gdpr_unlikely_risk_reason = models.TextField(_("why a risk is unlikely"), blank=True)
    data_subject_categories = models.TextField(
        _("categories of data subjects"),
        blank=True,
        help_text=_("e.g. customers, business partners, employees (GDPR Art. 33(3)(a))."),
    )
    records_count = models.PositiveIntegerField(
        _("approximate number of records"),
        null=True,
        blank=True,
        help_text=_("Personal-data records concerned (GDPR Art. 33(3)(a)); empty when unknown."),
    )
    gdpr_delay_reason = models.TextField(
        _("reasons for a late notification"),
        blank=True,
        help_text=_("Accompanies a GDPR notification made after 72 hours (Art. 33(1))."),
    )
    significant_incident = models.BooleanField(
        _("significant incident (NIS2 Art. 23(3))"), null=True, blank=True
    )
    nis2_trust_service = models.BooleanField(
        _("a trust service provider (NIS2)"),
        null=True,
        blank=True,
        help_text=_("Trust service providers notify within 24 hours (Art. 23(4))."),
    )
    nis2_intermediate_due_at = models.DateTimeField(
        _("intermediate report requested, due at (NIS2)"),
        null=True,
        blank=True,
        validators=[validate_in_range],
        help_text=_(
            "When the CSIRT or authority asked for an intermediate report (Art. 23(4)(c))."
        ),
    )
    sec_material = models.BooleanField(
        _("determined material (SEC)"),
        null=True,
        blank=True,
        help_text=_(
            "Not yet known: the Form 8-K clock runs provisionally from the day of awareness."
        ),
    )
    materiality_determined_on = models.DateField(
        _("determined material on (SEC)"),
        null=True,
        blank=True,
        validators=[validate_in_range],
        help_text=_("The date the incident was determined material; starts the Form 8-K clock."),
    )
    sec_delay_until = models.DateField(
        _("Attorney General's delay until (SEC)"),
        null=True,
        blank=True,
        validators=[validate_in_range],
        help_text=_("Last day of a delay the Attorney General requested (Item 1.05(c))."),
    )
    sec_info_pending = models.BooleanField(
        _("Form 8-K left information to follow (SEC)"),
        null=True,
        blank=True,
        help_text=_(
            "The Form 8-K said required information was not determined or unavailable: a "
            "Form 8-K/A follows (Item 1.05, Instruction 2)."
        ),
    )
    sec_info_available_on = models.DateField(
        _("missing information available on (SEC)"),
        null=True,
        blank=True,
        validators=[validate_in_range],
    )
    max_persons_in_one_state = models.PositiveIntegerField(
        _("most people affected in one US state (HIPAA)"), null=True, blank=True
    )
    hipaa_business_associate = models.BooleanField(
        _("a business associate (HIPAA)"),
        null=True,
        blank=True,
        help_text=_(
            "Yes: notify the covered entity (164.410). No: the covered entity notifies the "
            "individuals, the Secretary and the media."
        ),
    )
    hipaa_delay_stated_on = models.DateField(
        _("law-enforcement delay stated on (HIPAA)"),
        null=True,
        blank=True,
        validators=[validate_in_range],
        help_text=_("45 CFR 164.412: an official said notification would impede an investigation."),
    )
    hipaa_delay_until = models.DateField(
        _("law-enforcement delay until (HIPAA)"),
        null=True,
        blank=True,
        validators=[validate_in_range],
        help_text=_(
            "The end of the period a written statement specifies; empty for an oral "
            "statement (at most 30 days)."
        ),
    )
    hipaa_delay_official = models.CharField(
        _("official who asked for the delay (HIPAA)"), max_length=200, blank=True
    )
    appi_contractor_route = models.BooleanField(
        _("a contractor that notified the principal (APPI Rules Art. 9)"),
        default=False,
        help_text=_(
            "The data was handled on behalf of another business, which was notified "
            "promptly: that business reports to the PPC and notifies the people."
        ),
    )
    appi_encrypted = models.BooleanField(
        _("protected by high-level encryption (APPI Rules Art. 7)"),
        default=False,
        help_text=_(
            "The leaked data was protected by high-level encryption or equivalent measures."
        ),
    )
    appi_exemption_reason = models.TextField(
        _("why the exemption holds"),
        blank=True,
        help_text=_("Which principal was notified and when, or how the data was encrypted."),
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # The first moments the dashboard measures from awareness, kept by incidents/keytimes.py
    # whenever a milestone or an obligation is written (derived: never edited, no history),
    # so that the dashboard reads one row per incident instead of its whole timeline.
    first_containment_milestone_at = models.DateTimeField(
        _("first containment milestone at"), null=True, editable=False
    )
    first_regulator_report_at = models.DateTimeField(
        _("first reported to a regulator at"), null=True, editable=False
    )
    first_public_notice_at = models.DateTimeField(
        _("first public notice at"), null=True, editable=False
    )
    first_final_report_at = models.DateTimeField(
        _("final report first published at"), null=True, editable=False
    )

    objects = IncidentQuerySet.as_manager()

    # history: registered in incidents/translation.py, after the _ja/_en columns exist.
    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("view_all_incidents", _("Can see every incident (organization-wide access)")),
            ("change_incident_status", _("Can move an incident through its lifecycle")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="incident_reference_unique"),
            models.CheckConstraint(
                condition=Q(status__in=IncidentStatus.values), name="incident_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=Severity.values), name="incident_severity_valid"
            ),
            models.CheckConstraint(
                condition=Q(affected_count__gte=0) | Q(affected_count__isnull=True),
                name="incident_affected_count_non_negative",
            ),
            models.CheckConstraint(
                condition=(
                    Q(affected_count_qualifier=CountQualifier.UNKNOWN, affected_count__isnull=True)
                    | (
                        ~Q(affected_count_qualifier=CountQualifier.UNKNOWN)
                        & Q(affected_count__isnull=False)
                    )
                ),
                name="incident_affected_count_matches_qualifier",
            ),
            models.CheckConstraint(
                condition=Q(occurred_at__isnull=True)
                | Q(detected_at__isnull=True)
                | Q(occurred_at__lte=models.F("detected_at")),
                name="incident_occurred_not_after_detected",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(publication_status=PublicationStatus.PUBLISHED),
                name="incident_published_at_only_when_published",
            ),
            models.CheckConstraint(
                condition=~Q(high_risk=True, gdpr_unlikely_risk=True),
                name="incident_high_risk_xor_unlikely_risk",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "severity"], name="incident_status_severity_idx"),
            models.Index(fields=["aware_at"], name="incident_aware_at_idx"),
            models.Index(fields=["-created_at", "-id"], name="incident_created_idx"),
            # The dashboard's prevention progress reads the latest updated first.
            models.Index(fields=["updated_at", "id"], name="incident_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs):
        if not self.reference:
            self.reference = self.next_reference()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The incident's status page ("view on site" in the admin)."""
        return reverse("incident-status", args=[self.reference])

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        if self.time_zone not in known_time_zones():
            # Only an unsaved value a form is refusing (the page is drawn again with its
            # error); every stored zone was validated.
            return zoneinfo.ZoneInfo("UTC")
        return zoneinfo.ZoneInfo(self.time_zone)

    @overload
    def local(self, moment: datetime) -> datetime: ...
    @overload
    def local(self, moment: None) -> None: ...
    def local(self, moment: datetime | None) -> datetime | None:
        """A stored (UTC) time as the incident tells it."""
        return moment.astimezone(self.tzinfo) if moment else None

    @property
    def is_open(self) -> bool:
        """Not closed; the same rule as IncidentQuerySet.open."""
        return self.status != IncidentStatus.CLOSED

    def today(self, now: datetime | None = None) -> date:
        """The date in the incident's time zone at `now` (default: this moment)."""
        return (now or timezone.now()).astimezone(self.tzinfo).date()

    def clean(self) -> None:
        require_one_language(self, "title")
        errors = validation.errors_of(self)
        if errors:
            raise ValidationError(errors)

    # Lifecycle ---------------------------------------------------------------

    def allowed_transitions(self) -> list[str]:
        return lifecycle.allowed_transitions(self)

    def set_status(
        self, new_status: str, *, by, note: str = "", effective_at: datetime | None = None
    ) -> "StatusChange":
        """Move along the lifecycle (models/lifecycle.py); `effective_at`: when it happened."""
        return lifecycle.set_status(self, new_status, by=by, note=note, effective_at=effective_at)

    # Reference ----------------------------------------------------------------

    def next_reference(self) -> str:
        moment = self.aware_at or self.detected_at or timezone.now()
        year = moment.astimezone(self.tzinfo).year
        code = Organization.objects.filter(pk=self.organization_id).values_list("code", flat=True)
        prefix = f"{code.get()}-{year}-"
        # Across organizations: a code given up and taken by another continues its numbers.
        last = Incident.objects.filter(reference__startswith=prefix).aggregate(
            last=Max("reference")
        )["last"]
        number = int(last.removeprefix(prefix)) + 1 if last else 1
        return f"{prefix}{number:04d}"

    # Facts derived for the legal clocks ----------------------------------------

    @property
    def over_1000(self) -> bool | None:
        """Rules Art. 7(iv): a known count decides; else the recorded fact (None: unknown)."""
        if self.affected_count is not None:
            return self.affected_count > 1000
        return self.over_1000_people

    def article7_cases(self) -> list[int]:
        """Which cases of APPI Enforcement Rules Art. 7 hold (1 sensitive, 2 financial, ...)."""
        facts = (self.sensitive_data, self.financial_damage_risk, self.wrongful_purpose)
        cases = [n for n, holds in enumerate(facts, start=1) if holds]
        if self.over_1000:
            cases.append(4)
        return cases

    def warnings(self) -> list[str]:
        """What a reader of any page about this incident must not miss."""
        found = []
        if not self.regimes:
            found.append(
                gettext(
                    "No regime is ticked: no legal clock runs for this incident. Tick the "
                    "laws under which a notification may be due."
                )
            )
        if self.aware_at is None:
            found.append(
                gettext(
                    "When the organization knew of the situation is not recorded: the "
                    "deadlines cannot be computed yet."
                )
            )
        if self.regimes and self.pk and not self.reminders_reach_someone():
            found.append(
                gettext(
                    "No legal member of this incident has an e-mail address: deadline "
                    "reminders reach nobody. Add a legal member with an e-mail address."
                )
            )
        return found

    def reminders_reach_someone(self) -> bool:
        """Whether a deadline reminder has a recipient (see IncidentQuerySet.with_recipients)."""
        known = getattr(self, "has_legal_recipient", None)
        if known is not None:
            return known
        return self.members.filter(LEGAL_RECIPIENT).exists()


class StatusChange(models.Model):
    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("incident"),
    )
    from_status = models.CharField(
        pgettext_lazy("status change", "from"), max_length=16, choices=IncidentStatus.choices
    )
    to_status = models.CharField(
        pgettext_lazy("status change", "to"), max_length=16, choices=IncidentStatus.choices
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    effective_at = models.DateTimeField(
        _("effective at"),
        default=timezone.now,
        help_text=_("When the move happened; for a case entered after the fact, in the past."),
    )
    changed_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    objects = OfIncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["effective_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
