"""Snapshot + language -> template context. Pure: no database, no clock.

One builder per kind of document; the templates of every language read the same context.
Labels of the case's vocabularies come from incidents.choices, translated in the
document's language; dates are written as the document's language writes them.
"""

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from typing import overload
from zoneinfo import ZoneInfo

from django.utils import translation

from incidents.choices import (
    ActionCategory,
    ActionStatus,
    Category,
    CountQualifier,
    DataMedium,
    FindingKind,
    MilestoneKind,
    PersonalDataItem,
    PublicationStatus,
)
from incidents.narratives import NARRATIVES

from .choices import ReportKind
from .dates import format_date, format_datetime, format_month_day, wareki  # noqa: F401
from .readiness import investigation_complete, support_field, text
from .wording import fact, facts, final_due, guidance, individual_items, people, ppc_gaps

# The words of the forms themselves. They are part of the documents' text (as prescribed
# by the regulator's form in Japanese), so they live with the documents, not in the UI catalog.
WORDS = {
    "ja": {
        "unknown": "調査中",
        "yes": "あり",
        "no": "なし",
        "none": "なし",
        "people": "{n}名",
        "people_estimated": "約{n}名",
        "people_up_to": "最大{n}名",
        "article7": {
            1: "要配慮個人情報が含まれる漏えい等(規則第7条第1号)",
            2: "不正に利用されることにより財産的被害が生じるおそれがある漏えい等(同第2号)",
            3: "不正の目的をもって行われたおそれがある漏えい等(同第3号)",
            4: "本人の数が1,000人を超える漏えい等(同第4号)",
        },
        "list_separator": "、",
        "requested": "調査依頼日",
        "when": "日時",
        "what": "内容",
        "scope": "調査範囲",
        # A 確報 never says 調査中: an item not recorded is to follow (only with an override),
        # an item that stayed unknown says so with its reason.
        "to_follow": "追って報告",
        "interim_title": "調査状況のご報告(中間報告)",
        "final_title": "調査結果の最終報告",
        "unresolved": "特定できず",
    },
    "en": {
        "unknown": "Under investigation",
        "yes": "Yes",
        "no": "No",
        "none": "None",
        "people": "{n} people",
        "people_estimated": "about {n} people",
        "people_up_to": "up to {n} people",
        "article7": {
            1: "Involves sensitive personal data (Rules Art. 7(i))",
            2: "Risk of financial damage through misuse (Art. 7(ii))",
            3: "Possibly done with a wrongful purpose (Art. 7(iii))",
            4: "More than 1,000 people affected (Art. 7(iv))",
        },
        "list_separator": ", ",
        "requested": "Requested on",
        "when": "Date",
        "what": "What happened",
        "scope": "Scope",
        "to_follow": "To be reported later",
        "interim_title": "Interim report on our investigation",
        "final_title": "Final report of our investigation",
        "unresolved": "Could not be determined",
    },
}

