"""One place for the limits every form, serializer, filter and command shares.

A date outside the range is refused everywhere with the same message; that keeps year-limit
arithmetic (a deadline computed from 9999-12-31, a chart axis to year 1) from ever running.
"""

from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(2100, 12, 31)

_OUT_OF_RANGE = _("Give a date between %(earliest)s and %(latest)s.")


def _day_of(value: date | datetime) -> date:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.date()
    return value


def in_range(value: date | datetime) -> bool:
    return EARLIEST_DATE <= _day_of(value) <= LATEST_DATE


def validate_in_range(value: date | datetime | None) -> None:
    """Model/form/serializer validator: refuse a date or time outside EARLIEST..LATEST."""
    if value is not None and not in_range(value):
        raise ValidationError(
            _OUT_OF_RANGE,
            code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )
