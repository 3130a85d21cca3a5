"""Dates as the documents write them: the Japanese era in Japanese, the month spelt out in
English. Pure."""

from datetime import date, datetime, timedelta

# Eras of the Japanese calendar, newest first: (first day, name). Python's own datetime
# knows no era and ICU (PyICU) is a large native dependency for three rows; the table is
# tested at every boundary (tests/reporting/test_context.py).
ERAS = [
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
]

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def wareki(day: date) -> str:
    """A date in the Japanese era: 令和4年2月3日; the first year of an era is 元年."""
    for start, name in ERAS:
        if day >= start:
            year = day.year - start.year + 1
            year_text = "元" if year == 1 else str(year)
            return f"{name}{year_text}年{day.month}月{day.day}日"
    return f"{day.year}年{day.month}月{day.day}日"


def format_date(day: date | None, language: str) -> str | None:
    if day is None:
        return None
    if language == "ja":
        return wareki(day)
    return f"{MONTHS_EN[day.month - 1]} {day.day}, {day.year}"


# Japanese documents write a time without its zone when it is Japan's (JST, UTC+9:00, as the
# forms do); a case kept in another zone spells its offset out after the time.
JST_OFFSET = timedelta(hours=9)


def offset_ja(moment: datetime) -> str:
    """ "" for a time in JST; else its offset from UTC, as (UTC+4:30) or (UTC-5:00)."""
    offset = moment.utcoffset()
    if offset is None or offset == JST_OFFSET:
        return ""
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"(UTC{sign}{minutes // 60}:{minutes % 60:02d})"


def format_datetime(moment: datetime | None, language: str) -> str | None:
    if moment is None:
        return None
    day = format_date(moment.date(), language)
    if language == "ja":
        return f"{day} {moment.hour}時{moment.minute:02d}分{offset_ja(moment)}"
    return f"{day}, {moment:%H:%M} {moment.tzname() or ''}".rstrip()


def format_month_day(day: date, language: str) -> str:
    """As the founding report's timeline writes it: 2月 3日, 4月19日."""
    if language == "ja":
        return f"{day.month}月{day.day:>2}日"
    return f"{MONTHS_EN[day.month - 1]} {day.day}"
