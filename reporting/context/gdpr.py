"""The notification to a supervisory authority under GDPR Art. 33."""

from datetime import datetime

from incidents.choices import Category, CountQualifier, PersonalDataItem
from incidents.regimes import Facts, compute_obligations

from .common import common_context
from .formatter import Formatter


def _row(fmt: Formatter, key: str, value: str | None = None, items=()) -> dict:
    """One labelled fact; with neither value nor items it is still to be provided."""
    items = list(items)
    return {
        "key": key,
        "label": fmt.words["fields"][key],
        "value": value or None,
        "items": items,
        "known": bool(value or items),
    }


def _optional_yes_no(fmt: Formatter, value: bool | None) -> str | None:
    return None if value is None else fmt.yes_no(value)


def _gdpr_risk(incident: dict, fmt: Formatter) -> str | None:
    if incident.get("high_risk"):
        return fmt.words["high_risk"]
    if incident.get("gdpr_unlikely_risk"):
        reason = incident.get("gdpr_unlikely_risk_reason")
        return f"{fmt.words['unlikely_risk']}: {reason}" if reason else fmt.words["unlikely_risk"]
    if incident.get("high_risk") is False:
        return fmt.words["not_high_risk"]
    return None


def _obligation(snapshot: dict, regime: str, stage: str) -> dict | None:
    return next(
        (
            o
            for o in snapshot.get("obligations", [])
            if (o["regime"], o["stage"]) == (regime, stage)
        ),
        None,
    )


# The notification to the authority under either GDPR (EU, or UK to the ICO): one rule.
AUTHORITY_STAGES = [("gdpr", "authority"), ("uk-gdpr", "authority")]


def _authority_obligation(snapshot: dict) -> dict | None:
    """The notification to the authority the case owes: under EU GDPR, else UK GDPR."""
    found = (_obligation(snapshot, regime, stage) for regime, stage in AUTHORITY_STAGES)
    return next((o for o in found if o is not None), None)


def _authority_deadline(obligation: dict | None, aware: datetime | None, fmt: Formatter):
    """The deadline the case's own clock computed; for a case under neither GDPR, the same
    rule (Art. 33(1), 72 hours) computed by the rules engine from awareness."""
    if obligation is not None and obligation["due_at"]:
        return fmt.moment(obligation["due_at"])
    if aware is None:
        return None
    facts = Facts(aware_at=aware, tz=str(fmt.tz), regimes=frozenset({"gdpr"}))
    spec = next(s for s in compute_obligations(facts) if (s.regime, s.stage) == AUTHORITY_STAGES[0])
    return spec.due_at.astimezone(fmt.tz) if spec.due_at else None


def gdpr_context(kind: str, snapshot: dict, fmt: Formatter) -> dict:
    """GDPR Art. 33: the items of paragraph 3, the deadline of paragraph 1 and the
    reasons for a delay, and the facts to be provided in phases under paragraph 4."""
    context = common_context(kind, snapshot, fmt)
    incident = snapshot["incident"]
    org = context["organization"]
    aware = fmt.moment(incident["aware_at"])
    notified = fmt.moment(snapshot["taken_at"])
    if notified.date() != context["document_date"]:
        # Dated by the person asking: the notification is made on that day, at the end of
        # it at the latest (the deadline is judged against the whole day).
        notified = datetime.combine(
            context["document_date"], datetime.max.time().replace(microsecond=0), fmt.tz
        )
    obligation = _authority_obligation(snapshot)
    deadline = _authority_deadline(obligation, aware, fmt)
    late = deadline is not None and notified > deadline
    people_unknown = (
        incident["affected_count"] is None
        or incident["affected_count_qualifier"] == CountQualifier.UNKNOWN
    )
    nature = [
        _row(fmt, "category", fmt.label(Category, incident["category"])),
        _row(fmt, "summary", incident["summary"]),
        _row(fmt, "events", incident["description_of_events"]),
        _row(fmt, "occurred", fmt.datetime_with_offset(fmt.moment(incident["occurred_at"]))),
        _row(fmt, "detected", fmt.datetime_with_offset(fmt.moment(incident["detected_at"]))),
        _row(fmt, "cause", incident["cause"]),
        _row(fmt, "subject_categories", incident.get("data_subject_categories")),
        _row(
            fmt,
            "people",
            None
            if people_unknown
            else fmt.people(incident["affected_count"], incident["affected_count_qualifier"]),
        ),
        _row(
            fmt,
            "data_categories",
            incident["personal_data_detail"],
            items=fmt.labels(PersonalDataItem, incident["personal_data_items"]),
        ),
        _row(fmt, "special_categories", _optional_yes_no(fmt, incident["sensitive_data"])),
        _row(
            fmt,
            "records",
            f"{incident['records_count']:,}" if incident.get("records_count") is not None else None,
        ),
    ]
    contact = [
        _row(fmt, "contact_name", org["regulator_contact_name"]),
        _row(fmt, "contact_email", org["regulator_contact_email"]),
        _row(fmt, "contact_phone", org["regulator_contact_phone"]),
    ]
    consequences = [
        _row(fmt, "secondary_damage", incident["secondary_damage"]),
        _row(fmt, "risk", _gdpr_risk(incident, fmt)),
        _row(fmt, "sensitive", _optional_yes_no(fmt, incident["sensitive_data"])),
        _row(fmt, "financial", _optional_yes_no(fmt, incident["financial_damage_risk"])),
        _row(fmt, "wrongful_purpose", _optional_yes_no(fmt, incident["wrongful_purpose"])),
    ]
    measures = [
        _row(fmt, "contained", fmt.datetime_with_offset(fmt.moment(incident["contained_at"]))),
        _row(fmt, "support_for_affected", incident["support_for_affected"]),
    ]
    context.update(
        {
            "notified": fmt.datetime_with_offset(notified)
            if notified == fmt.moment(snapshot["taken_at"])
            else context["report_date"],
            "aware": fmt.datetime_with_offset(aware),
            "deadline": fmt.datetime_with_offset(deadline),
            "late": late,
            "delay_reason": incident.get("gdpr_delay_reason")
            or (obligation or {}).get("filing_note")
            or None,
            "nature": nature,
            "contact": contact,
            "contact_known": any(row["known"] for row in contact),
            "consequences": consequences,
            "measures": measures,
            # Art. 33(4): everything in (a), (c) and (d) not yet known. A missing contact
            # point is not phased information but a gap to close before sending.
            "to_be_provided": [
                row["label"] for row in nature + consequences + measures if not row["known"]
            ]
            + [
                fmt.words["fields"][key]
                for key in ("measures_taken", "measures_planned")
                if not context["actions"][key.removeprefix("measures_")]
            ],
        }
    )
    return context
