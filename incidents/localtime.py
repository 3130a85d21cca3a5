"""Wall-clock times that do not exist or exist twice (daylight-saving gaps and overlaps).

A local time typed by a person is turned into an instant here, for the admin, the API and
the command line alike. A time skipped by a clock change, or one that a change repeats,
is refused with the instants it could mean: nothing is shifted silently.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from rest_framework import serializers

from .limits import EARLIEST_DATE, LATEST_DATE, validate_in_range


class LocalTimeError(ValueError):
    """A local time that does not name exactly one instant; the message names the choices."""


def _label(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    utc = moment.astimezone(UTC)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()} (UTC{local:%z}, {utc:%H:%M} UTC)"


def resolve_local(naive: datetime, zone: ZoneInfo) -> datetime:
    """The one instant a naive local time names in `zone`, or LocalTimeError."""
    if naive.tzinfo is not None and naive.utcoffset() is not None:
        return naive
    naive = naive.replace(tzinfo=None)
    early = naive.replace(tzinfo=zone, fold=0)
    late = naive.replace(tzinfo=zone, fold=1)
    if early.utcoffset() == late.utcoffset():
        return early
    round_trip = {
        m for m in (early, late) if m.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive
    }
    if not round_trip:
        # The skipped hour: the change happens between these two readings of the time.
        low, high = sorted((early.astimezone(UTC), late.astimezone(UTC)))
        offset_before = low.astimezone(zone).utcoffset()
        change = low
        while change < high and change.astimezone(zone).utcoffset() == offset_before:
            change += timedelta(minutes=1)
        raise LocalTimeError(
            _(
                "%(time)s does not exist in %(zone)s: the clocks skip it (daylight saving "
                "time). Did you mean %(before)s or %(after)s?"
            )
            % {
                "time": f"{naive:%Y-%m-%d %H:%M}",
                "zone": zone.key,
                "before": _label(change - timedelta(minutes=1), zone),
                "after": _label(change, zone),
            }
        )
    first, second = sorted((early.astimezone(UTC), late.astimezone(UTC)))
    raise LocalTimeError(
        _(
            "%(time)s happens twice in %(zone)s (the clocks are put back): either %(first)s "
            "or %(second)s. Give the time with its UTC offset, or another time."
        )
        % {
            "time": f"{naive:%Y-%m-%d %H:%M}",
            "zone": zone.key,
            "first": _label(first, zone),
            "second": _label(second, zone),
        }
    )


class LocalSplitDateTimeField(forms.SplitDateTimeField):
    """The admin's date + time pair, read in the page's zone, refusing gaps and overlaps."""

    def clean(self, value):
        naive = self._naive(value)
        if naive is None:
            return super().clean(value)
        try:
            return resolve_local(naive, timezone.get_current_timezone())
        except LocalTimeError as error:
            raise ValidationError(str(error), code="ambiguous_or_missing_time") from None

    def _naive(self, value):
        """The date and time typed, when both parse; else let the usual errors speak."""
        if not value or not isinstance(value, list | tuple) or len(value) != 2:
            return None
        try:
            day = self.fields[0].clean(value[0])
            moment = self.fields[1].clean(value[1])
        except ValidationError:
            return None
        if day is None or moment is None:
            return None
        return datetime.combine(day, moment)


class LocalDateTimeField(serializers.DateTimeField):
    """An API time: with an offset as given; without one, in the incident's (or server's)
    zone, strictly; and within the range every input shares."""

    default_error_messages = {
        **serializers.DateTimeField.default_error_messages,
        # The range's one message (incidents.limits), in the reader's language.
        "overflow": lazy(
            lambda: (
                _("Give a date between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}
            ),
            str,
        )(),
    }

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        try:
            validate_in_range(moment)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages, code="invalid") from None
        return moment

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            try:
                zone = getattr(self, "timezone", None) or self.default_timezone()
                value = resolve_local(value, zone or timezone.get_current_timezone())
            except LocalTimeError as error:
                raise serializers.ValidationError(str(error), code="invalid") from None
        return super().enforce_timezone(value)
