"""How documents word what the record holds. Pure: no database, no clock.

Public texts speak in one polite style (です/ます). A narrative recorded in plain style
(である, 体言止め) is not pasted into that prose: it is quoted as a list of facts. The regulator's
report says what each of its items lacks in the words of its stage (速報: 調査中; 確報:
特定できず with the recorded reason, or 追って報告 when generated with an override).
"""

import re

from incidents.choices import CountQualifier, PersonalDataItem, PPCItem

from .dates import format_date
from .readiness import support_field, text, unresolved_reason

# Guidance the public documents refer to, printed as real links (no document fetches them).
GUIDANCE = {
    "emotet": {
        "ja": (
            "「Emotet(エモテット)」と呼ばれるウイルスへの感染を狙うメールについて|情報処理推進機構",
            "https://www.ipa.go.jp/security/announce/20191202.html",
        ),
        "en": (
            "IPA: E-mails aiming at infection with the virus called Emotet (in Japanese)",
            "https://www.ipa.go.jp/security/announce/20191202.html",
        ),
    },
}

# A Japanese sentence in the polite style ends with one of these (before closing brackets).
POLITE_ENDING = re.compile(
    r"(です|ます|ました|ません|でした|ましょう|ください|ございます|ませんでした)[。.．]?[」』)）]*$"
)
SENTENCE_END = re.compile(r"(?<=[。．])")


def facts(value: str, language: str) -> dict:
    """A narrative as the public documents print it: prose when it is already in the
    document's polite style (always, in English), else its sentences as a list of facts."""
    value = (value or "").strip()
    sentences = [
        sentence.strip()
        for line in value.splitlines()
        for sentence in SENTENCE_END.split(line)
        if sentence.strip()
    ]
    polite = language != "ja" or all(POLITE_ENDING.search(s) for s in sentences)
    bullet = "・" if language == "ja" else "- "
    as_text = value if polite else "\n".join(f"{bullet}{s}" for s in sentences)
    return {"text": value, "polite": polite, "sentences": sentences, "as_text": as_text}


def ppc_gaps(snapshot: dict, words: dict, language: str) -> dict[str, str]:
    """What each of the nine items prints where a fact is not recorded: 特定できず with the
    reason where the record says it could not be determined (by the document's day, in either
    stage); else 調査中 in a 速報, 追って報告 in a 確報 (generated with an override)."""
    gaps = {}
    for item in PPCItem.values:
        reason = unresolved_reason(snapshot, item, language)
        gaps[item] = f"{words['unresolved']}: {reason}" if reason else words["unknown"]
    return gaps


def people(incident: dict, fmt, gap: str) -> str:
    if incident["affected_count"] is None or incident["affected_count_qualifier"] in (
        CountQualifier.UNKNOWN,
        "",
    ):
        return gap
    return fmt.people(incident["affected_count"], incident["affected_count_qualifier"])


def final_due(snapshot: dict, fmt, document_date=None) -> dict | None:
    """The 確報 as the 速報's 今後の予定 states it, as of the document's date: when it is due
    (the APPI final stage's clock), whether that day has passed, and when it was filed where
    the record shows it filed by then. None: no such clock."""
    for obligation in snapshot.get("obligations", []):
        if (obligation["regime"], obligation["stage"]) == ("appi", "final"):
            due = fmt.moment(obligation["due_at"])
            filed = fmt.moment(obligation["fulfilled_at"])
            if due is None and filed is None:
                return None
            return {
                "due": format_date(due.date(), fmt.language) if due else None,
                "past": bool(due and document_date and document_date > due.date()),
                "filed": format_date(filed.date(), fmt.language) if filed else None,
            }
    return None


def not_determined(snapshot: dict, item: str, fmt) -> str | None:
    """A document for the public or the people concerned on an item the record says could
    not be determined (an unresolved item): a polite sentence with the recorded reason.
    None: the record does not say so."""
    reason = unresolved_reason(snapshot, item, fmt.language)
    if reason:
        # The sentence closes itself: a reason recorded as a sentence loses its own full stop
        # (not 「…ため。）。」).
        reason = reason.strip().rstrip("。．.")
        return fmt.words["not_determined_because"].format(reason=reason)
    if reason == "":
        return fmt.words["not_determined"]
    return None


def individual_items(snapshot: dict, fmt, context: dict) -> dict:
    """What the notice to the people concerned adds to the public context: the dates, the
    data items, what was done for them, what they can do, and whom to ask."""
    incident = snapshot["incident"]
    language = fmt.language
    org = context["organization"]
    # A date not recorded: not determined only where the record says so for the overview
    # (in the letter's polite sentence, with the reason); else 調査中 while investigating,
    # to follow after it (the letter went out with the gap by an explicit override).
    return {
        "date_gap": not_determined(snapshot, PPCItem.OVERVIEW, fmt) or fmt.words["unknown"],
        "occurred": fmt.date(incident["occurred_at"]),
        "detected": fmt.date(incident["detected_at"]),
        "data_items": fmt.labels(PersonalDataItem, incident["personal_data_items"]),
        "support": facts(text(incident, support_field(incident), language), language),
        "contact_lines": [
            line
            for line in (
                org.get("public_contact_name"),
                org.get("public_contact_email"),
                org.get("public_contact_phone"),
                org.get("website"),
            )
            if line
        ],
    }


def guidance(name: str, language: str) -> dict:
    title, url = GUIDANCE[name][language]
    return {"title": title, "url": url}
