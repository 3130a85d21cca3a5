"""An incident's indicators as a STIX 2.1 bundle (stix2) and as a MISP event (PyMISP, offline).

Both are meant for sharing: TLP:RED indicators are left out unless the caller asks for them
(and is allowed to), and so are the indicators' notes, written for the committee (who said
what, which PC): carried as the STIX description and the MISP comment only when asked for
(include_notes). Exports name the incident by its reference only: titles and notes of the
case stay in the case record.

In STIX, when an indicator was seen travels as a Sighting of it by the organization
(first_seen, last_seen), the one standard place for it: an indicator's valid_from is when it
became valid (its first sighting when known, else when it was recorded) and is never read
back as a sighting, so importing our own export gives back the same seen times.
TLP markings are TLP 2.0's (the OASIS extension's standard marking definitions), the
vocabulary Taisaku records; the import also reads STIX 2.1's TLP 1.0 markings.
"""

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import stix2
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pymisp import MISPAttribute, MISPEvent
from stix2.utils import STIXdatetime, format_datetime

from incidents.models import Incident

from .choices import TLP, IndicatorType
from .models import Indicator

# A fixed namespace: the same incident and indicator always get the same STIX/MISP ids.
NAMESPACE = uuid.UUID("5d0c2f0e-7f3c-4c1e-9d52-7a61a5c0e514")

