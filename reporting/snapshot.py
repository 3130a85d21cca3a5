"""Incident -> JSON-able dict: the only part of rendering that reads the database.

The snapshot is stored on the report, so the document can be explained and re-rendered
identically later. Times are ISO strings with their offset, choices are values (labels
are the template's business, in the document's language).
"""

from datetime import date, datetime

from django.utils import timezone

from incidents.models import Evidence, Incident
from scope.services import public_sender_indicators

SCHEMA_VERSION = 3  # 2: regimes and GDPR risk facts, obligations; 3: support, request


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


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
            "address": org.address,
            "representative_title": org.representative_title,
            "representative_name": org.representative_name,
            "regulator_contact_name": org.regulator_contact_name,
            "regulator_contact_email": org.regulator_contact_email,
            "regulator_contact_phone": org.regulator_contact_phone,
            "public_contact_name": org.public_contact_name,
            "public_contact_email": org.public_contact_email,
            "public_contact_phone": org.public_contact_phone,
            "website": org.website,
            "copyright_notice": org.copyright_notice,
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
            "title": incident.title,
            "summary": incident.summary,
            "category": incident.category,
            "severity": incident.severity,
            "status": incident.status,
            "occurred_at": _iso(incident.occurred_at),
            "detected_at": _iso(incident.detected_at),
            "aware_at": _iso(incident.aware_at),
            "contained_at": _iso(incident.contained_at),
            "discovered_by": incident.discovered_by,
            "contractor_involved": incident.contractor_involved,
            "description_of_events": incident.description_of_events,
            "personal_data_items": list(incident.personal_data_items or []),
            "personal_data_detail": incident.personal_data_detail,
            "data_medium": incident.data_medium,
            "affected_count": incident.affected_count,
            "affected_count_qualifier": incident.affected_count_qualifier,
            "sensitive_data": incident.sensitive_data,
            "financial_damage_risk": incident.financial_damage_risk,
            "wrongful_purpose": incident.wrongful_purpose,
            "article7_cases": incident.article7_cases(),
            "cause": incident.cause,
            "secondary_damage": incident.secondary_damage,
            "support_for_affected": incident.support_for_affected,
            "request_to_customers": incident.request_to_customers,
            "publication_status": incident.publication_status,
            "published_at": _iso(incident.published_at),
            "regimes": list(incident.regimes or []),
            "high_risk": incident.high_risk,
            "gdpr_unlikely_risk": incident.gdpr_unlikely_risk,
            "gdpr_unlikely_risk_reason": incident.gdpr_unlikely_risk_reason,
            "data_subject_categories": incident.data_subject_categories,
            "records_count": incident.records_count,
            "gdpr_delay_reason": incident.gdpr_delay_reason,
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
                "title": m.title,
                "detail": m.detail,
                "public": m.public,
                "engagement_id": m.engagement_id,
                "finding_id": m.finding_id,
            }
            for m in incident.milestones.order_by("occurred_at", "id")
        ],
        "engagements": [
            {
                "id": e.pk,
                "vendor": e.vendor,
                "scope": e.scope,
                "requested_at": _iso(e.requested_at),
                "findings": [
                    {
                        "id": f.pk,
                        "reported_at": _iso(f.reported_at),
                        "kind": f.kind,
                        "summary": f.summary,
                        "conclusion": f.conclusion,
                    }
                    for f in sorted(e.findings.all(), key=lambda f: (f.reported_at, f.pk))
                ],
            }
            for e in engagements
        ],
        "actions": [
            {
                "title": a.title,
                "description": a.description,
                "category": a.category,
                "owner": a.owner,
                "due_date": _iso(a.due_date),
                "status": a.status,
                "done_at": _iso(a.done_at),
                "verification": a.verification,
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
