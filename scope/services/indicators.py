"""Indicators: written one at a time (admin, API) or imported from CSV; an import merges a
value already recorded (or repeated) into one row (_write_indicators, shared with STIX)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import Incident

from ..choices import TLP, IndicatorSource, IndicatorType
from ..models import Indicator
from .imports import (
    INDICATOR_HEADERS,
    ImportRejected,
    ImportResult,
    RowError,
    _bulk_history,
    _choice,
    _messages,
    _read_csv,
    _when,
)


@transaction.atomic
def save_indicator(indicator: Indicator, *, user, assets=None, milestones=None) -> Indicator:
    """Create or change an indicator. Linked assets and milestones must be the incident's."""
    indicator.full_clean()
    errors = {}
    if assets is not None and any(a.incident_id != indicator.incident_id for a in assets):
        errors["assets"] = [_("This asset belongs to another incident.")]
    if milestones is not None and any(m.incident_id != indicator.incident_id for m in milestones):
        errors["milestones"] = [_("This milestone belongs to another incident.")]
    if errors:
        raise ValidationError(errors)
    indicator.save()
    if assets is not None:
        indicator.assets.set(assets)
    if milestones is not None:
        indicator.milestones.set(milestones)
    return indicator


def create_indicator(*, incident: Incident, user, assets=None, milestones=None, **fields):
    return save_indicator(
        Indicator(incident=incident, **fields), user=user, assets=assets, milestones=milestones
    )


@transaction.atomic
def delete_indicator(indicator: Indicator, *, user) -> None:
    indicator.delete()


_TRUE = {"1", "true", "yes", "y", "x", "はい", "公開"}


@dataclass
class _Candidate:
    row: int
    indicator: Indicator


# TLP levels from the least to the most restricted.
TLP_STRICTNESS: list[str] = [TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.RED]


def _merge_into(target: Indicator, other: Indicator, kept_public: list[str]) -> bool:
    """Widen target's seen window by other's and keep the stricter TLP marking (a value a
    source marks RED never leaves as CLEAR because it was recorded before); True if it
    changed.

    Except for a value the organisation made public (a spoofed sender customers are warned
    of): it stays public and TLP:CLEAR, and its value is added to kept_public. It is already
    in the public documents; a vendor's marking of its own feed does not take the warning
    back unseen. Whoever imports is told, and decides."""
    changed = False
    levels = TLP_STRICTNESS
    if (
        other.tlp in levels
        and target.tlp in levels
        and levels.index(other.tlp) > levels.index(target.tlp)
    ):
        if target.public:
            if target.value not in kept_public:
                kept_public.append(target.value)
        else:
            target.tlp, changed = other.tlp, True
    if other.first_seen and (not target.first_seen or other.first_seen < target.first_seen):
        target.first_seen, changed = other.first_seen, True
    if other.last_seen and (not target.last_seen or other.last_seen > target.last_seen):
        target.last_seen, changed = other.last_seen, True
    return changed


def _key(kind: str, value: str) -> tuple[str, str]:
    """How an import compares values: file names ignoring case, as Windows does."""
    return (kind, value.casefold() if kind == IndicatorType.FILENAME else value)


def _write_indicators(
    incident: Incident, candidates: list[_Candidate], errors: list[RowError], *, user
) -> ImportResult:
    """De-duplicate candidates among themselves and against the record, then write.

    A value already recorded keeps its row; its first/last seen widen to cover both.
    """
    if errors:
        raise ImportRejected(errors)
    result = ImportResult(rows=len(candidates))
    unique: dict[tuple[str, str], Indicator] = {}
    for candidate in candidates:
        ind = candidate.indicator
        key = _key(ind.type, ind.value)
        if key in unique:
            _merge_into(unique[key], ind, result.kept_public)
            result.merged += 1
        else:
            unique[key] = ind
    existing = {}
    values_by_type: dict[str, list[str]] = {}
    for candidate_ind in unique.values():
        values_by_type.setdefault(candidate_ind.type, []).append(candidate_ind.value)
    for kind, values in values_by_type.items():
        if kind == IndicatorType.FILENAME:  # compared ignoring case: the incident's all
            rows = Indicator.objects.filter(incident=incident, type=kind)
            for row in rows:
                existing[_key(row.type, row.value)] = row
            continue
        for start in range(0, len(values), 500):
            for row in Indicator.objects.filter(
                incident=incident, type=kind, value__in=values[start : start + 500]
            ):
                existing[_key(row.type, row.value)] = row
    new, changed = [], []
    for key, ind in unique.items():
        if key in existing:
            result.merged += 1
            if _merge_into(existing[key], ind, result.kept_public):
                changed.append(existing[key])
        else:
            new.append(ind)
    now = timezone.now()
    for ind in new:
        ind.created_at = ind.updated_at = now
    created = Indicator.objects.bulk_create(new, batch_size=500)
    _bulk_history(Indicator, created, user)
    for ind in changed:
        ind.save(update_fields=["first_seen", "last_seen", "tlp", "public", "updated_at"])
    result.created = len(created)
    result.ids = [i.pk for i in created if i.pk]
    return result


@transaction.atomic
def import_indicators_csv(incident: Incident, data: str | bytes, *, user) -> ImportResult:
    """Indicators from CSV (columns type,value[,tlp,first_seen,last_seen,source,
    source_detail,public,note], or their other names: INDICATOR_HEADERS); values normalised,
    duplicates merged."""
    rows = _read_csv(data, ["type", "value"], INDICATOR_HEADERS)
    candidates, errors = [], []
    for number, row in rows:
        row_errors: dict[str, list[str]] = {}
        first_seen = _when(row.get("first_seen", ""), "first_seen", row_errors, incident.tzinfo)
        last_seen = _when(row.get("last_seen", ""), "last_seen", row_errors, incident.tzinfo)
        tlp = row.get("tlp", "").lower().removeprefix("tlp:") or TLP.AMBER
        if tlp == "white":
            tlp = TLP.CLEAR
        indicator = Indicator(
            incident=incident,
            type=_choice(row.get("type", ""), IndicatorType),
            value=row.get("value", ""),
            tlp=tlp,
            first_seen=first_seen,
            last_seen=last_seen,
            source=_choice(row.get("source", ""), IndicatorSource) or IndicatorSource.IMPORT,
            source_detail=row.get("source_detail", ""),
            public=row.get("public", "").lower() in _TRUE,
            note=row.get("note", ""),
        )
        try:
            indicator.full_clean(
                exclude=["incident", *row_errors], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            row_errors.update(_messages(exc))
        if row_errors:
            errors.append(RowError(number, row_errors))
        else:
            candidates.append(_Candidate(number, indicator))
    return _write_indicators(incident, candidates, errors, user=user)


def public_sender_indicators(incidents: Iterable[Incident | int]) -> list[Indicator]:
    return list(
        Indicator.objects.filter(
            incident__in=incidents, public=True, type=IndicatorType.EMAIL_SENDER
        ).order_by("value")
    )
