"""Checks of assets: one, a round over several assets, or a round from CSV; each moves the
asset's role as role_after says."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from incidents.models import Incident

from ..choices import AssetKind, AssetRole, CheckResult
from ..models import Asset, Check, name_key
from .imports import (
    CHECK_HEADERS,
    ImportRejected,
    ImportResult,
    RowError,
    _bulk_history,
    _choice,
    _duplicate_of,
    _messages,
    _read_csv,
    _when,
)


def role_after(role: str, results: Iterable[str]) -> str:
    """An asset's role after checks with these results (in any order): infected once any
    check finds it infected; a suspected one checked clean becomes clean; an infected one
    stays infected until someone decides (the latest check decides its state, not its role)."""
    results = set(results)
    if CheckResult.INFECTED in results:
        return AssetRole.INFECTED
    if CheckResult.CLEAN in results and role == AssetRole.SUSPECTED:
        return AssetRole.CLEAN
    return role


@transaction.atomic
def record_check(asset: Asset, *, user, **fields) -> Check:
    """Record a scan of an asset (role_after: what it does to the asset's role).

    A check is a record of a fact: it is never changed. A wrong one is corrected by
    recording a new one (the latest decides the asset's state), or deleted (delete_check)."""
    check = Check(asset=asset, recorded_by=user if user and user.pk else None, **fields)
    check.full_clean()
    check.save()
    new_role = role_after(asset.role, [check.result])
    if new_role != asset.role:
        asset.role = new_role
        asset.save(update_fields=["role", "updated_at"])
    return check


@transaction.atomic
def delete_check(check: Check, *, user) -> None:
    """A check recorded by mistake (the wrong PC): its deletion stays in its history. The
    asset's role is left as it is: the role is the record, someone decides it. The asset's
    history says which check went (a change whose reason names it), and the check's own
    history still answers through its incident (the API's checks/{id}/history/)."""
    asset = check.asset
    with translation.override(settings.LANGUAGE_CODE):  # stored: one language for all readers
        label = _("Check deleted: %(check)s (no. %(id)d)") % {"check": check, "id": check.pk}
    check.delete()
    asset._change_reason = label[:100]  # type: ignore[attr-defined]  # simple_history's
    asset.save(update_fields=["updated_at"])


def _write_checks(checks: list[Check], *, user) -> list[Check]:
    """Checks already validated, written in bulk with their history; each asset's role moved
    as one check at a time would move it (role_after)."""
    created = Check.objects.bulk_create(checks, batch_size=500)
    _bulk_history(Check, created, user)
    results: dict[int, tuple[Asset, list[str]]] = {}
    for check in checks:
        results.setdefault(check.asset.pk, (check.asset, []))[1].append(check.result)
    now = timezone.now()
    changed = []
    for asset, asset_results in results.values():
        role = role_after(asset.role, asset_results)
        if role != asset.role:
            asset.role, asset.updated_at = role, now
            changed.append(asset)
    Asset.objects.bulk_update(changed, ["role", "updated_at"], batch_size=500)
    _bulk_history(Asset, changed, user, update=True)
    return created


@transaction.atomic
def record_check_round(
    assets: Iterable[Asset], *, user, tool: str, result: str, checked_at, checked_by="", note=""
) -> list[Check]:
    """The same check of several assets at once (a round of EmoCheck over the selected PCs):
    all recorded or none. An asset already checked with this tool at this time is refused."""
    assets = list(assets)
    recorded_by = user if user and user.pk else None
    checks = [
        Check(
            asset=asset,
            tool=tool,
            result=result,
            checked_at=checked_at,
            checked_by=checked_by,
            note=note,
            recorded_by=recorded_by,
        )
        for asset in assets
    ]
    if not checks:
        raise ValidationError(_("Choose the assets to record the check for."))
    checks[0].full_clean(
        exclude=["asset", "recorded_by"], validate_unique=False, validate_constraints=False
    )
    already = sorted(
        Check.objects.filter(asset__in=assets, tool=checks[0].tool, checked_at=checked_at)
        .values_list("asset__name", flat=True)
        .distinct()
    )
    if already:
        raise ValidationError(
            {
                "checked_at": _(
                    "This check (the same tool at the same time) is already recorded for: "
                    "%(assets)s."
                )
                % {"assets": ", ".join(already)}
            }
        )
    return _write_checks(checks, user=user)


@transaction.atomic
def import_checks_csv(incident: Incident, data: str | bytes, *, user) -> ImportResult:
    """A round of checks from CSV (columns asset,tool,result,checked_at[,kind,checked_by,
    note], or their other names: CHECK_HEADERS), each row one check of one of the incident's
    assets, found by its name as assets are compared (PC-001 is pc-001); a name two kinds of
    asset share needs the kind column. A time without its zone is in the incident's.

    All rows or none. A check already recorded with the same result (the same file imported
    twice) is counted as merged; with another result it is an error, like the same check
    twice in the file.
    """
    rows = _read_csv(data, ["asset", "tool", "result", "checked_at"], CHECK_HEADERS)
    by_name: dict[str, list[Asset]] = {}
    for recorded_asset in Asset.objects.filter(incident=incident):
        by_name.setdefault(name_key(recorded_asset.name), []).append(recorded_asset)
    tools = {row.get("tool", "") for _number, row in rows}
    recorded = {
        (asset_id, tool, when): result
        for asset_id, tool, when, result in Check.objects.filter(
            asset__incident=incident, tool__in=tools
        ).values_list("asset_id", "tool", "checked_at", "result")
    }
    tz = incident.tzinfo
    recorded_by = user if user and user.pk else None
    result = ImportResult(rows=len(rows))
    errors: list[RowError] = []
    new: list[Check] = []
    seen: dict[tuple, int] = {}
    for number, row in rows:
        row_errors: dict[str, list[str]] = {}
        asset = _asset_of(row, by_name, row_errors)
        check = Check(
            asset=asset,
            tool=row.get("tool", ""),
            result=_choice(row.get("result", ""), CheckResult),
            checked_by=row.get("checked_by", ""),
            note=row.get("note", ""),
            recorded_by=recorded_by,
        )
        checked_at = _when(row.get("checked_at", ""), "checked_at", row_errors, tz)
        if checked_at is not None:
            check.checked_at = checked_at
        elif "checked_at" not in row_errors:
            row_errors["checked_at"] = [_("This field is required.")]
        try:
            check.full_clean(  # the user importing needs no look-up per row
                exclude=["asset", "recorded_by", *row_errors],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            row_errors.update(_messages(exc))
        if row_errors or asset is None:
            errors.append(RowError(number, row_errors))
            continue
        key = (asset.pk, check.tool, check.checked_at)
        if key in seen:
            errors.append(RowError(number, {"checked_at": [_duplicate_of(seen[key])]}))
            continue
        seen[key] = number
        if key in recorded:
            if recorded[key] != check.result:
                errors.append(
                    RowError(
                        number,
                        {
                            "result": [
                                _(
                                    "This check (the same tool at the same time) is already "
                                    "recorded for this asset, with the result “%(result)s”."
                                )
                                % {"result": CheckResult(recorded[key]).label}
                            ]
                        },
                    )
                )
            else:
                result.merged += 1
            continue
        new.append(check)
    if errors:
        raise ImportRejected(errors)
    result.created = len(_write_checks(new, user=user))
    return result


def _asset_of(row: dict, by_name: dict[str, list[Asset]], errors: dict) -> Asset | None:
    name = row.get("asset", "")
    if not name:
        errors["asset"] = [_("This field is required.")]
        return None
    found = by_name.get(name_key(name), [])
    if row.get("kind"):
        kind = _choice(row["kind"], AssetKind)
        if kind not in AssetKind.values:
            errors["kind"] = [
                _("Choose one of: %(kinds)s.") % {"kinds": ", ".join(AssetKind.values)}
            ]
            return None
        found = [a for a in found if a.kind == kind]
    if not found:
        errors["asset"] = [
            _("No asset named “%(name)s” is recorded for this incident.") % {"name": name}
        ]
        return None
    if len(found) > 1:
        errors["asset"] = [
            _("Several assets are named “%(name)s” (%(kinds)s): add a kind column.")
            % {"name": name, "kinds": ", ".join(str(a.get_kind_display()) for a in found)}
        ]
        return None
    return found[0]
