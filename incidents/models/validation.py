"""The incident's validation: its fields' validators, and the rules that keep its facts
consistent (Incident.clean).

Each error names the field to correct, so that a form or the API shows it beside that field.
"""

import functools
import zoneinfo
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import CountQualifier, IncidentStatus, PersonalDataItem, PublicationStatus
from ..timeformat import format_datetime
from .lifecycle import earliest_move

if TYPE_CHECKING:
    from .case import Incident


@functools.cache
def known_time_zones() -> frozenset[str]:
    """The IANA zones a person may choose (not the database's odd files such as "Factory",
    "posixrules" or the "right/" leap-second copies)."""
    return frozenset(zoneinfo.available_timezones()) - {"Factory", "localtime", "posixrules"}


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():  # "America" is a folder, "Foo" nothing
        raise ValidationError(
            _("“%(value)s” is not a known time zone (e.g. Asia/Tokyo)."),
            code="invalid_time_zone",
            params={"value": value},
        )


def validate_personal_data_items(value) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Personal-data items must be a list of item codes."))
    unknown = sorted(set(value) - set(PersonalDataItem.values))
    if unknown:
        raise ValidationError(
            _("Unknown personal-data items: %(items)s."), params={"items": ", ".join(unknown)}
        )


def errors_of(incident: "Incident") -> dict:
    """What Incident.clean refuses, by the field to correct."""
    errors = {}
    if (
        incident.affected_count is None
        and incident.affected_count_qualifier != CountQualifier.UNKNOWN
    ):
        errors["affected_count"] = _("Give the number, or set the count to “Unknown”.")
    if (
        incident.affected_count is not None
        and incident.affected_count_qualifier == CountQualifier.UNKNOWN
    ):
        errors["affected_count_qualifier"] = _(
            "The count is given: say whether it is exact, estimated or an upper bound."
        )
    if (
        incident.occurred_at
        and incident.detected_at
        and incident.occurred_at > incident.detected_at
    ):
        errors["detected_at"] = _("Detection cannot precede the occurrence.")
    if incident.occurred_at and incident.aware_at and incident.occurred_at > incident.aware_at:
        errors["aware_at"] = _("Awareness cannot precede the occurrence.")
    if incident.detected_at and incident.aware_at and incident.detected_at > incident.aware_at:
        # The organization knows of the situation once the event is found, not before.
        errors.setdefault("aware_at", _("Awareness cannot precede the detection."))
    if (
        incident.occurred_at
        and incident.contained_at
        and incident.occurred_at > incident.contained_at
    ):
        errors["contained_at"] = _("Containment cannot precede the occurrence.")
    if (
        incident.detected_at
        and incident.contained_at
        and incident.detected_at > incident.contained_at
    ):
        # One contains what one has found.
        errors.setdefault("contained_at", _("Containment cannot precede the detection."))
    errors.update(after_first_move(incident, errors))
    if incident.published_at and incident.publication_status != PublicationStatus.PUBLISHED:
        errors["published_at"] = _("A publication date needs the publication set to published.")
    if incident.high_risk and incident.gdpr_unlikely_risk:
        errors["gdpr_unlikely_risk"] = _(
            "A breach cannot be both high-risk and unlikely to result in a risk."
        )
    if incident.gdpr_unlikely_risk and not incident.gdpr_unlikely_risk_reason.strip():
        errors["gdpr_unlikely_risk_reason"] = _(
            "Record why a risk is unlikely: the authority may ask (GDPR Art. 33(5))."
        )
    if (
        incident.max_persons_in_one_state is not None
        and incident.affected_count is not None
        and incident.max_persons_in_one_state > incident.affected_count
    ):
        errors["max_persons_in_one_state"] = _("More people in one state than affected in total.")
    errors.update(contradictions(incident))
    return errors


def after_first_move(incident: "Incident", errors: dict) -> dict:
    """The moment the lifecycle starts from (its detection, else its occurrence: see
    lifecycle.earliest_move) may not come after a status move already recorded, or the
    record would hold a move before the incident was found."""
    if not incident.pk:
        return {}
    bound = earliest_move(incident)
    if bound is None or bound[1] in errors:
        return {}
    first = (
        incident.status_changes.order_by("effective_at")
        .values_list("effective_at", flat=True)
        .first()
    )
    if first is None or first >= bound[0]:
        return {}
    return {
        bound[1]: _("A status move is dated %(moment)s: this cannot come after it.")
        % {"moment": format_datetime(first, incident.tzinfo)}
    }


def contradictions(incident: "Incident") -> dict:
    """Facts that cannot all be true; each error names the field to correct."""
    errors = {}

    def before(later: str, earlier: str, message) -> None:
        a, b = getattr(incident, later), getattr(incident, earlier)
        if a is not None and b is not None and a < b and later not in errors:
            errors[later] = message

    before("handling_ended_at", "aware_at", _("Handling cannot end before awareness."))
    before("handling_ended_at", "occurred_at", _("Handling cannot end before the occurrence."))
    before("published_at", "occurred_at", _("Publication cannot precede the occurrence."))
    before(
        "nis2_intermediate_due_at",
        "aware_at",
        _("An intermediate report cannot be due before awareness."),
    )
    now = timezone.now()
    for name in ("occurred_at", "detected_at", "aware_at", "contained_at", "handling_ended_at"):
        value = getattr(incident, name)
        if value is not None and value > now and name not in errors:
            errors[name] = _("This has not happened yet: it cannot be in the future.")
    if incident.aware_at is not None and incident.pk and incident.status == IncidentStatus.CLOSED:
        closed_at = (
            incident.status_changes.filter(to_status=IncidentStatus.CLOSED)
            .order_by("-effective_at")
            .values_list("effective_at", flat=True)
            .first()
        )
        if closed_at is not None and incident.aware_at > closed_at and "aware_at" not in errors:
            errors["aware_at"] = _(
                "The incident was closed on %(closed)s: awareness cannot come after it."
            ) % {"closed": format_datetime(closed_at, incident.tzinfo)}
    if (
        incident.affected_count is not None
        and incident.over_1000_people is not None
        and incident.over_1000_people != (incident.affected_count > 1000)
    ):
        errors["over_1000_people"] = _(
            "The number of people affected already answers this: leave it empty or "
            "make it agree with the count."
        )
    if incident.sec_material is False and incident.materiality_determined_on is not None:
        errors["materiality_determined_on"] = _(
            "A date of determination needs the incident determined material."
        )
    if incident.sec_material and incident.materiality_determined_on is None:
        errors["materiality_determined_on"] = _(
            "Give the date the incident was determined material."
        )
    if (
        incident.materiality_determined_on is not None
        and incident.aware_at is not None
        and incident.materiality_determined_on
        < incident.aware_at.astimezone(incident.tzinfo).date()
    ):
        errors.setdefault(
            "materiality_determined_on",
            _("Materiality cannot be determined before awareness."),
        )
    for later, earlier, message in (
        (
            "sec_info_available_on",
            "materiality_determined_on",
            _("The missing information cannot be available before the determination."),
        ),
        (
            "sec_delay_until",
            "materiality_determined_on",
            _("A delay cannot end before the determination."),
        ),
        (
            "hipaa_delay_until",
            "hipaa_delay_stated_on",
            _("The delay cannot end before it was stated."),
        ),
    ):
        before(later, earlier, message)
    if incident.hipaa_delay_until and not incident.hipaa_delay_stated_on:
        errors["hipaa_delay_stated_on"] = _("Give the day the official made the statement.")
    if (incident.appi_contractor_route or incident.appi_encrypted) and not (
        incident.appi_exemption_reason.strip()
    ):
        errors["appi_exemption_reason"] = _(
            "Record why the exemption holds: the PPC may ask (Rules Art. 7 and 9)."
        )
    return errors