# Words a kind of document says differently from the others, per language (merged over WORDS).
KIND_WORDS: dict[str, dict[str, dict[str, str | dict[str, str]]]] = {
    ReportKind.GDPR_ART33: {
        "en": {
            # Art. 33(4): what is not yet known is provided in phases, not guessed.
            "unknown": "To be provided (Art. 33(4))",
            "people": "{n} data subjects",
            "people_estimated": "approximately {n} data subjects (estimated)",
            "people_up_to": "up to {n} data subjects",
            "not_designated": "Not yet designated",
            "delay_reason_missing": "Reasons for the delay: to be stated (required by Art. 33(1))",
            "high_risk": (
                "Likely to result in a high risk to the rights and freedoms of natural persons; "
                "the data subjects are to be informed (Art. 34)"
            ),
            "not_high_risk": "Not assessed as likely to result in a high risk (Art. 34)",
            "unlikely_risk": (
                "Assessed as unlikely to result in a risk to the rights and freedoms of natural "
                "persons (Art. 33(1))"
            ),
            # Row labels: also the list of what is still to be provided.
            "fields": {
                "category": "Type of breach",
                "summary": "Description of the breach",
                "events": "Course of events",
                "occurred": "Date and time of the breach",
                "detected": "Date and time of detection",
                "cause": "Cause",
                "subject_categories": "Categories of data subjects concerned",
                "people": "Approximate number of data subjects concerned",
                "data_categories": "Categories of personal data concerned",
                "special_categories": "Special categories of personal data (Art. 9)",
                "records": "Approximate number of personal data records concerned",
                "contact_name": "Data protection officer or other contact point",
                "contact_email": "Email",
                "contact_phone": "Telephone",
                "secondary_damage": "Consequences observed or expected",
                "risk": "Risk to the rights and freedoms of natural persons",
                "sensitive": "Sensitive personal data involved",
                "financial": "Risk of financial damage through misuse",
                "wrongful_purpose": "Possibly done with a wrongful purpose",
                "contained": "Breach contained at",
                "support_for_affected": (
                    "Measures to mitigate possible adverse effects for the data subjects"
                ),
                "measures_taken": "Measures taken",
                "measures_planned": "Measures proposed to be taken",
            },
        },
    },
}

# Art. 33(1): "not later than 72 hours after having become aware of it".
GDPR_AUTHORITY_PERIOD = timedelta(hours=72)

# Malware the public report can explain, recognised in the case's own words.
KNOWN_MALWARE = ["emotet"]


def narrative(obj: Mapping | object, field: str, language: str) -> str:
    """The text of `field` recorded in exactly `language`, or "" when it is not recorded in it.

    `obj` is a model instance or a snapshot dict. Documents never fall back to the other
    language: an English document prints only `<field>_en`, and a gap is a gap (the readiness
    check lists it). Only a field or snapshot that has no per-language values at all (a
    snapshot taken before narratives were bilingual) gives its single value.
    """
    key = f"{field}_{language}"
    if isinstance(obj, Mapping):
        value = obj[key] if key in obj else obj.get(field)
    else:
        value = getattr(obj, key) if hasattr(obj, key) else getattr(obj, field, None)
    return value or ""


class Formatter:
    """Everything language-dependent the builders need, bound to one language and zone."""

    def __init__(self, language: str, time_zone: str, words: dict | None = None):
        self.language = language
        self.tz = ZoneInfo(time_zone)
        self.words = {**WORDS[language], **(words or {})}

    # The snapshot holds moments as ISO strings, or None where there is none yet.
    @overload
    def moment(self, value: str) -> datetime: ...
    @overload
    def moment(self, value: str | None) -> datetime | None: ...
    def moment(self, value: str | None) -> datetime | None:
        return datetime.fromisoformat(value).astimezone(self.tz) if value else None

    def datetime_with_offset(self, moment: datetime | None) -> str | None:
        """In the case's zone, with the UTC offset spelt out for a reader in another zone."""
        if moment is None:
            return None
        local = moment.astimezone(self.tz)
        offset = local.strftime("%z")
        return f"{format_datetime(local, self.language)} (UTC{offset[:3]}:{offset[3:]})"

    def date(self, value: str | None) -> str | None:
        moment = self.moment(value)
        return format_date(moment.date(), self.language) if moment else None

    def datetime(self, value: str | None) -> str | None:
        return format_datetime(self.moment(value), self.language)

    def plain_date(self, value: str | None) -> str | None:
        return format_date(date.fromisoformat(value), self.language) if value else None

    def label(self, choices, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return str(choices(value).label)
        except ValueError:
            return value

    def labels(self, choices, values) -> list[str | None]:
        return [self.label(choices, v) for v in values]

    def yes_no(self, value: bool | None) -> str:
        if value is None:
            return self.words["unknown"]
        return self.words["yes"] if value else self.words["no"]

    def people(self, count: int | None, qualifier: str) -> str:
        if count is None or qualifier == CountQualifier.UNKNOWN:
            return self.words["unknown"]
        number = f"{count:,}"
        keys: dict[str, str] = {
            CountQualifier.ESTIMATED: "people_estimated",
            CountQualifier.UP_TO: "people_up_to",
        }
        key = keys.get(qualifier, "people")
        return self.words[key].format(n=number)

    def join(self, items) -> str:
        return self.words["list_separator"].join(items)


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
        }

    taken = [row(a) for a in snapshot["actions"] if a["status"] == ActionStatus.DONE]
    planned = [
        row(a)
        for a in snapshot["actions"]
        if a["status"] in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
    ]
    return {"taken": taken, "planned": planned, "all": taken + planned}


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


