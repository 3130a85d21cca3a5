"""The incident's form: its yes / no / not-yet-known facts, its time zone, the reason for
changing when the organization knew."""

import zoneinfo

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import services
from ..access import members_outside_the_organization
from ..choices import PersonalDataItem
from ..models import Incident, default_regimes
from ..regimes import REGIMES
from .base import FactSelect

# The yes / no / not-yet-known facts of the incident form.
FACT_FIELDS = [
    "over_1000_people",
    "sensitive_data",
    "financial_damage_risk",
    "wrongful_purpose",
    "contractor_involved",
    "high_risk",
    "gdpr_unlikely_risk",
    "significant_incident",
    "nis2_trust_service",
    "sec_material",
    "sec_info_pending",
    "hipaa_business_associate",
]


class TimeZoneInput(forms.TextInput):
    """A text box with the known zones as a datalist: searchable, where a select of ~600
    options was not; the model's validator refuses an unknown zone."""

    options_html = None  # built once per process

    def __init__(self, attrs=None):
        super().__init__({"list": "taisaku-time-zones", "autocomplete": "off", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        if TimeZoneInput.options_html is None:
            TimeZoneInput.options_html = format_html_join(
                "", '<option value="{}">', ((z,) for z in sorted(zoneinfo.available_timezones()))
            )
        return format_html(
            '{}<datalist id="taisaku-time-zones">{}</datalist>',
            super().render(name, value, attrs, renderer),
            TimeZoneInput.options_html,
        )


class IncidentForm(forms.ModelForm):
    personal_data_items = forms.MultipleChoiceField(
        label=_("personal-data items"),
        choices=PersonalDataItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    regimes = forms.MultipleChoiceField(
        label=_("regimes that apply"),
        choices=list(REGIMES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The laws under which notifications may be due; their deadlines follow."),
    )
    time_zone = forms.CharField(
        label=_("time zone"),
        initial="Asia/Tokyo",
        max_length=64,
        widget=TimeZoneInput,
        help_text=_("Type to search, e.g. Tokyo or Europe/Berlin."),
    )
    change_reason = forms.CharField(
        label=_("Reason for changing when the organization knew"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed once a filing is recorded; kept in the history. The filings stay, the "
            "deadlines are recomputed."
        ),
    )

    class Meta:
        model = Incident
        exclude: list[str] = []  # noqa: DJ006 - the admin's fieldsets choose what is shown
        widgets = dict.fromkeys(FACT_FIELDS, FactSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A change page's form holds only its tab's fields: the fields declared above are
        # dropped from the other tabs' forms (a ModelForm would keep them, and a save from
        # the tab "Basics" would ask for, or blank, the regimes and personal-data items).
        shown = self._meta.fields
        if shown and shown != forms.ALL_FIELDS:
            for name in self.declared_fields:
                if name not in shown:
                    self.fields.pop(name, None)
        if not self.instance.pk and "regimes" in self.fields:
            # A new incident starts under its organization's regimes: ticked here when the
            # organization is known (the only one the user can pick, or the one named in
            # the URL); else left empty, and the one chosen gives its defaults on saving
            # (services.save_new_incident), not another's ticked in advance.
            organization = self._initial_organization()
            if organization is not None:
                self.initial.setdefault("organization", organization.pk)
                defaults = list(organization.default_regimes)
                self.fields["regimes"].initial = defaults
                self.initial.setdefault("regimes", defaults)
            elif self._organization_choice_count() == 0:
                self.fields["regimes"].initial = list(default_regimes())
            else:
                self.fields["regimes"].help_text = _(
                    "The laws under which notifications may be due; their deadlines follow. "
                    "Left empty, the incident starts under the chosen organization's "
                    "default regimes."
                )

    def _initial_organization(self):
        field = self.fields.get("organization")
        if field is None:
            return None
        queryset = field.queryset
        wanted = self.initial.get("organization")
        if wanted:
            return queryset.filter(pk=getattr(wanted, "pk", wanted)).first()
        return queryset.first() if self._organization_choice_count() == 1 else None

    def _organization_choice_count(self) -> int:
        field = self.fields.get("organization")
        if not isinstance(field, forms.ModelChoiceField) or field.queryset is None:
            return 0
        if not hasattr(self, "_organization_count"):
            self._organization_count = field.queryset.count()
        return self._organization_count

    def _update_errors(self, errors):
        """A fact of another tab that contradicts this tab's (a publication date now before
        the occurrence) is said above the form, naming the fact, and nothing is saved."""
        if hasattr(errors, "error_dict"):
            here = {}  # field name -> messages
            for name, messages in errors.error_dict.items():
                if name == NON_FIELD_ERRORS or name in self.fields:
                    here.setdefault(name, []).extend(messages)
                    continue
                try:
                    label = Incident._meta.get_field(name).verbose_name
                except FieldDoesNotExist:
                    label = name
                here.setdefault(NON_FIELD_ERRORS, []).extend(
                    gettext("%(field)s (on another tab): %(message)s")
                    % {"field": capfirst(label), "message": message}
                    for message in ValidationError(messages).messages
                )
            errors = ValidationError(here)
        super()._update_errors(errors)

    def clean(self):
        cleaned = super().clean()
        organization = cleaned.get("organization")
        if organization is None and self.instance.organization_id:
            organization = self.instance.organization
        problem = members_outside_the_organization(
            organization, cleaned.get("members"), self.instance
        )
        if problem:
            self.add_error("members", problem)
        if (
            "aware_at" in cleaned
            and services.awareness_change_needs_reason(self.instance, cleaned["aware_at"])
            and not (cleaned.get("change_reason") or "").strip()
        ):
            self.add_error(
                "change_reason",
                _(
                    "A filing was already recorded: give a reason for changing when the "
                    "organization knew of the situation."
                ),
            )
        return cleaned
