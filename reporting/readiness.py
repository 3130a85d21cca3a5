"""What a document still lacks before it can be submitted or published. Pure: snapshot in.

One list of requirements per kind of document. Each entry says which item of the document
it is about and whether it is *missing* (the document cannot go out as it is), *provisional*
(it can, but says the fact is not final: 調査中 in a 速報, an estimated count, an interim
public report) or *unresolved* (stayed unknown after the investigation; the 確報 states so
with the recorded reason). A narrative missing in the document's language is missing.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from incidents.choices import CountQualifier, IncidentStatus, PPCItem, PublicationStatus

from .choices import ReportKind

# The cases of APPI Enforcement Rules Art. 7, as readiness names them.
ARTICLE7_CASES = {
    1: gettext_lazy("sensitive personal data (item 1)"),
    2: gettext_lazy("risk of financial damage through misuse (item 2)"),
    3: gettext_lazy("possibly done with a wrongful purpose (item 3)"),
    4: gettext_lazy("more than 1,000 people (item 4)"),
}

MISSING = "missing"
PROVISIONAL = "provisional"
UNRESOLVED = "unresolved"

# The investigation is over once the case has moved past it (see Incident.TRANSITIONS).
INVESTIGATION_DONE = frozenset({IncidentStatus.RECOVERING, IncidentStatus.CLOSED})


def text(obj: dict, name: str, language: str) -> str:
    """A narrative in `language`: the `<name>_<language>` column when the record keeps one
    per language, else the single column. Empty when not recorded in that language."""
    from .context import narrative

    return narrative(obj, name, language)


def investigation_complete(snapshot: dict) -> bool:
    return snapshot["incident"]["status"] in INVESTIGATION_DONE


# The item of the report whose fact decides each case of Rules Art. 7: a case whose fact
# stayed unknown is stated with the reason recorded for that item, never another item's
# (1: 要配慮個人情報の有無 is asked under the items of data; 2: a risk of financial damage is
# a secondary damage; 3: a wrongful purpose is a matter of the cause; 4: the number of people).
ARTICLE7_ITEMS = {
    1: PPCItem.DATA_ITEMS,
    2: PPCItem.SECONDARY_DAMAGE,
    3: PPCItem.CAUSE,
    4: PPCItem.PEOPLE,
}


def article7_pending(incident: dict) -> list[int]:
    """The cases of APPI Rules Art. 7 (1 sensitive data, 2 risk of financial damage,
    3 wrongful purpose, 4 more than 1,000 people) whose deciding fact is still unknown."""
    if incident["affected_count"] is not None:
        over_1000 = incident["affected_count"] > 1000
    else:
        over_1000 = incident.get("over_1000_people")
    facts = (
        incident["sensitive_data"],
        incident["financial_damage_risk"],
        incident["wrongful_purpose"],
        over_1000,
    )
    return [case for case, fact in enumerate(facts, start=1) if fact is None]


def unresolved_reason(snapshot: dict, item: str, language: str) -> str | None:
    """The recorded reason an item stayed unknown, in `language` (None: not recorded)."""
    for row in snapshot.get("unresolved", []):
        if row["item"] == item:
            return row.get(f"reason_{language}") or ""
    return None


STATE_LABELS = {
    MISSING: gettext_lazy("missing"),
    PROVISIONAL: gettext_lazy("provisional"),
    UNRESOLVED: gettext_lazy("unknown after the investigation"),
}


@dataclass
class Gap:
    item: str
    label: str
    state: str
    detail: str

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


@dataclass
class Readiness:
    kind: str
    language: str
    gaps: list[Gap] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def missing(self) -> list[Gap]:
        return [g for g in self.gaps if g.state == MISSING]

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "language": self.language,
            "ready": self.ready,
            "items": [asdict(g) for g in self.gaps],
        }


LANGUAGE_NAMES = {"ja": gettext_lazy("Japanese"), "en": gettext_lazy("English")}


class Checker:
    """Collects gaps for one document; `final` turns the unknown into missing."""

    def __init__(self, kind: str, language: str, snapshot: dict, *, final: bool):
        self.snapshot = snapshot
        self.incident = snapshot["incident"]
        self.language = language
        self.final = final
        self.readiness = Readiness(kind, language)

    def add(self, item: str, label, state: str, detail) -> None:
        self.readiness.gaps.append(Gap(item, str(label), state, str(detail)))

    def unknown(self, item: str, label, detail, *, fact: bool = False, of: str = "") -> None:
        """Not known: in a final document missing unless recorded as unknown with a reason;
        in any document, recorded as unknown with a reason is said so (a 速報 made after the
        investigation gave up on a fact does not call it 調査中).
        `fact`: the detail names one fact of several under the item (a case of Rules Art. 7),
        kept beside the reason so that its line is not the item's own line again. `of`: the
        item of the 確報 whose recorded reason the document states (default: `item`)."""
        reason = unresolved_reason(self.snapshot, of or item, self.language)
        if not self.final and not reason:
            # Still being looked into; or recorded as unknown without a reason in this
            # language, which only a final document must have.
            self.add(item, label, PROVISIONAL, detail)
            return
        if reason:
            said = _("Unknown after the investigation: %s") % reason
            self.add(item, label, UNRESOLVED, f"{detail} — {said}" if fact else said)
        elif reason == "":
            self.add(
                item,
                label,
                MISSING,
                _("Recorded as unknown after the investigation, but without a reason in %s.")
                % LANGUAGE_NAMES[self.language],
            )
        else:
            self.add(item, label, MISSING, detail)

    def narrative(self, item: str, label, name: str, *, what=None, required: bool = True) -> bool:
        """True when the text exists in the document's language. `what` names the text
        where `label` is a whole item of several (the 確報's 概要)."""
        if text(self.incident, name, self.language):
            return True
        other = next(
            (
                lang
                for lang in LANGUAGE_NAMES
                if lang != self.language and text(self.incident, name, lang)
            ),
            None,
        )
        if other is not None:
            self.add(
                item,
                label,
                MISSING,
                (f"{what} " if what else "")
                + _("Recorded only in %(other)s; the document needs it in %(language)s.")
                % {"other": LANGUAGE_NAMES[other], "language": LANGUAGE_NAMES[self.language]},
            )
        elif required:
            self.unknown(item, label, what or _("Not recorded."))
        return False


def _people(check: Checker, item: str, label) -> None:
    incident = check.incident
    if incident["affected_count"] is None or incident["affected_count_qualifier"] in (
        CountQualifier.UNKNOWN,
        "",
    ):
        check.unknown(item, label, _("The number of people is not known."))
    elif incident["affected_count_qualifier"] != CountQualifier.EXACT:
        check.add(item, label, PROVISIONAL, _("The number of people is an estimate."))


def _ppc(kind: str, language: str, snapshot: dict) -> Readiness:
    final = kind == ReportKind.PPC_FINAL
    # A 速報 made once the investigation is over (a late one) cannot call a fact 調査中:
    # what is still unknown is missing, or stated as unknown with its reason, as in a 確報.
    check = Checker(kind, language, snapshot, final=final or investigation_complete(snapshot))
    incident = check.incident
    labels = dict(PPCItem.choices)
    org = snapshot["organization"]
    # The 報告者 block: who reports, where, and who represents it, in the document's language.
    for name, what in (
        ("name", _("The organization's name.")),
        ("address", _("The organization's address.")),
        ("representative_name", _("The name of the organization's representative.")),
    ):
        if not text(org, name, language):
            check.add("reporter", _("Reporter"), MISSING if final else PROVISIONAL, what)
    if not (
        text(org, "regulator_contact_name", language)
        and (org["regulator_contact_email"] or org["regulator_contact_phone"])
    ):
        check.add(
            "contact",
            _("Contact for the regulator"),
            MISSING if final else PROVISIONAL,
            _("The organization's contact for the regulator (name and e-mail or telephone)."),
        )
    item = PPCItem.OVERVIEW
    if not incident["aware_at"]:
        check.add(item, labels[item], MISSING, _("When the organization became aware."))
    for name, what in (
        ("occurred_at", _("When it occurred.")),
        ("detected_at", _("When it was discovered.")),
    ):
        if not incident[name]:
            check.unknown(item, labels[item], what)
    check.narrative(item, labels[item], "summary", what=_("The summary of what happened."))
    check.narrative(item, labels[item], "discovered_by", what=_("Who discovered it."))
    check.narrative(item, labels[item], "description_of_events", what=_("The course of events."))
    for case in article7_pending(incident):
        check.unknown(
            ARTICLE7_ITEMS[case],
            labels[ARTICLE7_ITEMS[case]],
            _("Whether this case of Rules Art. 7 applies is not known: %(case)s")
            % {"case": ARTICLE7_CASES[case]},
            fact=True,
        )
    if incident["contractor_involved"] is None:
        check.unknown(item, labels[item], _("Whether a contractor was involved."))
    item = PPCItem.DATA_ITEMS
    if not incident["personal_data_items"]:
        check.unknown(item, labels[item], _("The items of personal data."))
    if not incident["data_medium"]:
        check.unknown(item, labels[item], _("The medium of the data (paper or electronic)."))
    if incident["sensitive_data"] is None:
        check.unknown(item, labels[item], _("Whether sensitive personal data is involved."))
    _people(check, PPCItem.PEOPLE, labels[PPCItem.PEOPLE])
    for item, name in (
        (PPCItem.CAUSE, "cause"),
        (PPCItem.SECONDARY_DAMAGE, "secondary_damage"),
        (PPCItem.RESPONSE_TO_AFFECTED, "support_for_affected"),
    ):
        check.narrative(item, labels[item], name)
    item = PPCItem.PUBLICATION
    if incident["publication_status"] == PublicationStatus.NOT_DECIDED and not final:
        # Not decided is an answer in a 速報: it prints as such (未定), provisional.
        check.add(
            item,
            labels[item],
            PROVISIONAL,
            _("Not decided yet: the report says “%(label)s”.")
            % {"label": PublicationStatus.NOT_DECIDED.label},
        )
    elif incident["publication_status"] in (PublicationStatus.NOT_DECIDED, ""):
        check.unknown(item, labels[item], _("Whether the matter will be made public."))
    item = PPCItem.MEASURES
    if not snapshot["actions"]:
        check.unknown(item, labels[item], _("No recurrence-prevention measure is recorded."))
    if not incident["contained_at"]:
        check.unknown(PPCItem.OTHER, labels[PPCItem.OTHER], _("When it was contained."))
    if not snapshot["engagements"]:
        check.unknown(
            PPCItem.OTHER, labels[PPCItem.OTHER], _("No investigation of the incident is recorded.")
        )
    if final and not investigation_complete(snapshot):
        # Its own line, not a second state of 'other' (which may be missing as well).
        check.add(
            "status",
            _("Investigation"),
            PROVISIONAL,
            _("The incident is still %(status)s: the investigation is not recorded as complete.")
            % {"status": IncidentStatus(incident["status"]).label},
        )
    return check.readiness


def public_contact_reachable(organization: dict) -> bool:
    """A contact the public can reach: an e-mail address or a telephone (a name alone is
    not one). The documents print a gap where this is false."""
    return bool(organization["public_contact_email"] or organization["public_contact_phone"])


def _public_contact(check: Checker) -> None:
    if not public_contact_reachable(check.snapshot["organization"]):
        check.add(
            "contact",
            _("Contact for the public"),
            MISSING,
            _("The organization has no public contact e-mail or telephone."),
        )


def _public(kind: str, language: str, snapshot: dict) -> Readiness:
    """Every section the public document prints as a gap, and nothing else: read off the
    context the document is rendered from (the general request where mail was abused, a
    timeline of public milestones, the measures taken or planned)."""
    from .context import build_context

    check = Checker(kind, language, snapshot, final=True)
    incident = check.incident
    context = build_context(kind, language, snapshot)
    notice = kind == ReportKind.PUBLIC_NOTICE
    under_way = not investigation_complete(snapshot)

    def not_yet(item: str, label, detail, of: str = "") -> None:
        """A section printed as a gap: in a notice while the investigation is under way it
        says so honestly (provisional); in a final report, or once it is over, it is missing
        unless recorded as unknown with a reason. Recorded as unknown, it says so (with the
        reason) in every document, as readiness does."""
        if notice and under_way and unresolved_reason(snapshot, of or item, language) is None:
            check.add(item, label, PROVISIONAL, detail)
        else:
            check.unknown(item, label, detail, of=of)

    def section(item: str, label, name: str) -> None:
        if not check.narrative(item, label, name, required=False) and not any(
            text(incident, name, lang) for lang in LANGUAGE_NAMES
        ):
            not_yet(item, label, _("Not recorded."))

    check.narrative("title", _("Title"), "title")
    check.narrative("summary", _("Summary"), "summary")
    if notice:
        if not incident["detected_at"]:
            # The document states the reason recorded for the 確報's overview, if any.
            not_yet(
                "detected", _("Discovered on"), _("When it was discovered."), of=PPCItem.OVERVIEW
            )
        if not incident["personal_data_items"]:
            if unresolved_reason(snapshot, PPCItem.DATA_ITEMS, language) is None:
                check.add(
                    "data_items", _("Information concerned"), PROVISIONAL, _("Not yet identified.")
                )
            else:
                # Recorded as not determinable: the notice states it with the reason.
                check.unknown("data_items", _("Information concerned"), _("Not yet identified."))
    else:
        check.narrative("events", _("Course of events"), "description_of_events")
        if not context["engagements"]:
            check.unknown(
                "investigations",
                _("Investigations requested"),
                _("No investigation of the incident is recorded."),
            )
    check.narrative("cause", _("Cause"), "cause")
    section(PPCItem.SECONDARY_DAMAGE, _("Secondary damage or risk thereof"), "secondary_damage")
    section(
        "support_for_affected", _("What was done for the people affected"), support_field(incident)
    )
    # Where the record shows mail was abused, the document prints the general request.
    check.narrative(
        "request_to_customers",
        _("Request to customers"),
        "request_to_customers",
        required=not context["mail_abused"],
    )
    if not context["actions"]["all"]:
        not_yet(
            PPCItem.MEASURES,
            _("Measures to prevent recurrence"),
            _("No recurrence-prevention measure is recorded."),
        )
    if not context["timeline"]:
        not_yet("timeline", _("Our response"), _("No milestone of the case is marked public."))
    if not notice and under_way:
        check.add(
            "status",
            _("Investigation"),
            PROVISIONAL,
            _("The investigation is not recorded as complete: the document is an interim report."),
        )
    _public_contact(check)
    return check.readiness


def support_field(incident: dict) -> str:
    """What was done for the people affected (response_to_affected before schema 3; since
    schema 4 the key is per language, support_for_affected_ja/_en)."""
    return "response_to_affected" if "response_to_affected" in incident else "support_for_affected"


def _individual(kind: str, language: str, snapshot: dict) -> Readiness:
    from .context import build_context

    check = Checker(kind, language, snapshot, final=True)
    incident = check.incident
    # Who signs the letter, in its language (as the PPC's 報告者 block): the letter prints
    # the gap where one is missing.
    for name, what in (
        ("name", _("The organization's name.")),
        ("representative_name", _("The name of the organization's representative.")),
    ):
        if not text(snapshot["organization"], name, language):
            check.add("signatory", _("Signed by"), MISSING, what)
    for name, what in (
        ("occurred_at", _("When it occurred.")),
        ("detected_at", _("When it was discovered.")),
    ):
        if not incident[name]:
            # The 確報's overview item: a reason recorded for it is stated in the letter too.
            check.unknown(PPCItem.OVERVIEW, _("What happened"), what)
    check.narrative("summary", _("What happened"), "summary")
    if not incident["personal_data_items"]:
        # Missing, or stated with the reason recorded for the 確報's item, as the letter does.
        check.unknown(
            PPCItem.DATA_ITEMS,
            _("Items of personal data concerned"),
            _("The items of personal data."),
        )
    check.narrative("cause", _("Cause"), "cause")
    check.narrative("secondary_damage", _("Secondary damage or risk thereof"), "secondary_damage")
    check.narrative(
        "support_for_affected", _("What was done for the people affected"), support_field(incident)
    )
    # As in the public documents: where the record shows mail was abused, the general request.
    mail_abused = build_context(kind, language, snapshot)["mail_abused"]
    check.narrative(
        "request_to_customers",
        _("Request to customers"),
        "request_to_customers",
        required=not mail_abused,
    )
    _public_contact(check)
    return check.readiness


def _gdpr(kind: str, language: str, snapshot: dict) -> Readiness:
    from .context import build_context

    check = Checker(kind, language, snapshot, final=False)
    context = build_context(kind, language, snapshot)
    if not context["contact_known"]:
        check.add(
            "contact",
            _("Data protection officer or other contact point"),
            MISSING,
            _("Not designated."),
        )
    if context["late"] and not context["delay_reason"]:
        check.add("delay", _("Reasons for the delay"), MISSING, _("Required by Art. 33(1)."))
    # What the notification says is to follow (Art. 33(4)): one line naming each fact, in
    # the reader's language (the form's own row names are English only).
    phased = [
        row["key"]
        for row in context["nature"] + context["consequences"] + context["measures"]
        if not row["known"]
    ] + [
        key
        for key in ("measures_taken", "measures_planned")
        if not context["actions"][key.removeprefix("measures_")]
    ]
    if phased:
        check.add(
            "phased",
            _("Information provided in phases (Art. 33(4))"),
            PROVISIONAL,
            _("Not known yet; the notification says it will follow: %(items)s.")
            % {
                "items": pgettext("list separator", ", ").join(
                    str(GDPR_FACTS.get(key, key)) for key in phased
                ),
            },
        )
    return check.readiness


# The facts of an Art. 33 notification, as readiness names them to the person asking.
GDPR_FACTS = {
    "category": gettext_lazy("type of breach"),
    "summary": gettext_lazy("description of the breach"),
    "events": gettext_lazy("course of events"),
    "occurred": gettext_lazy("date and time of the breach"),
    "detected": gettext_lazy("date and time of detection"),
    "cause": gettext_lazy("cause"),
    "subject_categories": gettext_lazy("categories of data subjects concerned"),
    "people": gettext_lazy("approximate number of data subjects concerned"),
    "data_categories": gettext_lazy("categories of personal data concerned"),
    "special_categories": gettext_lazy("special categories of personal data (Art. 9)"),
    "records": gettext_lazy("approximate number of personal data records concerned"),
    "secondary_damage": gettext_lazy("consequences observed or expected"),
    "risk": gettext_lazy("risk to the rights and freedoms of natural persons"),
    "sensitive": gettext_lazy("whether sensitive personal data is involved"),
    "financial": gettext_lazy("risk of financial damage through misuse"),
    "wrongful_purpose": gettext_lazy("whether it was possibly done with a wrongful purpose"),
    "contained": gettext_lazy("when the breach was contained"),
    "support_for_affected": gettext_lazy(
        "measures to mitigate possible adverse effects for the data subjects"
    ),
    "measures_taken": gettext_lazy("measures taken"),
    "measures_planned": gettext_lazy("measures proposed to be taken"),
}


CHECKS: dict[str, Callable[[str, str, dict], Readiness]] = {
    ReportKind.PPC_PRELIMINARY: _ppc,
    ReportKind.PPC_FINAL: _ppc,
    ReportKind.PUBLIC_NOTICE: _public,
    ReportKind.PUBLIC_FINAL: _public,
    ReportKind.GDPR_ART33: _gdpr,
    ReportKind.INDIVIDUAL_NOTICE: _individual,
}


# The item of a case recorded after the document's date (see _recorded_later).
RECORDED_LATER = "narratives"


def _recorded_later(result: Readiness, snapshot: dict) -> None:
    """A case recorded after the document's day (back-filled) has no narratives of that day:
    as they read now they may say what was known only later. That blocks the document: with
    gaps allowed they print as gaps (snapshot.without_current_text); allowing the current
    text prints them as they read now, once the person asking has checked them."""
    recorded_at = snapshot.get("narratives_recorded_at")
    if not recorded_at:
        return
    day = datetime.fromisoformat(recorded_at).astimezone(ZoneInfo(snapshot["time_zone"])).date()
    result.gaps.append(
        Gap(
            RECORDED_LATER,
            str(_("Narratives")),
            MISSING,
            _(
                "The case was recorded on %(recorded)s, after the document's date: the record "
                "has no narratives (title, summary, cause, course of events, ...) or assessed "
                "facts (people affected, information concerned, ...) as of the document's "
                "date. With gaps allowed, they print as gaps. With the current text allowed, "
                "they print as they read now: allow it only once you have checked that they "
                "say nothing known only later (it does not allow the other gaps)."
            )
            % {"recorded": day.isoformat()},
        )
    )


# The PPC's forms list who reports (and whom to contact), then the nine items of Rules
# Art. 8(1): the readiness of a PPC report lists its gaps in that order (an item's facts
# together).
PPC_ORDER = {item: rank for rank, item in enumerate(["reporter", "contact", *PPCItem.values])}


def readiness(kind: str, language: str, snapshot: dict) -> Readiness:
    result = CHECKS[kind](kind, language, snapshot)
    if kind in (ReportKind.PPC_PRELIMINARY, ReportKind.PPC_FINAL):
        result.gaps.sort(key=lambda gap: PPC_ORDER.get(gap.item, len(PPC_ORDER)))
    _recorded_later(result, snapshot)
    return result
