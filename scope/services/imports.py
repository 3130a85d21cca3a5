"""What every import shares: its limits, its refusal (ImportRejected, one RowError per bad
row), its result, and the reading of a CSV file (headers under their other names, choices
by value or label, times as a spreadsheet writes them).
"""

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

MAX_IMPORT_ROWS = 20_000
MAX_IMPORT_BYTES = 10 * 1024 * 1024


class ImportRejected(Exception):
    """The import was refused; nothing was written. ``errors`` lists each bad row."""

    api_status = 400

    def __init__(self, errors: list["RowError"], *, objects: bool = False):
        """objects: the errors are of a STIX bundle's objects, which has no rows."""
        self.errors = errors
        if objects:
            message = _("Nothing was imported: %(count)d object(s) of the bundle have errors.")
        else:
            message = _("Nothing was imported: %(count)d row(s) have errors.")
        super().__init__(message % {"count": len(errors)})


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
    # Public values (listed for customers) the file marks stricter than TLP:CLEAR: kept
    # public, named here for someone to decide (services.indicators._merge_into).
    kept_public: list[str] = field(default_factory=list)
    # What was read and left aside (a STIX indicator in another pattern language), each
    # saying where and why.
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "merged": self.merged,
            "kept_public": self.kept_public,
            "skipped": self.skipped,
        }


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in msgs] for name, msgs in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


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


# How the files most often sent instead of a CSV begin: xlsx/docx/zip, xls/doc, PDF, PNG,
# JPEG, GIF.
_BINARY_MAGIC = ("PK\x03\x04", "\xd0\xcf\x11\xe0", "%PDF", "\x89PNG", "\xff\xd8\xff", "GIF8")


def _looks_binary(head: str | bytes) -> bool:
    """A file's first bytes say it is not text: a known binary format's signature, or
    control characters throughout (a stray one in a text file stays that row's error)."""
    text = head.decode("latin-1") if isinstance(head, bytes) else head
    if text.startswith(_BINARY_MAGIC):
        return True
    control = sum(1 for c in text if ord(c) < 32 and c not in "\t\r\n\f\v")
    return control >= 8 and control * 20 >= len(text)


def _read_csv(
    data: str | bytes, required: list[str], headers: dict[str, list[str]]
) -> list[tuple[int, dict]]:
    # A spreadsheet, an archive or an image uploaded as CSV has control characters a text
    # file never has: say so, rather than that its encoding is wrong or its columns missing.
    if _looks_binary(data[:4096]):
        raise ImportRejected(
            [
                RowError(
                    0,
                    {
                        "file": [
                            _(
                                "This is not a CSV text file (it looks like a spreadsheet, "
                                "an archive or another binary file). Save it as CSV and "
                                "upload that."
                            )
                        ]
                    },
                )
            ]
        )
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
