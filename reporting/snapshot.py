"""Incident -> JSON-able dict: the only part of rendering that reads the database.

The snapshot is stored on the report, so the document can be explained and re-rendered
identically later. Times are ISO strings with their offset, choices are values (labels
are the template's business, in the document's language).
"""

from datetime import date, datetime

from django.utils import timezone

from incidents.models import (
    Action,
    Engagement,
    Evidence,
    Finding,
    Incident,
    Milestone,
    Organization,
)
from incidents.narratives import LANGUAGES, narrative_fields
from scope.services import public_sender_indicators

# 2: regimes and GDPR risk facts, obligations; 3: support, request to customers;
# 4: every narrative as <field>_ja and <field>_en (no plain key: a document picks one language)
SCHEMA_VERSION = 4


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _narratives(obj, model: type) -> dict[str, str]:
    """Both languages of every narrative of `obj`, "" where one is not recorded."""
    return {
        f"{field}_{language}": getattr(obj, f"{field}_{language}") or ""
        for field in narrative_fields(model)
        for language in LANGUAGES
    }


def build_snapshot(
    incident: Incident, *, taken_at: datetime | None = None, document_date: date | None = None
) -> dict:
    incident = (
        Incident.objects.select_related("organization")
        .prefetch_related("organization__sender_addresses")
        .get(pk=incident.pk)
    )
    org = incident.organization
    taken_at = taken_at or timezone.now()
    engagements = incident.engagements.prefetch_related("findings").order_by("requested_at", "id")
    evidence = Evidence.objects.filter(incident=incident).with_disposal().order_by("label")
    return {
        "schema": SCHEMA_VERSION,
        "taken_at": _iso(taken_at),
        # The date the document bears, as the person asking gave it (None: the day of taking).
        "document_date": _iso(document_date),
        "time_zone": incident.time_zone,
        "organization": {
            "name_ja": org.name_ja,
            "name_en": org.name_en,
            **_narratives(org, Organization),
            "regulator_contact_email": org.regulator_contact_email,
            "regulator_contact_phone": org.regulator_contact_phone,
            "public_contact_email": org.public_contact_email,
            "public_contact_phone": org.public_contact_phone,
            "website": org.website,
            "sender_addresses": [
                {"address": s.address, "note": s.note}
                for s in sorted(org.sender_addresses.all(), key=lambda s: s.address)
            ],
        },
        # Beside the legitimate addresses, never mixed with them: the spoofed sender addresses
        # marked public (TLP:CLEAR) in the incident's indicators, for customers to look out for.
        "spoofed_senders": [
            {"address": i.value, "first_seen": _iso(i.first_seen), "last_seen": _iso(i.last_seen)}
            for i in public_sender_indicators([incident.pk])
        ],
        "incident": {
            "id": incident.pk,
            "reference": incident.reference,
            **_narratives(incident, Incident),
            "category": incident.category,
            "severity": incident.severity,
            "status": incident.status,
            "occurred_at": _iso(incident.occurred_at),
            "detected_at": _iso(incident.detected_at),
            "aware_at": _iso(incident.aware_at),
            "contained_at": _iso(incident.contained_at),
            "contractor_involved": incident.contractor_involved,
            "personal_data_items": list(incident.personal_data_items or []),
            "data_medium": incident.data_medium,
            "affected_count": incident.affected_count,
            "affected_count_qualifier": incident.affected_count_qualifier,
            "over_1000_people": incident.over_1000_people,
            "sensitive_data": incident.sensitive_data,
            "financial_damage_risk": incident.financial_damage_risk,
            "wrongful_purpose": incident.wrongful_purpose,
            "article7_cases": incident.article7_cases(),
            "publication_status": incident.publication_status,
            "published_at": _iso(incident.published_at),
            "regimes": list(incident.regimes or []),
            "high_risk": incident.high_risk,
            "gdpr_unlikely_risk": incident.gdpr_unlikely_risk,
            "records_count": incident.records_count,
        },
        # Items of the PPC report that stayed unknown after the investigation, with why.
        "unresolved": [
            {"item": u.item, "reason_ja": u.reason_ja, "reason_en": u.reason_en}
            for u in incident.unresolved_items.order_by("item")
        ],
        # The legal clocks as they stood: a notification states its own deadline.
        "obligations": [
            {
                "regime": o.regime,
                "stage": o.stage,
                "applies": o.applies,
                "due_at": _iso(o.due_at),
                "fulfilled_at": _iso(o.fulfilled_at),
                "filing_note": o.filing_note,
            }
            for o in incident.obligations.order_by("regime", "stage")
        ],
        "milestones": [
            {
                "occurred_at": _iso(m.occurred_at),
                "kind": m.kind,
                **_narratives(m, Milestone),
                "public": m.public,
                "engagement_id": m.engagement_id,
                "finding_id": m.finding_id,
            }
            for m in incident.milestones.order_by("occurred_at", "id")
        ],
        "engagements": [
            {
                "id": e.pk,
                **_narratives(e, Engagement),
                "requested_at": _iso(e.requested_at),
                "findings": [
                    {
                        "id": f.pk,
                        "reported_at": _iso(f.reported_at),
                        "kind": f.kind,
                        **_narratives(f, Finding),
                    }
                    for f in sorted(e.findings.all(), key=lambda f: (f.reported_at, f.pk))
                ],
            }
            for e in engagements
        ],
        "actions": [
            {
                **_narratives(a, Action),
                "category": a.category,
                "owner": a.owner,
                "due_date": _iso(a.due_date),
                "status": a.status,
                "done_at": _iso(a.done_at),
            }
            for a in incident.actions.order_by("id")
        ],
        "evidence": [
            {
                "label": e.label,
                "kind": e.kind,
                "disposal_action": e.disposal_action or None,
                "disposed_at": _iso(e.disposed_at),
            }
            for e in evidence
        ],
    }