def _malware(incident: dict) -> str | None:
    if incident["category"] not in (Category.MALWARE, Category.RANSOMWARE):
        return None
    text = " ".join([incident["title"], incident["summary"], incident["cause"]]).lower()
    return next((name for name in KNOWN_MALWARE if name in text), None)


def _common(kind: str, snapshot: dict, fmt: Formatter) -> dict:
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


def ppc_context(kind: str, snapshot: dict, fmt: Formatter) -> dict:
    """The nine items of APPI Enforcement Rules Art. 8(1), with gaps said to be gaps."""
    final = kind == ReportKind.PPC_FINAL
    if final:
        fmt.words["unknown"] = fmt.words["to_follow"]
    context = _common(kind, snapshot, fmt)
    incident = snapshot["incident"]
    cases = incident["article7_cases"]
    gaps = ppc_gaps(snapshot, fmt.words, fmt.language, final)
    disposed = [e for e in snapshot["evidence"] if e["disposal_action"]]
    context.update(
        {
            "preliminary": not final,
            "gaps": gaps,
            # No measure of one kind while the other kind has some: none, not a gap.
            "measures_gap": fmt.words["none"] if snapshot["actions"] else gaps["measures"],
            "final_due": None if final else final_due(snapshot, fmt),
            "overview": {
                "occurred": fmt.datetime(incident["occurred_at"]),
                "detected": fmt.datetime(incident["detected_at"]),
                "aware": fmt.datetime(incident["aware_at"]),
                "contained": fmt.datetime(incident["contained_at"]),
                "summary": incident["summary"],
                "category": fmt.label(Category, incident["category"]),
                "discovered_by": incident["discovered_by"],
                "article7": [fmt.words["article7"][c] for c in cases],
                "contractor": fact(fmt.yes_no, incident["contractor_involved"], gaps["overview"]),
                "events": incident["description_of_events"],
            },
            "data": {
                "items": fmt.labels(PersonalDataItem, incident["personal_data_items"]),
                "detail": incident["personal_data_detail"],
                "medium": fmt.label(DataMedium, incident["data_medium"]),
                "sensitive": fact(fmt.yes_no, incident["sensitive_data"], gaps["data_items"]),
            },
            "people": people(incident, fmt, gaps["people"]),
            "cause": incident["cause"],
            "secondary_damage": incident["secondary_damage"],
            "support_for_affected": incident["support_for_affected"],
            "request_to_customers": incident["request_to_customers"],
            "publication": {
                "status": fmt.label(PublicationStatus, incident["publication_status"]),
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


def public_context(kind: str, snapshot: dict, fmt: Formatter) -> dict:
    if investigation_complete(snapshot):
        # "Under investigation" would be untrue once it is over: what is still not known
        # could not be determined.
        fmt.words["unknown"] = fmt.words["unresolved"]
    context = _common(kind, snapshot, fmt)
    incident = snapshot["incident"]
    language = fmt.language
    context.update(
        {
            "title": incident["title"],
            # The final report is final only when the record says the investigation is over.
            "interim": kind == ReportKind.PUBLIC_FINAL and not context["investigation_complete"],
            "as_of": context["report_date"],
            "cause": facts(text(incident, "cause", language), language),
            "request_to_customers": facts(
                text(incident, "request_to_customers", language), language
            ),
            "support": facts(text(incident, support_field(incident), language), language),
            "spoofed_senders": [s["address"] for s in snapshot.get("spoofed_senders", [])],
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
    return context


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


def gdpr_context(kind: str, snapshot: dict, fmt: Formatter) -> dict:
    """GDPR Art. 33: the items of paragraph 3, the deadline of paragraph 1 and the
    reasons for a delay, and the facts to be provided in phases under paragraph 4."""
    context = _common(kind, snapshot, fmt)
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
    obligation = _obligation(snapshot, "gdpr", "authority")
    # The deadline the case's clock computed; without a GDPR clock, the article's own rule.
    deadline = fmt.moment(obligation["due_at"]) if obligation else None
    if deadline is None and aware is not None:
        deadline = (aware.astimezone(UTC) + GDPR_AUTHORITY_PERIOD).astimezone(fmt.tz)
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


def individual_context(kind: str, snapshot: dict, fmt: Formatter) -> dict:
    """The notice to the people concerned: APPI Rules Art. 10 (the items of Art. 8(1)(i),
    (ii), (iv), (v) and (ix)), GDPR Art. 34(2), HIPAA 164.404(c)."""
    context = public_context(kind, snapshot, fmt)
    context.update(individual_items(snapshot, fmt, context))
    return context


BUILDERS: dict[str, Callable[[str, dict, Formatter], dict]] = {
    ReportKind.PPC_PRELIMINARY: ppc_context,
    ReportKind.PPC_FINAL: ppc_context,
    ReportKind.PUBLIC_NOTICE: public_context,
    ReportKind.PUBLIC_FINAL: public_context,
    ReportKind.GDPR_ART33: gdpr_context,
    ReportKind.INDIVIDUAL_NOTICE: individual_context,
}


def _upgrade(snapshot: dict) -> dict:
    """A snapshot stored by an older version, with the keys the builders read today."""
    if snapshot.get("schema", 0) >= 3:
        return snapshot
    incident = dict(snapshot["incident"])
    incident.setdefault("support_for_affected", incident.pop("response_to_affected", ""))
    incident.setdefault("request_to_customers", "")
    return {**snapshot, "incident": incident}


def in_language(snapshot: dict, language: str) -> dict:
    """The snapshot with each narrative under its plain key, in exactly `language` ("" where
    it is not recorded in it), so that the builders and templates cannot print the other one."""

    def pick(obj: dict, model_name: str) -> dict:
        return {**obj, **{f: narrative(obj, f, language) for f in NARRATIVES[model_name]}}

    return {
        **snapshot,
        "organization": pick(snapshot["organization"], "organization"),
        "incident": pick(snapshot["incident"], "incident"),
        "milestones": [pick(m, "milestone") for m in snapshot["milestones"]],
        "engagements": [
            {
                **pick(e, "engagement"),
                "findings": [pick(f, "finding") for f in e["findings"]],
            }
            for e in snapshot["engagements"]
        ],
        "actions": [pick(a, "action") for a in snapshot["actions"]],
    }


def build_context(kind: str, language: str, snapshot: dict) -> dict:
    if kind not in BUILDERS:
        raise ValueError(f"Unknown report kind: {kind!r}")
    if language not in WORDS:
        raise ValueError(f"Unknown report language: {language!r}")
    if language not in ReportKind.languages(kind):
        raise ValueError(f"A {kind!r} report is not written in {language!r}")
    words = KIND_WORDS.get(kind, {}).get(language)
    snapshot = in_language(_upgrade(snapshot), language)
    fmt = Formatter(language, snapshot["time_zone"], words)
    with translation.override(language):
        return BUILDERS[kind](kind, snapshot, fmt)
