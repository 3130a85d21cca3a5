"""Every write to an incident's scope: admin, API and commands call these.

Imports (CSV, STIX) are all or nothing: every row is checked first, and if any is bad
nothing is written and the caller gets every row's errors (ImportRejected).
"""

import csv
import functools
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from incidents.models import Incident

from .choices import TLP, AssetKind, AssetRole, CheckResult, IndicatorSource, IndicatorType
from .models import Asset, Check, Indicator, name_key

MAX_IMPORT_ROWS = 20_000
MAX_IMPORT_BYTES = 10 * 1024 * 1024


class ImportRejected(Exception):
    """The import was refused; nothing was written. ``errors`` lists each bad row."""

    api_status = 400

    def __init__(self, errors: list["RowError"]):
        self.errors = errors
        super().__init__(
            _("Nothing was imported: %(count)d row(s) have errors.") % {"count": len(errors)}
        )


@dataclass
class RowError:
    # Where: in a CSV, the line of the file the row starts on (the header is line 1); in a
    # STIX bundle, the object's position in its objects (the first is 1); 0 the whole file.
    row: int
    fields: dict[str, list[str]]

    def as_dict(self) -> dict:
        return {"row": self.row, "fields": self.fields}


@dataclass
class ImportResult:
    created: int = 0
    merged: int = 0  # already recorded (or repeated in the file): seen times merged
    rows: int = 0
    ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"rows": self.rows, "created": self.created, "merged": self.merged}


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in msgs] for name, msgs in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


# Assets and checks -----------------------------------------------------------------


@transaction.atomic
def save_asset(asset: Asset, *, user) -> Asset:
    asset.full_clean()
    asset.save()
    return asset


def create_asset(*, incident: Incident, user, **fields) -> Asset:
    return save_asset(Asset(incident=incident, **fields), user=user)


@transaction.atomic
def delete_asset(asset: Asset, *, user) -> None:
    asset.delete()


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
    asset's role is left as it is: the role is the record, someone decides it."""
    check.delete()


# The columns of each CSV: ours, then the other names a sheet may give them, the Japanese an
# inventory or a spreadsheet kept in Japanese is likely to carry first. Headers are compared
# after NFKC, case folding and spaces or hyphens read as underscores: "Checked by",
# "checked-by" and "checked_by" are one column.
_KIND = ["種別", "種類", "区分"]
_NOTE = ["メモ", "備考", "notes", "comment"]
ASSET_HEADERS: dict[str, list[str]] = {
    "kind": _KIND,
    "name": ["名前", "名称", "資産名", "ホスト名", "機器名", "hostname", "host"],
    "owner": [
        "担当",
        "担当者",
        "所有者",
        "部署",
        "利用者",
        "使用者",
        "利用者または部署",
        "department",
        "owner or department",
    ],
    "role": ["役割", "位置づけ", "インシデントでの位置づけ"],
    "note": _NOTE,
}
INDICATOR_HEADERS: dict[str, list[str]] = {
    "type": ["種類", "種別", "タイプ"],
    "value": ["値", "指標", "IOC"],
    "tlp": ["TLP"],
    "first_seen": ["初回観測", "初回確認", "初観測"],
    "last_seen": ["最終観測", "最終確認"],
    "source": ["出所", "情報源", "出典"],
    "source_detail": ["出所の詳細", "出所詳細", "出典詳細"],
    "public": ["公表対象", "公開"],
    "note": _NOTE,
}
CHECK_HEADERS: dict[str, list[str]] = {
    "asset": [
        "asset name",
        "name",
        "hostname",
        "host",
        "資産",
        "資産名",
        "名前",
        "名称",
        "ホスト名",
        "機器名",
    ],
    "kind": _KIND,
    "tool": ["ツール", "ツール名", "使用ツール"],
    "result": ["結果", "判定"],
    "checked_at": ["date", "日時", "確認日時", "実施日時", "確認日"],
    "checked_by": ["確認者", "実施者", "担当", "担当者"],
    "note": _NOTE,
}
ASSET_COLUMNS = list(ASSET_HEADERS)
INDICATOR_COLUMNS = list(INDICATOR_HEADERS)
CHECK_COLUMNS = list(CHECK_HEADERS)


