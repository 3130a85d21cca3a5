"""The shared calendar arithmetic: closed days, the ends of days, months."""

from __future__ import annotations

import calendar
import functools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import jpholiday


def is_japan_closed_day(day: date) -> bool:
    """Act on Holidays of Administrative Organs, Art. 1(1): weekend, national holiday
    (jpholiday, which follows the Act on National Holidays) or 29 Dec-3 Jan."""
    return (
        day.weekday() >= 5
        or (day.month == 12 and day.day >= 29)
        or (day.month == 1 and day.day <= 3)
        or jpholiday.is_holiday(day)
    )


@functools.lru_cache(maxsize=256)
def _us_federal_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("US", years=year).keys())


def is_us_business_day(day: date) -> bool:
    """SEC: a day other than Saturday, Sunday or a US federal holiday (observed dates
    included, e.g. Friday 3 July when the 4th is a Saturday)."""
    return day.weekday() < 5 and day not in _us_federal_holidays(day.year)


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of `day` in `zone`, in UTC."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The last instant of `day` in `zone` (next day's start minus 1 µs), in UTC."""
    return start_of_day(day + timedelta(days=1), zone) - timedelta(microseconds=1)


def add_months(day: date, months: int) -> date:
    """Same date `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_aware(moment: datetime) -> bool:
    return moment.tzinfo is not None and moment.utcoffset() is not None
