"""Indicators from a STIX 2.1 bundle (stix2 is imported only when one is read)."""

import json
import re
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from incidents.models import Incident

from ..choices import TLP, IndicatorSource, IndicatorType
from ..models import Indicator
from .imports import MAX_IMPORT_BYTES, ImportRejected, ImportResult, RowError, _messages
from .indicators import _Candidate, _write_indicators

# (object type, property path) in a STIX pattern -> our type
_PATTERN_PATHS: dict[tuple[str, str], str] = {
    ("email-message", "from_ref.value"): IndicatorType.EMAIL_SENDER,
    ("email-message", "sender_ref.value"): IndicatorType.EMAIL_SENDER,
    ("email-addr", "value"): IndicatorType.EMAIL_SENDER,
    ("domain-name", "value"): IndicatorType.DOMAIN,
    ("url", "value"): IndicatorType.URL,
    ("ipv4-addr", "value"): IndicatorType.IPV4,
    ("ipv6-addr", "value"): IndicatorType.IPV6,
    ("file", "hashes.'sha-256'"): IndicatorType.SHA256,
    ("file", "hashes.sha256"): IndicatorType.SHA256,
    ("file", "hashes.md5"): IndicatorType.MD5,
    ("file", "name"): IndicatorType.FILENAME,
}
_COMPARISON = re.compile(r"([a-z0-9-]+):([A-Za-z0-9_.'\-]+)\s*=\s*'((?:[^'\\]|\\.)*)'")


def _tlp_of(obj) -> str:
    from ..exports import TLP_OF_MARKING

    levels = {
        TLP_OF_MARKING[ref] for ref in obj.get("object_marking_refs") or [] if ref in TLP_OF_MARKING
    }
    order = [TLP.RED, TLP.AMBER, TLP.GREEN, TLP.CLEAR]
    for tlp in order:  # two levels on one object: the stricter one holds
        if tlp in levels:
            return tlp
    return TLP.AMBER  # unmarked: not known to be shareable