def _header_key(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKC", header or "").strip().casefold())


def accepted_headers(headers: dict[str, list[str]], required: Iterable[str]) -> str:
    """The columns a CSV may have and the other names each is accepted under, for the import
    page: "kind* (種別, 種類, 区分), name* (名前, ...)"; * marks a required column."""
    return ", ".join(
        f"{column}{'*' if column in required else ''} ({', '.join(aliases)})"
        for column, aliases in headers.items()
    )


def _label_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().lower()


@functools.cache
def _choice_names(choices: type[models.TextChoices]) -> dict[str, str]:
    """Every name a choice is given by in a CSV: its value and its label in each language,
    with or without the label's parenthesis ("Error (no result)" also as "error", エラー)."""
    names = {}
    for language in [code for code, _name in settings.LANGUAGES]:
        with translation.override(language):
            for value, label in choices.choices:
                label = _label_key(str(label))
                names[label] = names[label.split("(")[0].strip()] = value
    names.update({_label_key(value): value for value in choices.values})
    return names


def _choice(value: str, choices: type[models.TextChoices]) -> str:
    """A choice by its value or its label (either language), case-insensitively; a name it
    does not know is kept, for the field's validation to refuse."""
    return _choice_names(choices).get(_label_key(value), value)


def _read_csv(
    data: str | bytes, required: list[str], headers: dict[str, list[str]]
) -> list[tuple[int, dict]]:
    if isinstance(data, bytes):
        if len(data) > MAX_IMPORT_BYTES:
            raise ImportRejected([RowError(0, {"file": [_("The file is too large.")]})])
        raw = data
        try:
            data = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                data = raw.decode("cp932")  # Excel on Japanese Windows
            except UnicodeDecodeError as exc:
                raise ImportRejected(
                    [RowError(0, {"file": [_("Save the file as UTF-8 CSV.")]})]
                ) from exc
    data = data.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(data))
    aliases = {
        _header_key(name): column for column, names in headers.items() for name in [column, *names]
    }
    header: list[str] = []
    given_as: dict[str, str] = {}
    for given in reader.fieldnames or []:
        column = aliases.get(_header_key(given), _header_key(given))
        if column in given_as:
            raise ImportRejected(
                [
                    RowError(
                        1,
                        {
                            "header": [
                                _("The columns “%(a)s” and “%(b)s” are both %(column)s.")
                                % {"a": given_as[column], "b": given.strip(), "column": column}
                            ]
                        },
                    )
                ]
            )
        given_as[column] = given.strip()
        header.append(column)
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportRejected(
            [
                RowError(
                    1,
                    {
                        "header": [
                            _("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)}
                            + " "
                            + _("Accepted columns: %(columns)s.")
                            % {"columns": accepted_headers(headers, required)}
                        ]
                    },
                )
            ]
        )
    reader.fieldnames = header
    rows: list[tuple[int, dict]] = []
    try:
        for row in reader:
            _read_row(rows, _first_line(reader.line_num, row), row)
    except csv.Error as exc:  # e.g. a field past the csv module's size limit
        unreadable = _("Not a readable CSV file: %(e)s") % {"e": exc}
        raise ImportRejected([RowError(reader.line_num, {"file": [unreadable]})]) from exc
    return rows


def _first_line(last_line: int, row: dict) -> int:
    """The line of the file a record starts on (the header is line 1), as a spreadsheet or
    an editor numbers it: blank lines are counted, and a quoted value spanning lines moves
    the records after it down. The reader only knows the line a record ends on."""
    values = [v for v in row.values() if isinstance(v, str)]
    values += [v for v in row.get(None) or [] if isinstance(v, str)]  # cells past the header
    return last_line - sum(v.count("\n") for v in values)


def _read_row(rows: list[tuple[int, dict]], number: int, row: dict) -> None:
    """One CSV row into `rows` (blank lines skipped); a refusal names the row."""
    if len(rows) >= MAX_IMPORT_ROWS:
        raise ImportRejected(
            [
                RowError(
                    number,
                    {"file": [_("At most %(n)d rows per import.") % {"n": MAX_IMPORT_ROWS}]},
                )
            ]
        )
    if not any((v or "").strip() for k, v in row.items() if k):
        return  # blank line
    nul = sorted(k for k, v in row.items() if k and "\x00" in (v or ""))
    if nul:
        raise ImportRejected(
            [RowError(number, {k: [_("NUL characters are not allowed.")] for k in nul})]
        )
    rows.append((number, {k: (v or "").strip() for k, v in row.items() if k}))


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


def _duplicate_of(line: int) -> str:
    return _("Duplicate of line %(line)d.") % {"line": line}


def _bulk_history(model, objects: list, user, *, update: bool = False) -> None:
    """bulk_create and bulk_update write no history rows by themselves; write them in bulk
    too (update: a change, else a creation)."""
    if not objects:
        return
    from simple_history.utils import get_history_manager_for_model

    history = get_history_manager_for_model(model)
    history.bulk_history_create(
        objects, batch_size=500, update=update, default_user=user if user and user.pk else None
    )


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


# Indicators ------------------------------------------------------------------------


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


def _when(value: str, name: str, errors: dict, tz) -> datetime | None:
    """A time as a spreadsheet writes it (2022-03-17T10:00+09:00, 2022-03-17 10:00,
    2022/3/17 10:00, a date alone); without its zone, in the incident's (tz)."""
    if not value:
        return None
    value = re.sub(
        r"^(\d{4})/(\d{1,2})/(\d{1,2})",
        lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}",
        value.strip(),
    )
    value = re.sub(r"(?<=[ T])(\d):", r"0\1:", value)  # 9:30 as 09:30
    try:
        parsed = parse_datetime(value)
        if parsed is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            parsed = parse_datetime(f"{value}T00:00:00")
    except ValueError:
        parsed = None
    if parsed is None:
        errors[name] = [_("Enter a date and time (2022-02-03T10:00+09:00).")]
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, tz)
    return parsed


