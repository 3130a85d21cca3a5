"""The one way a date-time is written on the admin's pages, in Japanese and in English:
`2022-02-03 10:00 JST` (ISO date, 24-hour clock, the zone's abbreviation), and a date
alone as `2022-02-03`.

It reads the same in both languages, sorts as text, and names the zone: a time of a case is
the incident's (its own zone), a time of the system (a login, a record's creation) the
page's. Django's DATETIME_FORMAT is this format too (config/formats), so the admin's own
columns, read-only fields and history show it without code of their own.
"""

from datetime import datetime, tzinfo

from django.utils import dateformat, timezone

# Django's date-format letters: Y-m-d H:i and the zone's name (T). A date alone is the
# same date (2022-02-03): a check's day on a list reads as its time on the asset's page.
DATETIME_FORMAT = "Y-m-d H:i T"
DATE_FORMAT = "Y-m-d"
EMPTY = "—"


def format_datetime(moment: datetime | None, zone: tzinfo | None = None) -> str:
    """`moment` as the admin writes it, in `zone` (default: the page's zone); a dash if none."""
    if moment is None:
        return EMPTY
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment, zone)
    return dateformat.format(moment, DATETIME_FORMAT).strip()
