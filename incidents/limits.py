"""One place for the limits every form, serializer, filter and command shares.

A date outside the range is refused everywhere with the same message; that keeps year-limit
arithmetic (a deadline computed from 9999-12-31, a chart axis to year 1) from ever running.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(1970, 1, 1)
LATEST_DATE = date(2100, 12, 31)

_OUT_OF_RANGE = _("Give a date between %(earliest)s and %(latest)s.")


# A time is in range when its date is in range on the wall clock of some time zone (they
# run from UTC-12 to UTC+14): the date a person typed in Tokyo or in Honolulu is what the
# message speaks of. The rule depends on the instant alone, so a value accepted once stays
# accepted however it is read back (in UTC, in the incident's zone, in the server's).
_EARLIEST_INSTANT = datetime.combine(EARLIEST_DATE, time.min, tzinfo=UTC) - timedelta(hours=14)
_LATEST_INSTANT = datetime.combine(LATEST_DATE, time.max, tzinfo=UTC) + timedelta(hours=12)


def in_range(value: date | datetime) -> bool:
    if not isinstance(value, datetime):
        return EARLIEST_DATE <= value <= LATEST_DATE
    if value.tzinfo is None:
        return EARLIEST_DATE <= value.date() <= LATEST_DATE
    try:
        return _EARLIEST_INSTANT <= value <= _LATEST_INSTANT
    except OverflowError:  # e.g. 0001-01-01 00:00 in Tokyo has no UTC instant
        return False


def validate_in_range(value: date | datetime | None) -> None:
    """Model/form/serializer validator: refuse a date or time outside EARLIEST..LATEST."""
    if value is not None and not in_range(value):
        raise ValidationError(
            _OUT_OF_RANGE,
            code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )


# Django's own Japanese catalog renders this message as "enter some text" (何か文字を入力して
# ください), which sends a person looking for an empty field; the project's catalog, read
# first, says what is wrong. Marked here so that `make messages` keeps it.
NUL_REFUSED = _("Null characters are not allowed.")

# Text: every free text of the case record has a length sized to its use. A narrative
# (what happened, the cause, ...) is printed in documents: 20,000 characters is about ten
# pages of Japanese, far beyond any real field of the PPC form, and keeps one document
# from growing to hundreds of pages. Notes and other short texts get less.
NARRATIVE_MAX_LENGTH = 20_000
NOTE_MAX_LENGTH = 4_000
# Fields named here are short notes; every other TextField is a narrative.
NOTE_FIELDS = frozenset({"note", "filing_note", "error", "gdpr_unlikely_risk_reason"})


def apply_limits(
    *model_classes, dates: bool = True, skip_dates: frozenset[str] = frozenset()
) -> None:
    """Give every TextField of `model_classes` that has no max_length one (forms,
    serializers and full_clean then refuse longer text), and every editable date/time
    field the sane date range. Called once, explicitly, where the models are defined."""
    for model in model_classes:
        for field in model._meta.local_fields:
            if isinstance(field, models.TextField) and field.max_length is None:
                field.max_length = (
                    NOTE_MAX_LENGTH if field.name in NOTE_FIELDS else NARRATIVE_MAX_LENGTH
                )
                # Django keeps a field's own validators in `_validators` (not in the stubs).
                field._validators = [*field._validators, MaxLengthValidator(field.max_length)]  # type: ignore[attr-defined]
                field.__dict__.pop("validators", None)
            elif (
                isinstance(field, models.DateField)  # DateTimeField is one too
                and field.editable
                and field.name not in skip_dates
                and validate_in_range not in field._validators  # type: ignore[attr-defined]
            ):
                field._validators = [*field._validators, validate_in_range]  # type: ignore[attr-defined]
                field.__dict__.pop("validators", None)
