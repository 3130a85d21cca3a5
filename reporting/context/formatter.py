"""What the builders need of a language: narratives in exactly it, dates, labels, counts."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import overload
from zoneinfo import ZoneInfo

from incidents.choices import CountQualifier

from ..dates import format_date, format_datetime
from .words import WORDS


def narrative(obj: Mapping | object, field: str, language: str) -> str:
    """The text of `field` recorded in exactly `language`, or "" when it is not recorded in it.

    `obj` is a model instance or a snapshot dict. Documents never fall back to the other
    language: an English document prints only `<field>_en`, and a gap is a gap (the readiness
    check lists it). Only a field or snapshot that has no per-language values at all (a
    snapshot taken before narratives were bilingual) gives its single value.
    """
    key = f"{field}_{language}"
    if isinstance(obj, Mapping):
        value = obj[key] if key in obj else obj.get(field)
    else:
        value = getattr(obj, key) if hasattr(obj, key) else getattr(obj, field, None)
    return value or ""


class Formatter:
    """Everything language-dependent the builders need, bound to one language and zone."""

    def __init__(self, language: str, time_zone: str, words: dict | None = None):
        self.language = language
        self.tz = ZoneInfo(time_zone)
        self.words = {**WORDS[language], **(words or {})}

    # The snapshot holds moments as ISO strings, or None where there is none yet.
    @overload
    def moment(self, value: str) -> datetime: ...
    @overload
    def moment(self, value: str | None) -> datetime | None: ...
    def moment(self, value: str | None) -> datetime | None:
        return datetime.fromisoformat(value).astimezone(self.tz) if value else None

    def datetime_with_offset(self, moment: datetime | None) -> str | None:
        """In the case's zone, with the UTC offset spelt out for a reader in another zone."""
        if moment is None:
            return None
        local = moment.astimezone(self.tz)
        offset = local.strftime("%z")
        # A Japanese time carries its offset already when it is not JST's: not twice.
        written = format_datetime(
            local.replace(tzinfo=None) if self.language == "ja" else local, self.language
        )
        return f"{written} (UTC{offset[:3]}:{offset[3:]})"

    def date(self, value: str | None) -> str | None:
        moment = self.moment(value)
        return format_date(moment.date(), self.language) if moment else None

    def datetime(self, value: str | None) -> str | None:
        return format_datetime(self.moment(value), self.language)

    def plain_date(self, value: str | None) -> str | None:
        return format_date(date.fromisoformat(value), self.language) if value else None

    def label(self, choices, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return str(choices(value).label)
        except ValueError:
            return value

    def labels(self, choices, values) -> list[str | None]:
        return [self.label(choices, v) for v in values]

    def yes_no(self, value: bool | None) -> str:
        if value is None:
            return self.words["unknown"]
        return self.words["yes"] if value else self.words["no"]

    def people(self, count: int | None, qualifier: str) -> str:
        if count is None or qualifier == CountQualifier.UNKNOWN:
            return self.words["unknown"]
        number = f"{count:,}"
        keys: dict[str, str] = {
            CountQualifier.ESTIMATED: "people_estimated",
            CountQualifier.UP_TO: "people_up_to",
        }
        key = keys.get(qualifier, "people")
        return self.words[key].format(n=number)

    def join(self, items) -> str:
        return self.words["list_separator"].join(items)