def _stix_time(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return parse_datetime(str(value))


def stix_problem(exc: Exception) -> str:
    """What is wrong with a STIX object, in the user's language, with the stix2 library's
    own (English) text after it as the technical detail."""
    from stix2 import exceptions as e

    names = ", ".join(getattr(exc, "properties", None) or [])
    prop = getattr(exc, "prop_name", "")
    if isinstance(exc, json.JSONDecodeError):
        problem = _("The file is not JSON")
    elif isinstance(exc, e.InvalidValueError):
        problem = _("The property “%(name)s” has a value STIX 2.1 does not allow") % {"name": prop}
    elif isinstance(exc, e.InvalidObjRefError):
        problem = _("The property “%(name)s” refers to an object that is not valid") % {
            "name": prop
        }
    elif isinstance(exc, e.MissingPropertiesError):
        problem = _("Required properties are missing: %(names)s") % {"names": names}
    elif isinstance(exc, e.ExtraPropertiesError):
        problem = _("Properties this type of object does not have: %(names)s") % {"names": names}
    elif isinstance(exc, e.MutuallyExclusivePropertiesError):
        problem = _("These properties cannot be given together: %(names)s") % {"names": names}
    elif isinstance(exc, e.AtLeastOnePropertyError):
        problem = _("At least one of these properties is needed: %(names)s") % {"names": names}
    elif isinstance(exc, e.DependentPropertiesError):
        problem = _("A property is given without the one it depends on")
    elif isinstance(exc, e.ParseError):
        problem = _("The object cannot be read as STIX 2.1")
    else:
        problem = _("The object is not valid STIX 2.1")
    return _("%(problem)s (detail: %(detail)s)") % {"problem": problem, "detail": exc}


def stix_pattern_values(pattern: str) -> list[tuple[str, str]]:
    """(type, value) of each equality comparison we understand in a STIX pattern."""
    found: list[tuple[str, str]] = []
    for obj_type, path, value in _COMPARISON.findall(pattern):
        kind = _PATTERN_PATHS.get((obj_type, path.lower()))
        if kind:
            found.append((kind, value.replace("\\'", "'").replace("\\\\", "\\")))
    return found


@transaction.atomic
def import_stix_bundle(incident: Incident, data: str | bytes | dict, *, user) -> ImportResult:
    """Indicators from a STIX 2.1 bundle: each Indicator's pattern (equality comparisons on
    addresses, domains, URLs, hashes, file names), TLP from its standard marking (TLP 2.0 or
    1.0), first/last seen from the bundle's Sightings of it (the earliest first_seen, the
    latest last_seen; none, not known). valid_from is when an indicator became valid, not
    when it was seen: it is not read, so our own export comes back unchanged."""
    import stix2
    from stix2.exceptions import STIXError

    def refuse(message) -> ImportRejected:
        if isinstance(message, Exception):
            message = stix_problem(message)
        return ImportRejected(
            [RowError(0, {"bundle": [_("Not a valid STIX 2.1 bundle: %(e)s") % {"e": message}]})],
            objects=True,
        )

    try:
        if isinstance(data, bytes | str):
            if len(data) > MAX_IMPORT_BYTES:
                raise ImportRejected(
                    [RowError(0, {"file": [_("The file is too large.")]})], objects=True
                )
            data = json.loads(data)
        if not isinstance(data, dict) or data.get("type") != "bundle":
            raise refuse(_("the top level is not a bundle"))
        objects = data.get("objects") or []
        if not isinstance(objects, list) or not all(
            isinstance(o, dict) and isinstance(o.get("type"), str) and isinstance(o.get("id"), str)
            for o in objects
        ):
            raise refuse(_("every object needs a type and an id"))
        # Objects we do not read (custom ones included) pass; indicators are checked in full.
        stix2.parse({**data, "objects": []}, allow_custom=True, version="2.1")
    except RecursionError as exc:  # nested beyond any bundle's need
        raise refuse(_("nested too deeply")) from exc
    except (ValueError, STIXError) as exc:
        raise refuse(exc) from exc
    candidates, errors = [], []
    skipped: list[str] = []
    seen: dict[str, tuple[datetime | None, datetime | None]] = {}
    for number, raw in enumerate(objects, start=1):
        if raw["type"] != "sighting":
            continue
        try:
            sighting = stix2.parse(raw, allow_custom=True, version="2.1")
        except RecursionError:
            errors.append(RowError(number, {"sighting": [_("nested too deeply")]}))
            continue
        except (ValueError, STIXError) as exc:
            errors.append(RowError(number, {"sighting": [stix_problem(exc)]}))
            continue
        first, last = seen.get(sighting["sighting_of_ref"], (None, None))
        new_first = _stix_time(sighting.get("first_seen"))
        new_last = _stix_time(sighting.get("last_seen"))
        seen[sighting["sighting_of_ref"]] = (
            min(filter(None, [first, new_first]), default=None),
            max(filter(None, [last, new_last]), default=None),
        )
    for number, raw in enumerate(objects, start=1):
        if raw["type"] != "indicator":
            continue
        try:
            obj = stix2.parse(raw, allow_custom=True, version="2.1")
        except RecursionError:
            errors.append(RowError(number, {"indicator": [_("nested too deeply")]}))
            continue
        except (ValueError, STIXError) as exc:
            errors.append(RowError(number, {"indicator": [stix_problem(exc)]}))
            continue
        if obj.get("pattern_type") != "stix":
            skipped.append(
                _(
                    "Object no. %(n)d: its pattern is in %(language)s; only STIX patterns "
                    "are read, so it was skipped."
                )
                % {"n": number, "language": obj.get("pattern_type")}
            )
            continue
        pairs = stix_pattern_values(obj["pattern"])
        if not pairs:
            errors.append(
                RowError(
                    number,
                    {
                        "pattern": [
                            _("No comparison this import understands: %(p)s")
                            % {"p": obj["pattern"]}
                        ]
                    },
                )
            )
            continue
        first_seen, last_seen = seen.get(obj["id"], (None, None))
        for kind, value in pairs:
            indicator = Indicator(
                incident=incident,
                type=kind,
                value=value,
                tlp=_tlp_of(obj),
                first_seen=first_seen,
                last_seen=last_seen,
                source=IndicatorSource.IMPORT,
                source_detail=str(obj.get("name") or obj.get("id"))[:300],
                note=str(obj.get("description") or ""),
            )
            try:
                indicator.full_clean(
                    exclude=["incident"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as exc:
                errors.append(RowError(number, _messages(exc)))
            else:
                candidates.append(_Candidate(number, indicator))
    try:
        result = _write_indicators(incident, candidates, errors, user=user)
    except ImportRejected as exc:
        raise ImportRejected(exc.errors, objects=True) from None
    result.skipped = skipped
    return result