# TLP 2.0 in STIX 2.1: the standard marking definitions of the OASIS TLP 2.0 extension
# (cti-stix-common-objects, extension-definition-specifications/tlp-2.0). stix2 3.0 ships
# only TLP 1.0's (TLP_WHITE, ...), which have no CLEAR.
TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_IDS = {
    TLP.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    TLP.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    TLP.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    TLP.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP_MARKINGS: dict[str, stix2.MarkingDefinition] = {
    tlp: stix2.MarkingDefinition(
        id=marking_id,
        created="2022-10-01T00:00:00.000Z",
        name=f"TLP:{tlp.value.upper()}",
        extensions={TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": tlp.value}},
    )
    for tlp, marking_id in TLP2_IDS.items()
}
# What an import reads as each level: TLP 2.0's markings and STIX 2.1's TLP 1.0 ones.
TLP_OF_MARKING = {
    **{marking_id: tlp for tlp, marking_id in TLP2_IDS.items()},
    stix2.TLP_WHITE.id: TLP.CLEAR,
    stix2.TLP_GREEN.id: TLP.GREEN,
    stix2.TLP_AMBER.id: TLP.AMBER,
    stix2.TLP_RED.id: TLP.RED,
}
TLP_ORDER: list[str] = [TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.RED]

STIX_PATTERNS: dict[str, str] = {
    IndicatorType.EMAIL_SENDER: "[email-message:from_ref.value = '{}']",
    IndicatorType.DOMAIN: "[domain-name:value = '{}']",
    IndicatorType.URL: "[url:value = '{}']",
    IndicatorType.IPV4: "[ipv4-addr:value = '{}']",
    IndicatorType.IPV6: "[ipv6-addr:value = '{}']",
    IndicatorType.SHA256: "[file:hashes.'SHA-256' = '{}']",
    IndicatorType.MD5: "[file:hashes.MD5 = '{}']",
    IndicatorType.FILENAME: "[file:name = '{}']",
}

MISP_TYPES: dict[str, str] = {
    IndicatorType.EMAIL_SENDER: "email-src",
    IndicatorType.DOMAIN: "domain",
    IndicatorType.URL: "url",
    IndicatorType.IPV4: "ip-dst",
    IndicatorType.IPV6: "ip-dst",
    IndicatorType.SHA256: "sha256",
    IndicatorType.MD5: "md5",
    IndicatorType.FILENAME: "filename",
}


# The export's options, as the API's query and the admin's link give them: one reading of
# their values for both (ExportOptions.parse), a value outside these is refused.
TRUE_VALUES = frozenset({"1", "true", "yes", "on"})
FALSE_VALUES = frozenset({"", "0", "false", "no", "off"})


def parse_flag(value: str | None) -> bool:
    """An option's value: 1/true/yes/on or 0/false/no/off (any case), absent is no;
    anything else ValueError."""
    word = (value or "").strip().lower()
    if word in TRUE_VALUES:
        return True
    if word in FALSE_VALUES:
        return False
    raise ValueError(word)


@dataclass(frozen=True)
class ExportOptions:
    include_red: bool = False  # TLP:RED indicators too (needs scope.export_red_indicators)
    include_notes: bool = False  # the indicators' internal notes too

    @classmethod
    def parse(cls, query) -> "ExportOptions":
        """From a request's query (a QueryDict or a dict); ValidationError naming each bad
        option, in the words the API and the admin both show."""
        values, errors = {}, {}
        for name in ("include_red", "include_notes"):
            try:
                values[name] = parse_flag(query.get(name))
            except ValueError:
                errors[name] = ValidationError(
                    _("Give 1 or 0 (also true/false, yes/no, on/off), not “%(value)s”."),
                    code="invalid",
                    params={"value": query.get(name)},
                )
        if errors:
            raise ValidationError(errors)
        return cls(**values)

    def check_allowed(self, user) -> None:
        if self.include_red and not user.has_perm("scope.export_red_indicators"):
            raise PermissionDenied(_("You may not export TLP:RED indicators."))


def export_indicators(incident: Incident, *, include_red: bool) -> list[Indicator]:
    """The rows an export carries: one query."""
    return list(
        Indicator.objects.filter(incident=incident)
        .for_sharing(include_red=include_red)
        .order_by("type", "value", "id")
    )


def _stix_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _highest_tlp(indicators: Iterable[Indicator]) -> str:
    levels = {i.tlp for i in indicators}
    return max(levels, key=TLP_ORDER.index) if levels else TLP.CLEAR


def _timestamp(value) -> str:
    return format_datetime(STIXdatetime(value, precision="millisecond"))


def _exact(value) -> str:
    """A time as recorded (to the microsecond): seen times come back unchanged."""
    return format_datetime(value)


def _stix_indicator(ind: Indicator, identity_id: str, *, include_notes: bool) -> dict:
    """One STIX 2.1 Indicator as JSON.

    Written as a dict rather than a stix2.Indicator: the library re-parses every pattern
    (about 1.4 ms each, 14 s for 10,000), while ours come from the fixed templates above
    with the value escaped. The tests parse every export back with stix2, patterns included.
    """
    obj = {
        "type": "indicator",
        "spec_version": "2.1",
        "id": f"indicator--{ind.uuid}",
        "created_by_ref": identity_id,
        "created": _timestamp(ind.created_at),
        "modified": _timestamp(max(ind.updated_at, ind.created_at)),
        "name": f"{ind.get_type_display()}: {ind.value}",
        "indicator_types": ["malicious-activity"],
        "pattern": STIX_PATTERNS[ind.type].format(_stix_string(ind.value)),
        "pattern_type": "stix",
        "pattern_version": "2.1",
        "valid_from": _exact(ind.first_seen) if ind.first_seen else _timestamp(ind.created_at),
        "object_marking_refs": [TLP_MARKINGS[ind.tlp].id],
    }
    if include_notes and ind.note:
        obj["description"] = ind.note
    return obj


def _stix_sighting(ind: Indicator, identity_id: str) -> dict | None:
    """When the organization saw the indicator, if it is known: a STIX 2.1 Sighting."""
    if not (ind.first_seen or ind.last_seen):
        return None
    obj = {
        "type": "sighting",
        "spec_version": "2.1",
        "id": f"sighting--{uuid.uuid5(NAMESPACE, f'sighting:{ind.uuid}')}",
        "created_by_ref": identity_id,
        "created": _timestamp(ind.created_at),
        "modified": _timestamp(max(ind.updated_at, ind.created_at)),
        "sighting_of_ref": f"indicator--{ind.uuid}",
        "where_sighted_refs": [identity_id],
        "object_marking_refs": [TLP_MARKINGS[ind.tlp].id],
    }
    if ind.first_seen:
        obj["first_seen"] = _exact(ind.first_seen)
    if ind.last_seen:
        obj["last_seen"] = _exact(ind.last_seen)
    return obj


def stix_bundle(
    incident: Incident, indicators: list[Indicator], *, include_notes: bool = False
) -> dict:
    """The bundle as JSON-able dict: TLP marking definitions, the organization's identity,
    the indicators with their sightings, and a report naming the incident by its reference."""
    org = incident.organization
    identity = stix2.Identity(
        id=f"identity--{uuid.uuid5(NAMESPACE, f'organization:{org.pk}')}",
        name=org.name_en or org.name_ja,
        identity_class="organization",
        created=org.created_at,
        modified=max(org.created_at, org.updated_at),
    )
    markings = {TLP_MARKINGS[i.tlp].id: TLP_MARKINGS[i.tlp] for i in indicators}
    objects = [_stix_indicator(ind, identity.id, include_notes=include_notes) for ind in indicators]
    objects += [
        sighting
        for sighting in (_stix_sighting(ind, identity.id) for ind in indicators)
        if sighting is not None
    ]
    tail = []
    if objects:
        marking = TLP_MARKINGS[_highest_tlp(indicators)]
        markings[marking.id] = marking
        latest = max([incident.created_at, *(i.updated_at for i in indicators)])
        tail.append(
            stix2.Report(
                id=f"report--{uuid.uuid5(NAMESPACE, f'incident:{incident.pk}')}",
                created=incident.created_at,
                modified=latest,
                created_by_ref=identity.id,
                name=f"{incident.reference}: indicators",
                report_types=["threat-report"],
                published=latest,
                object_refs=[o["id"] for o in objects],
                object_marking_refs=[marking.id],
            )
        )
    head = [json.loads(m.serialize()) for m in [*markings.values(), identity]]
    return {
        "type": "bundle",
        "id": f"bundle--{uuid.uuid4()}",
        "objects": [*head, *objects, *(json.loads(o.serialize()) for o in tail)],
    }


def misp_event(
    incident: Incident, indicators: list[Indicator], *, include_notes: bool = False
) -> MISPEvent:
    event = MISPEvent()
    event.uuid = str(uuid.uuid5(NAMESPACE, f"incident:{incident.pk}"))
    event.info = f"{incident.reference}: indicators"
    event.date = timezone.localdate(incident.aware_at or incident.created_at)
    event.threat_level_id = 2  # medium
    event.analysis = 1  # ongoing
    event.distribution = 0  # this organisation only: the receiver decides to share further
    event.add_tag(f"tlp:{_highest_tlp(indicators)}")
    for ind in indicators:
        # One value, one attribute (a list of values would give a list).
        attribute = cast(
            MISPAttribute,
            event.add_attribute(
                MISP_TYPES[ind.type],
                ind.value,
                comment=ind.note if include_notes else "",
                to_ids=ind.type != IndicatorType.FILENAME,
                uuid=str(ind.uuid),
            ),
        )
        if ind.first_seen:
            attribute.first_seen = ind.first_seen
        if ind.last_seen:
            attribute.last_seen = ind.last_seen
        attribute.add_tag(f"tlp:{ind.tlp}")
    return event


# Compact JSON as UTF-8 bytes: an export of 10,000 indicators is several megabytes, read
# from the cache and sent as it is (no re-encoding per request).
def compact(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def stix_json(incident: Incident, indicators: list[Indicator], *, include_notes: bool) -> bytes:
    return compact(stix_bundle(incident, indicators, include_notes=include_notes))


def misp_json(incident: Incident, indicators: list[Indicator], *, include_notes: bool) -> bytes:
    """The event in MISP's import format ({"Event": {...}})."""
    event = json.loads(misp_event(incident, indicators, include_notes=include_notes).to_json())
    return compact({"Event": event})


BUILDERS = {"stix": stix_json, "misp": misp_json}
CACHE_SECONDS = 3600


def export(fmt: str, incident: Incident, options: ExportOptions) -> bytes:
    """The export as UTF-8 JSON, rebuilt only when what it is made of has changed.

    One aggregate query tells whether the cached text is current: the number of rows
    exported, the newest id (a row added) and the latest change (a row edited), the
    organization's last change (the identity). A deleted row changes the count.
    """
    include_red = options.include_red
    shared = Indicator.objects.filter(incident=incident).for_sharing(include_red=include_red)
    state = shared.aggregate(n=Count("pk"), top=Max("pk"), changed=Max("updated_at"))
    changed = state["changed"].timestamp() if state["changed"] else 0
    key = (
        f"scope-export:{fmt}:{incident.pk}:{int(include_red)}:{int(options.include_notes)}:"
        f"{state['n']}:{state['top']}:"
        f"{changed}:{incident.organization.updated_at.timestamp()}:{incident.reference}:"
        # The names in the export are in the request's language.
        f"{translation.get_language()}"
    )
    body = cache.get(key)
    if body is None:
        body = BUILDERS[fmt](
            incident,
            export_indicators(incident, include_red=include_red),
            include_notes=options.include_notes,
        )
        cache.set(key, body, CACHE_SECONDS)
    return body
