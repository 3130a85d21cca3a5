"""What every kind of document says: the organization, the incident, its timeline,
the investigation and the measures."""

from datetime import date

from incidents.choices import ActionCategory, ActionStatus, FindingKind, MilestoneKind

from ..dates import format_date, format_datetime
from ..readiness import investigation_complete
from ..wording import facts
from .formatter import Formatter, narrative


def _organization(snapshot: dict, fmt: Formatter) -> dict:
    org = snapshot["organization"]
    name = narrative(org, "name", fmt.language)
    representative = " ".join(
        part for part in [org["representative_title"], org["representative_name"]] if part
    )
    return {
        **org,
        "name": name,
        "representative": representative,
        "sender_addresses": [s["address"] for s in org["sender_addresses"]],
    }


def _milestone(m: dict, fmt: Formatter) -> dict:
    moment = fmt.moment(m["occurred_at"])
    return {
        **m,
        "day": moment.date(),
        "date": format_date(moment.date(), fmt.language),
        "datetime": format_datetime(moment, fmt.language),
        "kind_label": fmt.label(MilestoneKind, m["kind"]),
    }


def _engagements(snapshot: dict, fmt: Formatter) -> list[dict]:
    return [
        {
            "vendor": e["vendor"],
            "scope": e["scope"],
            "requested": fmt.date(e["requested_at"]),
            "findings": [
                {
                    "kind_label": fmt.label(FindingKind, f["kind"]),
                    "reported": fmt.date(f["reported_at"]),
                    "summary": f["summary"],
                    # Named once: its recorded summary (the investigation as reported), or
                    # its kind where none is recorded.
                    "title": f["summary"] or fmt.label(FindingKind, f["kind"]),
                    "conclusion": f["conclusion"],
                }
                for f in e["findings"]
            ],
        }
        for e in snapshot["engagements"]
    ]


def _actions(snapshot: dict, fmt: Formatter) -> dict:
    def row(a: dict) -> dict:
        return {
            "title": a["title"],
            "description": a["description"],
            "category_label": fmt.label(ActionCategory, a["category"]),
            "status_label": fmt.label(ActionStatus, a["status"]),
            "owner": a["owner"],
            "done": fmt.date(a["done_at"]),
            "due": fmt.plain_date(a["due_date"]),
            "verification": a["verification"],
            # In a public text, plain style is quoted as facts (reporting.wording.facts).
            "verification_facts": facts(a["verification"], fmt.language),
        }

    taken = [row(a) for a in snapshot["actions"] if a["status"] == ActionStatus.DONE]
    planned = [
        row(a)
        for a in snapshot["actions"]
        if a["status"] in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
    ]
    return {"taken": taken, "planned": planned, "all": taken + planned}


def common_context(kind: str, snapshot: dict, fmt: Formatter) -> dict:
    incident = snapshot["incident"]
    milestones = [_milestone(m, fmt) for m in snapshot["milestones"]]
    taken_at = fmt.moment(snapshot["taken_at"])
    # The date the person asking gave; older snapshots: the day they were taken.
    day = snapshot.get("document_date")
    document_date = date.fromisoformat(day) if day else taken_at.date()
    return {
        "kind": kind,
        "language": fmt.language,
        "words": fmt.words,
        "unknown": fmt.words["unknown"],
        "organization": _organization(snapshot, fmt),
        "incident": incident,
        "reference": incident["reference"],
        "report_date": format_date(document_date, fmt.language),
        "document_date": document_date,
        "investigation_complete": investigation_complete(snapshot),
        "milestones": milestones,
        "public_milestones": [m for m in milestones if m["public"]],
        "engagements": _engagements(snapshot, fmt),
        "actions": _actions(snapshot, fmt),
    }
