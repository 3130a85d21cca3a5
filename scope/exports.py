"""An incident's indicators as a STIX 2.1 bundle (stix2) and as a MISP event (PyMISP, offline).

Both are meant for sharing: TLP:RED indicators are left out unless the caller asks for them
(and is allowed to). Exports name the incident by its reference only: titles and notes of the
case stay in the case record; the indicator's own note is carried as its description.
"""

import json
import uuid
from collections.abc import Iterable

import stix2
from django.utils import timezone
from pymisp import MISPEvent

from incidents.models import Incident

from .choices import TLP, IndicatorType
from .models import Indicator

# A fixed namespace: the same incident and indicator always get the same STIX/MISP ids.
NAMESPACE = uuid.UUID("5d0c2f0e-7f3c-4c1e-9d52-7a61a5c0e514")

TLP_MARKINGS = {
    TLP.CLEAR: stix2.TLP_WHITE,
    TLP.GREEN: stix2.TLP_GREEN,
    TLP.AMBER: stix2.TLP_AMBER,
    TLP.RED: stix2.TLP_RED,
}
TLP_ORDER = [TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.RED]

STIX_PATTERNS = {
    IndicatorType.EMAIL_SENDER: "[email-message:from_ref.value = '{}']",
    IndicatorType.DOMAIN: "[domain-name:value = '{}']",
    IndicatorType.URL: "[url:value = '{}']",
    IndicatorType.IPV4: "[ipv4-addr:value = '{}']",
    IndicatorType.IPV6: "[ipv6-addr:value = '{}']",
    IndicatorType.SHA256: "[file:hashes.'SHA-256' = '{}']",
    IndicatorType.MD5: "[file:hashes.MD5 = '{}']",
    IndicatorType.FILENAME: "[file:name = '{}']",
}

MISP_TYPES = {
    IndicatorType.EMAIL_SENDER: "email-src",
    IndicatorType.DOMAIN: "domain",
    IndicatorType.URL: "url",
    IndicatorType.IPV4: "ip-dst",
    IndicatorType.IPV6: "ip-dst",
    IndicatorType.SHA256: "sha256",
    IndicatorType.MD5: "md5",
    IndicatorType.FILENAME: "filename",
}


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


def stix_bundle(incident: Incident, indicators: list[Indicator]) -> stix2.Bundle:
    org = incident.organization
    identity = stix2.Identity(
        id=f"identity--{uuid.uuid5(NAMESPACE, f'organization:{org.pk}')}",
        name=org.name_en or org.name_ja,
        identity_class="organization",
        created=org.created_at,
        modified=org.created_at,
    )
    objects: list = [identity]
    used_markings = {}
    stix_indicators = []
    for ind in indicators:
        marking = TLP_MARKINGS[ind.tlp]
        used_markings[marking.id] = marking
        valid_from = ind.first_seen or ind.created_at
        valid_until = ind.last_seen if ind.last_seen and ind.last_seen > valid_from else None
        stix_indicators.append(
            stix2.Indicator(
                id=f"indicator--{ind.uuid}",
                created=ind.created_at,
                modified=max(ind.updated_at, ind.created_at),
                created_by_ref=identity.id,
                name=f"{ind.get_type_display()}: {ind.value}",
                description=ind.note or None,
                indicator_types=["malicious-activity"],
                pattern=STIX_PATTERNS[ind.type].format(_stix_string(ind.value)),
                pattern_type="stix",
                valid_from=valid_from,
                valid_until=valid_until,
                object_marking_refs=[marking.id],
                allow_custom=False,
            )
        )
    objects.extend(stix_indicators)
    if stix_indicators:
        marking = TLP_MARKINGS[_highest_tlp(indicators)]
        used_markings[marking.id] = marking
        objects.append(
            stix2.Report(
                id=f"report--{uuid.uuid5(NAMESPACE, f'incident:{incident.pk}')}",
                created=incident.created_at,
                modified=max([incident.created_at, *(i.updated_at for i in indicators)]),
                created_by_ref=identity.id,
                name=f"{incident.reference}: indicators",
                report_types=["threat-report"],
                published=timezone.now(),
                object_refs=[i.id for i in stix_indicators],
                object_marking_refs=[marking.id],
            )
        )
    return stix2.Bundle(*used_markings.values(), *objects)


def misp_event(incident: Incident, indicators: list[Indicator]) -> MISPEvent:
    event = MISPEvent()
    event.uuid = str(uuid.uuid5(NAMESPACE, f"incident:{incident.pk}"))
    event.info = f"{incident.reference}: indicators"
    event.date = timezone.localdate(incident.aware_at or incident.created_at)
    event.threat_level_id = 2  # medium
    event.analysis = 1  # ongoing
    event.distribution = 0  # this organisation only: the receiver decides to share further
    event.add_tag(f"tlp:{_highest_tlp(indicators)}")
    for ind in indicators:
        attribute = event.add_attribute(
            MISP_TYPES[ind.type],
            ind.value,
            comment=ind.note,
            to_ids=ind.type != IndicatorType.FILENAME,
            uuid=str(ind.uuid),
        )
        if ind.first_seen:
            attribute.first_seen = ind.first_seen
        if ind.last_seen:
            attribute.last_seen = ind.last_seen
        attribute.add_tag(f"tlp:{ind.tlp}")
    return event


def stix_json(incident: Incident, indicators: list[Indicator]) -> str:
    return stix_bundle(incident, indicators).serialize(pretty=True)


def misp_json(incident: Incident, indicators: list[Indicator]) -> str:
    """The event in MISP's import format ({"Event": {...}})."""
    event = json.loads(misp_event(incident, indicators).to_json())
    return json.dumps({"Event": event}, ensure_ascii=False, indent=2)
