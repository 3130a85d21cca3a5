"""Incident -> JSON-able dict: the only part of rendering that reads the database.

The snapshot is stored on the report, so the document can be explained and re-rendered
identically later. Times are ISO strings with their offset, choices are values (labels
are the template's business, in the document's language).

A document dated in the past speaks as of the end of its day: dated facts after it are left
out, and the incident's narratives and assessed facts (people affected, information
concerned, Art. 7 facts, ...) and the moments it then knew (occurrence, detection, awareness,
containment) are those of its history record of that day (incident_as_of). A case recorded
after that day has no such record: a request leaves them blank (without_current_text), so
that they print as gaps, unless the person asking allows the text as it reads now.
The organization prints as it is now: the sender, its address and
its contacts are who sends the document and how to reach them today. Milestones, findings
and actions are dated rows, left out when dated after the day; their text prints as it reads
now (reading each row's own history is not done yet: a query per kind of row, and a note for
rows recorded after the day).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, Q, Value, When
from django.utils import timezone

from incidents.choices import ActionStatus, CountQualifier, PublicationStatus
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

from .choices import NOT_YET_PUBLISHED

# 2: regimes and GDPR risk facts, obligations; 3: support, request to customers;
# 4: every narrative as <field>_ja and <field>_en (no plain key: a document picks one language)
# 5: the incident's narratives and assessed facts as recorded by the document's day, and
#    narratives_recorded_at
SCHEMA_VERSION = 5


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _narratives(obj, model: type) -> dict[str, str]:
    """Both languages of every narrative of `obj`, "" where one is not recorded."""
    return {
        f"{field}_{language}": getattr(obj, f"{field}_{language}") or ""
        for field in narrative_fields(model)
        for language in LANGUAGES
    }


def _rows(queryset, model: type, *fields: str) -> list[dict]:
    """The rows as dicts of `fields` and both languages of every narrative of `model`: the
    values only, without a model instance per row (a timeline has hundreds)."""
    narratives = [
        f"{field}_{language}" for field in narrative_fields(model) for language in LANGUAGES
    ]
    return list(queryset.values(*fields, *narratives))


def _recorded_by(queryset, incident_id: int, end: datetime):
    """The rows of `queryset` (an incident's) the record held at `end`: not those added
    later (a measure decided after the day was not planned on it). A row whose creation is
    not in the history (older than it) is kept."""
    history = queryset.model.history.model  # added at registration (incidents/translation.py)
    later = history.objects.filter(
        incident_id=incident_id, history_type="+", history_date__gte=end
    ).values("id")
    return queryset.exclude(pk__in=later)


def _texts(row: dict, model: type) -> dict[str, str]:
    """`_narratives` of a row read by `_rows`."""
    return {
        f"{field}_{language}": row[f"{field}_{language}"] or ""
        for field in narrative_fields(model)
        for language in LANGUAGES
    }


def _before(value: datetime | None, end: datetime) -> datetime | None:
    """A moment the document may speak of: None when it came after the document's day."""
    return value if value is not None and value < end else None


def incident_as_of(
    incident: Incident, end: datetime, taken_at: datetime
) -> tuple[Incident, datetime | None]:
    """The incident as its record read at `end`, and None; or, when the case was recorded
    after `end` (back-filled), the incident as it reads now and the moment it was recorded.

    A document dated in the past must not say what was only known later: its narratives (in
    both languages) and the facts assessed on the case (people affected, the information
    concerned, the Art. 7 facts, severity, ...) and the moments it knew of (occurrence,
    detection, awareness, containment; each also left out when it came after `end`) come from
    the latest history record made before `end`: a date learned later is not in the document.
    One query, and none for a document that speaks as of now. Organization, milestones,
    findings and actions print as they read now (see the module's docstring).
    """
    if end >= taken_at:
        return incident, None
    # The latest record before `end`; when there is none, the record of the case's creation.
    # The history manager is added at registration (incidents/translation.py), unseen by mypy.
    history = incident.history  # type: ignore[attr-defined]
    record = (
        history.filter(Q(history_date__lt=end) | Q(history_type="+"))
        .order_by(
            Case(When(history_date__lt=end, then=Value(0)), default=Value(1)),
            "-history_date",
            "-history_id",
        )
        .first()
    )
    if record is not None and record.history_date < end:
        return record.instance, None
    recorded_at = record.history_date if record is not None else incident.created_at
    if recorded_at < end:
        # No history reaches back that far (a row older than its history): as it reads now.
        return incident, None
    return incident, recorded_at


# What build_snapshot takes from incident_as_of's incident beside its narratives (the facts
# assessed on the case and the moments it knew of), each as it is when not known.
ASSESSED_UNKNOWN: dict = {
    "category": "",
    "severity": "",
    # When it began is found by the investigation, perhaps later; detection, awareness and
    # containment are the company's own moments, known as they happened (kept when by the day).
    "occurred_at": None,
    "contractor_involved": None,
    "personal_data_items": [],
    "data_medium": "",
    "affected_count": None,
    "affected_count_qualifier": CountQualifier.UNKNOWN,
    "over_1000_people": None,
    "sensitive_data": None,
    "financial_damage_risk": None,
    "wrongful_purpose": None,
    "article7_cases": [],
    "high_risk": None,
    "gdpr_unlikely_risk": None,
    "records_count": None,
}


def without_current_text(snapshot: dict) -> dict:
    """`snapshot` with what the record does not show as of the document's day left blank.

    For a case recorded after that day (`narratives_recorded_at` set), incident_as_of could
    only give the incident as it reads now: its narratives and assessed facts may say what
    was known only later. Blank, they print as gaps (not known as of the day); the note stays,
    so readiness still says why. Kept are the dated facts of the day: the company's own
    moments (detection, awareness, containment), publication and filings by then, measures
    done by then; deadlines and measures not yet done are left out. Any other snapshot is
    returned as it is.
    """
    if not snapshot.get("narratives_recorded_at"):
        return snapshot
    incident = dict(snapshot["incident"])
    incident.update(
        {
            f"{field}_{language}": ""
            for field in narrative_fields(Incident)
            for language in LANGUAGES
        }
    )
    incident.update(
        {key: list(v) if isinstance(v, list) else v for key, v in ASSESSED_UNKNOWN.items()}
    )
    if incident["published_at"] is None:
        incident["publication_status"] = ""
    return {
        **snapshot,
        "incident": incident,
        # A deadline rests on facts assessed later (which case of Rules Art. 7 holds): not
        # stated. What was filed by the day stays, a dated fact.
        "obligations": [{**o, "due_at": None} for o in snapshot.get("obligations", [])],
        # A measure done by the day is a dated fact; whether one not done yet was planned by
        # then, the record cannot tell (every row of the case was recorded later).
        "actions": [a for a in snapshot.get("actions", []) if a["done_at"]],
        "planned_actions_unknown": True,
    }


def status_as_of(incident: Incident, end: datetime) -> str:
    """The incident's status before `end`, from its recorded moves (the status it was
    created in, before the first one; its present status when it never moved)."""
    moves = list(incident.status_changes.order_by("effective_at", "id"))
    before = [m for m in moves if m.effective_at < end]
    if before:
        return before[-1].to_status
    return moves[0].from_status if moves else incident.status


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
    # A document speaks as of the end of the day it bears: what happened after that day
    # (a later milestone, finding, disposal, completed action, status) is not in it.
    end = taken_at
    if document_date is not None:
        zone = ZoneInfo(incident.time_zone)
        end = min(end, datetime.combine(document_date + timedelta(days=1), time.min, zone))
    published = _before(incident.published_at, end)
    engagements = _rows(
        incident.engagements.filter(requested_at__lt=end).order_by("requested_at", "id"),
        Engagement,
        "id",
        "requested_at",
    )
    findings: dict[int, list[dict]] = {e["id"]: [] for e in engagements}
    for f in _rows(
        Finding.objects.filter(engagement__in=list(findings), reported_at__lt=end),
        Finding,
        "id",
        "engagement_id",
        "reported_at",
        "kind",
    ):
        findings[f["engagement_id"]].append(f)
    evidence = (
        Evidence.objects.filter(incident=incident)
        .with_disposal()
        .order_by("label")
        .values("label", "kind", "disposal_action", "disposed_at")
    )
    # What was assessed on the case by the document's day (its narratives too).
    assessed, narratives_recorded_at = incident_as_of(incident, end, taken_at)
    # Published by the document's day: so it says. Never published: the decision as the
    # record of that day held it (not a decision taken later).
    publication_status = (
        incident.publication_status if published is not None else assessed.publication_status
    )
    if incident.published_at is not None and published is None:
        # Published after the document's day: as of it, not yet published; planned (or
        # decided against) where the record of that day says so.
        publication_status = (
            assessed.publication_status
            if assessed.publication_status
            in (PublicationStatus.PLANNED, PublicationStatus.NOT_PUBLISHED)
            else NOT_YET_PUBLISHED
        )
    return {
        "schema": SCHEMA_VERSION,
        "taken_at": _iso(taken_at),
        # The date the document bears, as the person asking gave it (None: the day of taking).
        "document_date": _iso(document_date),
        "time_zone": incident.time_zone,
        # Set when the case was recorded after the document's day: its narratives are printed
        # as they read now (readiness says so); None when they are as recorded by that day.
        "narratives_recorded_at": _iso(narratives_recorded_at),
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
        # Those seen by the document's day (recorded by then, when when first seen is not).
        "spoofed_senders": [
            {
                "address": i.value,
                "first_seen": _iso(i.first_seen),
                "last_seen": _iso(_before(i.last_seen, end)),
            }
            for i in public_sender_indicators([incident.pk])
            if (i.first_seen or i.created_at) < end
        ],
        "incident": {
            "id": incident.pk,
            "reference": incident.reference,
            **_narratives(assessed, Incident),
            "category": assessed.category,
            "severity": assessed.severity,
            "status": status_as_of(incident, end) if end < taken_at else incident.status,
            "occurred_at": _iso(_before(assessed.occurred_at, end)),
            "detected_at": _iso(_before(assessed.detected_at, end)),
            "aware_at": _iso(_before(assessed.aware_at, end)),
            "contained_at": _iso(_before(assessed.contained_at, end)),
            "contractor_involved": assessed.contractor_involved,
            "personal_data_items": list(assessed.personal_data_items or []),
            "data_medium": assessed.data_medium,
            "affected_count": assessed.affected_count,
            "affected_count_qualifier": assessed.affected_count_qualifier,
            "over_1000_people": assessed.over_1000_people,
            "sensitive_data": assessed.sensitive_data,
            "financial_damage_risk": assessed.financial_damage_risk,
            "wrongful_purpose": assessed.wrongful_purpose,
            "article7_cases": assessed.article7_cases(),
            "publication_status": publication_status,
            "published_at": _iso(published),
            "regimes": list(incident.regimes or []),
            "high_risk": assessed.high_risk,
            "gdpr_unlikely_risk": assessed.gdpr_unlikely_risk,
            "records_count": assessed.records_count,
        },
        # Items of the PPC report that stayed unknown after the investigation, with why.
        "unresolved": [
            {"item": u["item"], "reason_ja": u["reason_ja"], "reason_en": u["reason_en"]}
            for u in incident.unresolved_items.filter(determined_at__lt=end)
            .order_by("item")
            .values("item", "reason_ja", "reason_en")
        ],
        # The legal clocks as they stood: a notification states its own deadline.
        "obligations": [
            {
                "regime": o["regime"],
                "stage": o["stage"],
                "applies": o["applies"],
                "due_at": _iso(o["due_at"]),
                "fulfilled_at": _iso(_before(o["fulfilled_at"], end)),
                "filing_note": o["filing_note"],
            }
            for o in incident.obligations.order_by("regime", "stage").values(
                "regime", "stage", "applies", "due_at", "fulfilled_at", "filing_note"
            )
        ],
        "milestones": [
            {
                "occurred_at": _iso(m["occurred_at"]),
                "kind": m["kind"],
                **_texts(m, Milestone),
                "public": m["public"],
                "engagement_id": m["engagement_id"],
                "finding_id": m["finding_id"],
            }
            for m in _rows(
                incident.milestones.filter(occurred_at__lt=end).order_by("occurred_at", "id"),
                Milestone,
                "occurred_at",
                "kind",
                "public",
                "engagement_id",
                "finding_id",
            )
        ],
        "engagements": [
            {
                "id": e["id"],
                **_texts(e, Engagement),
                "requested_at": _iso(e["requested_at"]),
                "findings": [
                    {
                        "id": f["id"],
                        "reported_at": _iso(f["reported_at"]),
                        "kind": f["kind"],
                        **_texts(f, Finding),
                    }
                    for f in sorted(findings[e["id"]], key=lambda f: (f["reported_at"], f["id"]))
                ],
            }
            for e in engagements
        ],
        "actions": [
            {
                **_texts(a, Action),
                # How it was verified is known once it is done: not before the document's day.
                **(
                    {"verification_ja": "", "verification_en": ""}
                    if a["done_at"] is not None and a["done_at"] >= end
                    else {}
                ),
                "category": a["category"],
                "owner": a["owner"],
                "due_date": _iso(a["due_date"]),
                # Done after the document's day: still to be done as of it.
                "status": ActionStatus.PLANNED
                if a["done_at"] is not None and a["done_at"] >= end
                else a["status"],
                "done_at": _iso(_before(a["done_at"], end)),
            }
            for a in _rows(
                # Dated in the past: the measures recorded by then. A back-filled case's rows
                # were all recorded later: without_current_text keeps those done by the day
                # unless the current text is allowed.
                _recorded_by(incident.actions.order_by("id"), incident.pk, end)
                if end < taken_at and not narratives_recorded_at
                else incident.actions.order_by("id"),
                Action,
                "category",
                "owner",
                "due_date",
                "status",
                "done_at",
            )
        ],
        "evidence": [
            {
                "label": e["label"],
                "kind": e["kind"],
                "disposal_action": e["disposal_action"]
                if _before(e["disposed_at"], end) is not None
                else None,
                "disposed_at": _iso(_before(e["disposed_at"], end)),
            }
            for e in evidence
        ],
    }
