"""The public notice and report, and the notice to the people concerned built on them."""

from datetime import date
from itertools import groupby

from incidents.choices import Category, PersonalDataItem, PPCItem

from ..choices import ReportKind
from ..dates import format_date, format_month_day
from ..readiness import (
    investigation_complete,
    public_contact_reachable,
    support_field,
    text,
)
from ..wording import facts, guidance, individual_items, not_determined
from .common import common_context
from .formatter import Formatter

# Malware the public report can explain, recognised in the case's own words.
KNOWN_MALWARE = ["emotet"]


def _malware(incident: dict) -> str | None:
    if incident["category"] not in (Category.MALWARE, Category.RANSOMWARE):
        return None
    text = " ".join([incident["title"], incident["summary"], incident["cause"]]).lower()
    return next((name for name in KNOWN_MALWARE if name in text), None)


def _timeline(milestones: list[dict], fmt: Formatter, document_date: date) -> list[dict]:
    """Entries grouped by day, as the founding report lists them: month and day when every
    entry is in the year the document is dated (the reader supplies the year), the whole
    date otherwise (a report dated 2023 about February 2022 must not read as 2023)."""
    short = all(m["day"].year == document_date.year for m in milestones)
    return [
        {
            "day": format_month_day(day, fmt.language) if short else format_date(day, fmt.language),
            "date": format_date(day, fmt.language),
            "entries": [m["title"] for m in entries],
        }
        for day, entries in groupby(milestones, key=lambda m: m["day"])
    ]


def reader_gaps(snapshot: dict, fmt: Formatter) -> dict[str, str]:
    """What each section of a document for the public or the people concerned prints where
    its text is not recorded. A fact the record says could not be determined (an unresolved
    item of the 確報) says so with its reason, as the 確報 does; a fact still being looked
    into is 調査中; a text the company itself writes (what it did for the people affected,
    what it asks of them) is not under investigation: it is to follow, politely."""

    def fact(item: str) -> str:
        return not_determined(snapshot, item, fmt) or fmt.words["unknown"]

    return {
        "cause": fact(PPCItem.CAUSE),
        "secondary_damage": fact(PPCItem.SECONDARY_DAMAGE),
        "data_items": fact(PPCItem.DATA_ITEMS),
        "detected": fact(PPCItem.OVERVIEW),
        "support": fmt.words["to_follow"],
        "request_to_customers": fmt.words["to_follow"],
        # The company's own texts: its title, summary, measures and public timeline.
        "company": fmt.words["to_follow"],
    }


def public_context(kind: str, snapshot: dict, fmt: Formatter) -> dict:
    if investigation_complete(snapshot):
        # "Under investigation" would be untrue once it is over, and "could not be
        # determined" is said only where the record says so (an unresolved item, as in the
        # 確報): any other fact still not recorded is to follow, politely.
        fmt.words["unknown"] = fmt.words["to_follow"]
    context = common_context(kind, snapshot, fmt)
    incident = snapshot["incident"]
    language = fmt.language
    context.update(
        {
            "title": incident["title"],
            "gaps": reader_gaps(snapshot, fmt),
            # The final report is final only when the record says the investigation is over.
            "interim": kind == ReportKind.PUBLIC_FINAL and not context["investigation_complete"],
            "as_of": context["report_date"],
            "cause": facts(text(incident, "cause", language), language),
            "request_to_customers": facts(
                text(incident, "request_to_customers", language), language
            ),
            "support": facts(text(incident, support_field(incident), language), language),
            "spoofed_senders": [s["address"] for s in snapshot.get("spoofed_senders", [])],
            # A contact one can reach: a name alone is not one (the document then shows a gap).
            "contact_reachable": public_contact_reachable(snapshot["organization"]),
            # Recorded text may be in plain style (である); a public text speaks in です/ます,
            # so such text is quoted as a list of facts (reporting.wording.facts).
            "summary": facts(text(incident, "summary", language), language),
            "events": facts(text(incident, "description_of_events", language), language),
            "secondary_damage": facts(text(incident, "secondary_damage", language), language),
            "detected": fmt.date(incident["detected_at"]),
            "data_items": fmt.labels(PersonalDataItem, incident["personal_data_items"]),
            "data_detail": incident["personal_data_detail"],
            "timeline": _timeline(context["public_milestones"], fmt, context["document_date"]),
            "malware": _malware(incident),
            "guidance": guidance("emotet", language),
        }
    )
    # A sender entry without @ is a domain: the texts then say "addresses and domains".
    context["senders_include_domains"] = any(
        "@" not in address for address in context["organization"]["sender_addresses"]
    )
    context["spoofed_include_domains"] = any(
        "@" not in address for address in context["spoofed_senders"]
    )
    # Whether the record shows mail was abused (malware named, spoofed senders): only then
    # do the documents warn of spoofed mail without a recorded request (one rule for the
    # public documents, the letter and its e-mail text).
    context["mail_abused"] = bool(context["malware"] or context["spoofed_senders"])
    return context


def individual_context(kind: str, snapshot: dict, fmt: Formatter) -> dict:
    """The notice to the people concerned: APPI Rules Art. 10 (the items of Art. 8(1)(i),
    (ii), (iv), (v) and (ix)), GDPR Art. 34(2), HIPAA 164.404(c)."""
    context = public_context(kind, snapshot, fmt)
    context.update(individual_items(snapshot, fmt, context))
    return context
