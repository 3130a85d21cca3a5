"""Assets: written one at a time (admin, API) or imported from an inventory CSV."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from incidents.models import Incident

from ..choices import AssetKind, AssetRole
from ..models import Asset, name_key
from .imports import (
    ASSET_HEADERS,
    ImportRejected,
    ImportResult,
    RowError,
    _bulk_history,
    _choice,
    _duplicate_of,
    _messages,
    _read_csv,
)


@transaction.atomic
def save_asset(asset: Asset, *, user) -> Asset:
    asset.full_clean()
    asset.save()
    return asset


def create_asset(*, incident: Incident, user, **fields) -> Asset:
    return save_asset(Asset(incident=incident, **fields), user=user)


class AssetHasChecks(Exception):
    """An asset with checks is part of the incident's record: it is not deleted."""

    api_status = 409


@transaction.atomic
def delete_asset(asset: Asset, *, user) -> None:
    """An asset recorded by mistake, never checked. One with checks is refused (AssetHasChecks),
    as evidence with a custody chain is: its checks are the record of what was found, and
    the progress counts it. Its role says it is out of scope instead. The indicators linked
    to it say in their history that the link went with it."""
    delete_asset_allowed(asset)
    with translation.override(settings.LANGUAGE_CODE):  # stored: one language for all readers
        reason = (_("Asset deleted: %(asset)s") % {"asset": asset})[:100]
    for indicator in asset.indicators.all():
        indicator._change_reason = reason  # type: ignore[attr-defined]  # simple_history's
        indicator.assets.remove(asset)
    asset.delete()


def delete_asset_allowed(asset: Asset) -> None:
    """AssetHasChecks if the asset has checks (delete_asset)."""
    count = asset.checks.count()
    if count:
        raise AssetHasChecks(
            _(
                "This asset has %(count)d check(s) and cannot be deleted: its checks are part "
                "of the incident's record. If it is not part of the incident, set its role to "
                "“%(role)s” instead."
            )
            % {"count": count, "role": AssetRole.OUT_OF_SCOPE.label}
        )


@transaction.atomic
def import_assets_csv(incident: Incident, data: str | bytes, *, user) -> ImportResult:
    """Assets from an inventory export (columns kind,name[,owner,role,note], or their other
    names: ASSET_HEADERS).

    An asset already recorded (same kind and name) is left as it is and counted as merged.
    The same asset twice in the file is an error on the second row: its owner or role may
    differ from the first's, and which one is right is for the person importing to say.
    """
    rows = _read_csv(data, ["kind", "name"], ASSET_HEADERS)
    existing = {
        (kind, name_key(name))
        for kind, name in Asset.objects.filter(incident=incident).values_list("kind", "name")
    }
    result = ImportResult(rows=len(rows))
    errors: list[RowError] = []
    new: list[Asset] = []
    seen: dict[tuple[str, str], int] = {}  # (kind, name_key) -> the line it is first on
    for number, row in rows:
        asset = Asset(
            incident=incident,
            kind=_choice(row.get("kind", ""), AssetKind),
            name=row.get("name", ""),
            owner=row.get("owner", ""),
            role=_choice(row.get("role", ""), AssetRole) or AssetRole.SUSPECTED,
            note=row.get("note", ""),
        )
        try:
            asset.full_clean(exclude=["incident"], validate_unique=False)
        except ValidationError as exc:
            errors.append(RowError(number, _messages(exc)))
            continue
        key = (asset.kind, name_key(asset.name))  # PC-001, pc-001 and ＰＣ-001 are one PC
        if key in seen:
            errors.append(RowError(number, {"name": [_duplicate_of(seen[key])]}))
            continue
        seen[key] = number
        if key in existing:
            result.merged += 1
            continue
        new.append(asset)
    if errors:
        raise ImportRejected(errors)
    created = Asset.objects.bulk_create(new, batch_size=500)
    _bulk_history(Asset, created, user)
    result.created = len(created)
    return result
