"""What an incident touches (assets and their checks) and what to look for (indicators)."""

import unicodedata
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.limits import validate_in_range
from incidents.models import Finding, Incident, Milestone

from .choices import (
    TLP,
    AssetKind,
    AssetRole,
    AssetState,
    CheckResult,
    IndicatorSource,
    IndicatorType,
)
from .normalise import MAX_VALUE_LENGTH, normalise

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _on_field(exc: ValidationError, code: str | None, field: str) -> ValidationError:
    """The unique constraint's refusal under the field a person changes to fix it (the API
    answers it under that field, the admin shows it beside it), not under __all__."""
    errors = exc.update_error_dict({})
    general = errors.pop(NON_FIELD_ERRORS, [])
    for error in general:
        errors.setdefault(field if error.code == code else NON_FIELD_ERRORS, []).append(error)
    return ValidationError(errors)


def name_key(name: str) -> str:
    """An asset's name as compared: PC-001, pc-001 and ＰＣ-001 are one."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


class AssetQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssetQuerySet":
        return self.filter(incident__in=Incident.objects.visible_to(user))

    def with_last_check(self) -> "AssetQuerySet":
        """Each asset's latest check (result and time), as two correlated subqueries."""
        latest = Check.objects.filter(asset=OuterRef("pk")).order_by("-checked_at", "-id")
        return self.annotate(
            last_result=Subquery(latest.values("result")[:1]),
            last_checked_at=Subquery(latest.values("checked_at")[:1]),
        )

    def with_state(self) -> "AssetQuerySet":
        """The one definition of where an asset stands (AssetState), used by the progress on
        the status page, the dashboard, the incident page, the asset list and the API.

        The latest check decides once there is one: an asset found infected and later
        checked clean counts as clean, so "until all are clean" arrives by recording checks.
        The role stays the record of the asset's part in the incident.
        """
        return self.with_last_check().annotate(
            state=Case(
                When(last_result__isnull=False, then=F("last_result")),
                When(role=AssetRole.INFECTED, then=Value(AssetState.INFECTED.value)),
                default=Value(AssetState.UNCHECKED.value),
                output_field=CharField(),
            )
        )


