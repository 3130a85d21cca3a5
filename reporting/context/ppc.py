"""The reports to the Personal Information Protection Commission (速報 and 確報)."""

from incidents.choices import (
    Category,
    DataMedium,
    MilestoneKind,
    PersonalDataItem,
    PublicationStatus,
)

from ..choices import NOT_YET_PUBLISHED, ReportKind
from ..readiness import ARTICLE7_ITEMS, article7_pending, investigation_complete
from ..wording import final_due, people, ppc_gaps
from .common import common_context
from .formatter import Formatter


def known(format_value, value) -> str | None:
    """A yes/no fact as words; None while it is not known (the template prints the gap)."""
    return None if value is None else format_value(value)


def ppc_context(kind: str, snapshot: dict, fmt: Formatter) -> dict:
    """The nine items of APPI Enforcement Rules Art. 8(1), with gaps said to be gaps."""
    final = kind == ReportKind.PPC_FINAL
    if final or investigation_complete(snapshot):
        # Not 調査中 once the investigation is over, in a late 速報 either (readiness agrees).
        fmt.words["unknown"] = fmt.words["to_follow"]
    context = common_context(kind, snapshot, fmt)
    incident = snapshot["incident"]
    cases = incident["article7_cases"]
    gaps = ppc_gaps(snapshot, fmt.words, fmt.language)
    disposed = [e for e in snapshot["evidence"] if e["disposal_action"]]
    # No measure of one kind while the other kind has some: none, not a gap.
    measures_gap = fmt.words["none"] if snapshot["actions"] else gaps["measures"]
    context.update(
        {
            "preliminary": not final,
            "gaps": gaps,
            "measures_gap": measures_gap,
            # A back-filled case's measures not done by the day: whether they were planned
            # then, the record cannot tell (snapshot.without_current_text): a gap, not none.
            "planned_gap": gaps["measures"]
            if snapshot.get("planned_actions_unknown")
            else measures_gap,
            # The 確報 as of the document's date: due (a plan), past due, or filed.
            "final_due": None if final else final_due(snapshot, fmt, context["document_date"]),
            "overview": {
                "occurred": fmt.datetime(incident["occurred_at"]),
                "detected": fmt.datetime(incident["detected_at"]),
                "aware": fmt.datetime(incident["aware_at"]),
                "contained": fmt.datetime(incident["contained_at"]),
                "summary": incident["summary"],
                "category": fmt.label(Category, incident["category"]),
                "discovered_by": incident["discovered_by"],
                "article7": [fmt.words["article7"][c] for c in cases],
                # Cases whose deciding fact is unknown: each says so (never a silent なし),
                # with the gap of the item that fact belongs to (its reason, not another's).
                "article7_pending": [
                    {"label": fmt.words["article7"][c], "gap": gaps[ARTICLE7_ITEMS[c]]}
                    for c in article7_pending(incident)
                ],
                "contractor": known(fmt.yes_no, incident["contractor_involved"]),
                "events": incident["description_of_events"],
            },
            "data": {
                "items": fmt.labels(PersonalDataItem, incident["personal_data_items"]),
                "detail": incident["personal_data_detail"],
                "medium": fmt.label(DataMedium, incident["data_medium"]),
                "sensitive": known(fmt.yes_no, incident["sensitive_data"]),
            },
            "people": people(incident, fmt, gaps["people"]),
            "cause": incident["cause"],
            "secondary_damage": incident["secondary_damage"],
            "support_for_affected": incident["support_for_affected"],
            "request_to_customers": incident["request_to_customers"],
            "publication": {
                # Not decided is an answer in a 速報; a 確報 states the decision or the gap.
                "status": ""
                if final and incident["publication_status"] in (PublicationStatus.NOT_DECIDED, "")
                else fmt.words["not_yet_published"]
                if incident["publication_status"] == NOT_YET_PUBLISHED
                else fmt.label(PublicationStatus, incident["publication_status"]),
                "published": fmt.date(incident["published_at"]),
                "is_published": incident["publication_status"] == PublicationStatus.PUBLISHED,
            },
            "other_milestones": [
                m
                for m in context["milestones"]
                if m["kind"]
                in (
                    MilestoneKind.POLICE_REPORT,
                    MilestoneKind.EXTERNAL_REPORT,
                    MilestoneKind.REGULATOR_REPORT,
                    MilestoneKind.VENDOR_ENGAGED,
                )
            ],
            "evidence_disposed": [
                {
                    "label": e["label"],
                    "date": fmt.date(e["disposed_at"]),
                    "action": e["disposal_action"],
                }
                for e in disposed
            ],
        }
    )
    return context