@dataclass
class _Candidate:
    row: int
    indicator: Indicator


# TLP levels from the least to the most restricted.
TLP_STRICTNESS: list[str] = [TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.RED]


def _merge_into(target: Indicator, other: Indicator) -> bool:
    """Widen target's seen window by other's and keep the stricter TLP marking (a value a
    source marks RED never leaves as CLEAR because it was recorded before); True if it
    changed. A value no longer TLP:CLEAR is no longer public."""
    changed = False
    levels = TLP_STRICTNESS
    if (
        other.tlp in levels
        and target.tlp in levels
        and levels.index(other.tlp) > levels.index(target.tlp)
    ):
        target.tlp, changed = other.tlp, True
        if target.public:
            target.public = False
    if other.first_seen and (not target.first_seen or other.first_seen < target.first_seen):
        target.first_seen, changed = other.first_seen, True
    if other.last_seen and (not target.last_seen or other.last_seen > target.last_seen):
        target.last_seen, changed = other.last_seen, True
    return changed


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
        key = (ind.type, ind.value)
        if key in unique:
            _merge_into(unique[key], ind)
            result.merged += 1
        else:
            unique[key] = ind
    existing = {}
    values_by_type: dict[str, list[str]] = {}
    for kind, value in unique:
        values_by_type.setdefault(kind, []).append(value)
    for kind, values in values_by_type.items():
        for start in range(0, len(values), 500):
            for row in Indicator.objects.filter(
                incident=incident, type=kind, value__in=values[start : start + 500]
            ):
                existing[(row.type, row.value)] = row
    new, changed = [], []
    for key, ind in unique.items():
        if key in existing:
            result.merged += 1
            if _merge_into(existing[key], ind):
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


# STIX import ------------------------------------------------------------------------

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
    from .exports import TLP_OF_MARKING

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
            [RowError(0, {"bundle": [_("Not a valid STIX 2.1 bundle: %(e)s") % {"e": message}]})]
        )

    try:
        if isinstance(data, bytes | str):
            if len(data) > MAX_IMPORT_BYTES:
                raise ImportRejected([RowError(0, {"file": [_("The file is too large.")]})])
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
    return _write_indicators(incident, candidates, errors, user=user)


def public_sender_indicators(incidents: Iterable[Incident | int]) -> list[Indicator]:
    return list(
        Indicator.objects.filter(
            incident__in=incidents, public=True, type=IndicatorType.EMAIL_SENDER
        ).order_by("value")
    )