class Asset(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="assets", verbose_name=_("incident")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssetKind.choices)
    name = models.CharField(
        _("name"), max_length=200, help_text=_("Host name, account or mailbox address.")
    )
    owner = models.CharField(
        _("owner or department"), max_length=200, blank=True, help_text=_("Who uses it.")
    )
    role = models.CharField(
        _("role in the incident"),
        max_length=20,
        choices=AssetRole.choices,
        default=AssetRole.SUSPECTED,
        help_text=_(
            "The asset's part in the incident, kept as its record: an infected asset stays "
            "infected after it is cleaned. A check found infected marks it infected; a clean "
            "check marks a suspected one checked clean. Progress counts each asset by its "
            "latest check."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = AssetQuerySet.as_manager()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "kind", "name"],
                name="asset_unique_per_incident",
                violation_error_code="duplicate",
                violation_error_message=_("This asset is already recorded for this incident."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    def get_state_display(self) -> str:
        """The label of the `state` annotation (AssetQuerySet.with_state)."""
        state = getattr(self, "state", None)
        return str(AssetState(state).label) if state in AssetState.values else "—"

    def clean(self) -> None:
        # Full-width letters and digits as typed with a Japanese input method (ＰＣ-001) are
        # the inventory's characters (PC-001); and host names ignore case: one PC, one row.
        self.name = unicodedata.normalize("NFKC", self.name or "").strip()
        self.owner = (self.owner or "").strip()

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            raise _on_field(exc, "duplicate", "name") from None
        # The constraint compares names exactly; host names ignore case (pc-001 is PC-001).
        if "incident" not in (exclude or ()) and self.incident_id and self.name:
            same = Asset.objects.filter(incident_id=self.incident_id, kind=self.kind)
            if same.exclude(pk=self.pk).filter(name__iexact=self.name).exists():
                raise ValidationError(
                    {
                        "name": ValidationError(
                            _("This asset is already recorded for this incident."),
                            code="duplicate",
                        )
                    }
                )


class Check(models.Model):
    """One scan or inspection of an asset; repeated until the scope is clean."""

    asset = models.ForeignKey(
        Asset, on_delete=models.CASCADE, related_name="checks", verbose_name=_("asset")
    )
    tool = models.CharField(
        _("tool"), max_length=100, help_text=_("e.g. EmoCheck, full antivirus scan.")
    )
    result = models.CharField(_("result"), max_length=20, choices=CheckResult.choices)
    checked_at = models.DateTimeField(_("checked at"), validators=[validate_in_range])
    checked_by = models.CharField(_("checked by"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["-checked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "tool", "checked_at"],
                name="check_unique_per_asset_tool_time",
                violation_error_message=_("This check is already recorded."),
            ),
        ]
        indexes = [
            models.Index(fields=["asset", "-checked_at", "-id"], name="check_asset_latest_idx"),
        ]

    def __str__(self) -> str:
        # Its day as the admin writes dates, in the page's zone (the incident's on its pages).
        day = formats.date_format(timezone.localtime(self.checked_at).date(), "DATE_FORMAT")
        return f"{self.tool} {self.get_result_display()} {day}"

    def clean(self) -> None:
        # A check not yet made would become the asset's latest and decide its state.
        if self.checked_at and self.checked_at > timezone.now():
            raise ValidationError({"checked_at": _("This is in the future.")})

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:  # the one constraint: the same tool at the same time
            raise _on_field(exc, None, "checked_at") from None


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user) -> "IndicatorQuerySet":
        return self.filter(incident__in=Incident.objects.visible_to(user))

    def for_sharing(self, *, include_red: bool = False) -> "IndicatorQuerySet":
        return self if include_red else self.exclude(tlp=TLP.RED)


class Indicator(models.Model):
    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("incident")
    )
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, editable=False)
    type = models.CharField(_("type"), max_length=20, choices=IndicatorType.choices)
    value = models.CharField(
        _("value"),
        max_length=MAX_VALUE_LENGTH,
        help_text=_("Saved in one spelling per type (lower case, defanging undone)."),
    )
    first_seen = models.DateTimeField(
        _("first seen"), null=True, blank=True, validators=[validate_in_range]
    )
    last_seen = models.DateTimeField(
        _("last seen"), null=True, blank=True, validators=[validate_in_range]
    )
    source = models.CharField(
        _("source"), max_length=20, choices=IndicatorSource.choices, default=IndicatorSource.OTHER
    )
    source_detail = models.CharField(
        _("source detail"), max_length=300, blank=True, help_text=_("Vendor, feed or report.")
    )
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("finding"),
    )
    tlp = models.CharField(_("TLP"), max_length=10, choices=TLP.choices, default=TLP.AMBER)
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_(
            "Listed in public documents for customers to check (spoofed sender addresses); "
            "needs TLP:CLEAR."
        ),
    )
    note = models.TextField(_("note"), blank=True)
    assets = models.ManyToManyField(
        Asset, blank=True, related_name="indicators", verbose_name=_("assets")
    )
    milestones = models.ManyToManyField(
        Milestone, blank=True, related_name="indicators", verbose_name=_("milestones")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[assets, milestones])
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["type", "value", "id"]
        permissions = [
            ("export_red_indicators", _("Can include TLP:RED indicators in an export")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "type", "value"],
                name="indicator_unique_per_incident",
                violation_error_code="duplicate",
                violation_error_message=_("This indicator is already recorded for this incident."),
            ),
            models.UniqueConstraint(fields=["uuid"], name="indicator_uuid_unique"),
            models.CheckConstraint(
                condition=Q(public=False) | Q(tlp=TLP.CLEAR),
                name="indicator_public_is_tlp_clear",
                violation_error_message=_("A public indicator must be TLP:CLEAR."),
            ),
            models.CheckConstraint(
                condition=Q(first_seen__isnull=True)
                | Q(last_seen__isnull=True)
                | Q(last_seen__gte=models.F("first_seen")),
                name="indicator_seen_in_order",
                violation_error_message=_("Last seen cannot be before first seen."),
            ),
        ]
        indexes = [
            models.Index(fields=["incident", "public", "type"], name="indicator_public_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.value}"

    def validate_constraints(self, exclude=None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            raise _on_field(exc, "duplicate", "value") from None
        # The constraint compares values exactly; file names ignore case as Windows does
        # (請求書_0301.doc is 請求書_0301.DOC). The value is kept as typed.
        if (
            "incident" not in (exclude or ())
            and self.incident_id
            and self.type == IndicatorType.FILENAME
            and self.value
        ):
            same = Indicator.objects.filter(
                incident_id=self.incident_id, type=self.type, value__iexact=self.value
            )
            if same.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {
                        "value": ValidationError(
                            _("This indicator is already recorded for this incident."),
                            code="duplicate",
                        )
                    }
                )

    def clean(self) -> None:
        errors: dict[str, Sequence[StrOrPromise]] = {}
        if self.type in IndicatorType.values:
            try:
                self.value = normalise(self.type, self.value)
            except ValidationError as exc:
                errors["value"] = exc.messages
        if (
            self.public
            and self.type in IndicatorType.values
            and self.type != IndicatorType.EMAIL_SENDER
        ):
            # The public documents list spoofed senders only: "public" on another type
            # would promise a publication that never happens.
            errors["public"] = [
                _(
                    "Only e-mail senders are listed in the public documents; leave "
                    "“public” off for the type “%(type)s”."
                )
                % {"type": IndicatorType(self.type).label}
            ]
        elif self.public and self.tlp != TLP.CLEAR:
            errors["public"] = [_("A public indicator must be TLP:CLEAR.")]
        if self.first_seen and self.last_seen and self.last_seen < self.first_seen:
            errors["last_seen"] = [_("Last seen cannot be before first seen.")]
        now = timezone.now()
        for name in ("first_seen", "last_seen"):
            seen = getattr(self, name)
            if seen and seen > now:
                errors[name] = [*errors.get(name, []), _("This is in the future.")]
        if self.finding and self.finding.engagement.incident_id != self.incident_id:
            errors["finding"] = [_("This finding belongs to another incident.")]
        if errors:
            raise ValidationError(errors)
