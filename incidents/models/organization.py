"""The organization that runs incidents: its identity, contacts, code and legitimate senders."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..regimes import REGIMES


def default_regimes() -> list[str]:
    return ["appi"]


def validate_regimes(value) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Regimes must be a list of regime codes."))
    unknown = sorted(set(value) - REGIMES.keys())
    if unknown:
        raise ValidationError(
            _("Unknown regimes: %(codes)s."), params={"codes": ", ".join(unknown)}
        )


sender_validator = RegexValidator(
    r"^(?:[^@\s]+@)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$",
    _("Enter an e-mail address (info@example.co.jp) or a domain (example.co.jp)."),
)


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrganizationQuerySet":
        """One's own organizations (OrganizationMembership) and those of the incidents one
        may see; the superuser, and an org-wide role (the auditor) who belongs to no
        organization, see all (as `Incident.objects.visible_to`).

        The same rule answers the organization lists, filters and the choice of an
        organization for a new incident (admin and API): so a committee member on no incident
        yet keeps their organization's profile and opens its first incident.
        """
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        from .case import Incident  # the incident refers to its organization, not back

        memberships = OrganizationMembership.objects.filter(user=user)
        own = memberships.values("organization_id")
        of_incidents = Incident.objects.visible_to(user).values("organization_id")
        visible = Q(pk__in=own) | Q(pk__in=of_incidents)
        if user.has_perm("incidents.view_all_incidents"):
            visible |= ~Q(models.Exists(memberships))
        return self.filter(visible)

    def editable_by(self, user) -> "OrganizationQuerySet":
        """The organizations a person acts for: those they belong to (OrganizationMembership);
        all for the superuser. Only these may they change (profile, sender addresses) and open
        an incident under; an organization seen only through one of its incidents is read,
        never changed."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        own = OrganizationMembership.objects.filter(user=user).values("organization_id")
        return self.filter(pk__in=own)

    def acts_for(self, user, organization) -> bool:
        """Whether `user` may change `organization` or open an incident under it
        (editable_by), asked of one row."""
        return self.editable_by(user).filter(pk=organization.pk).exists()


organization_code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{1,9}\Z",
    _("2 to 10 capital letters or digits, starting with a letter (e.g. ACME)."),
)


def free_organization_code(name_en: str = "", exclude_pk=None) -> str:
    """A code no other organization holds: INC for the first, else one from the English name."""
    taken = set(Organization.objects.exclude(pk=exclude_pk).values_list("code", flat=True))
    base = "".join(c for c in name_en.upper() if c.isascii() and c.isalnum())[:8]
    if not base or not base[0].isalpha() or len(base) < 2:
        base = "ORG"
    for candidate in ("INC", base, *(f"{base[:7]}{n}" for n in range(2, 1000))):
        if candidate not in taken:
            return candidate
    raise ValidationError(_("Choose an organization code."))


ORGANIZATION_FIXED = _(
    "An incident stays with the organization it was opened under: its reference begins with "
    "that organization's code."
)
CODE_FIXED_HELP = _(
    "Fixed once the organization has an incident: its references begin with this code, and "
    "another organization could otherwise take the code and be mistaken for this one."
)


class Organization(models.Model):
    code = models.CharField(
        _("organization code"),
        max_length=10,
        unique=True,
        validators=[organization_code_validator],
        help_text=_(
            "The prefix of the organization's incident references: ACME gives ACME-2022-0001. "
            "References already given keep their prefix when the code changes."
        ),
    )
    name_ja = models.CharField(_("legal name (Japanese)"), max_length=200)
    name_en = models.CharField(_("legal name (English)"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    representative_title = models.CharField(_("representative's title"), max_length=100, blank=True)
    representative_name = models.CharField(_("representative's name"), max_length=100, blank=True)
    regulator_contact_name = models.CharField(
        _("contact for the regulator"), max_length=200, blank=True
    )
    regulator_contact_email = models.EmailField(_("regulator contact e-mail"), blank=True)
    regulator_contact_phone = models.CharField(
        _("regulator contact telephone"), max_length=50, blank=True
    )
    public_contact_name = models.CharField(_("contact for the public"), max_length=200, blank=True)
    public_contact_email = models.EmailField(_("public contact e-mail"), blank=True)
    public_contact_phone = models.CharField(
        _("public contact telephone"), max_length=50, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    copyright_notice = models.CharField(
        _("copyright notice"),
        max_length=200,
        blank=True,
        help_text=_("Printed at the foot of public documents, e.g. “(c) 2016 D1 Seihan-P”."),
    )
    default_regimes = models.JSONField(
        _("regimes a new incident starts under"),
        default=default_regimes,
        validators=[validate_regimes],
        help_text=_(
            "Every new incident of the organization starts under these laws (at least one); "
            "the committee adds or removes regimes per incident."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()
    # history: registered in incidents/translation.py, after the _ja/_en columns exist.

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name_ja"]
        constraints = [
            models.UniqueConstraint(fields=["name_ja"], name="organization_name_ja_unique"),
        ]

    def __str__(self) -> str:
        return self.name_ja

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = free_organization_code(self.name_en, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    @property
    def code_is_fixed(self) -> bool:
        """Once the organization has an incident, its code identifies its references: it is
        no longer changed (CODE_FIXED_HELP)."""
        return self.pk is not None and self.incidents.exists()

    def display_name(self, language: str) -> str:
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_ja

    def clean(self) -> None:
        if not self.default_regimes:
            raise ValidationError(
                {"default_regimes": _("Name at least one regime: an incident needs a clock.")}
            )


class OrganizationMembership(models.Model):
    """A person belongs to an organization (set by the administrator on the person's page).

    They see it before any of its incidents: they keep its profile and open its first
    incident (with their role's permissions). Incidents stay need-to-know: belonging to an
    organization shows none of its incidents.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organization_memberships",
        verbose_name=_("person"),
    )

    class Meta:
        verbose_name = _("organization the person belongs to")
        verbose_name_plural = _("organizations the person belongs to")
        ordering = ["organization__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="organization_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organization}"


class SenderAddressQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SenderAddressQuerySet":
        return self.filter(organization__in=Organization.objects.visible_to(user))


class SenderAddress(models.Model):
    """A legitimate sender address or domain, listed in public reports for readers to check."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="sender_addresses",
        verbose_name=_("organization"),
    )
    address = models.CharField(
        _("address or domain"), max_length=254, validators=[sender_validator]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = SenderAddressQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("legitimate sender address")
        verbose_name_plural = _("legitimate sender addresses")
        ordering = ["address"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "address"], name="sender_address_unique_per_org"
            ),
        ]

    def __str__(self) -> str:
        return self.address

    def save(self, *args, **kwargs):
        self.address = self.address.strip().lower()
        super().save(*args, **kwargs)
