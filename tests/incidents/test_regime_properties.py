"""Properties of the deadline rules over many random moments, each checked against an
independent calendar (the `holidays` library, while the engine uses jpholiday)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.regimes import Facts, add_months
from tests.conftest import jst
from tests.helpers import obligation

TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")
END_OF_DAY = time(23, 59, 59, 999999)

JAPAN_HOLIDAYS = holidays.country_holidays("JP", years=range(2000, 2081))
US_HOLIDAYS = holidays.country_holidays("US", years=range(2000, 2081))

ZONES = st.sampled_from(["Asia/Tokyo", "UTC", "Europe/Paris", "America/New_York"])
MOMENTS = st.builds(
    lambda naive, zone: naive.replace(tzinfo=ZoneInfo(zone)),
    st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2079, 12, 31)),
    ZONES,
)
PROPERTIES = settings(max_examples=200, deadline=None)


def independent_japan_closed(day: date) -> bool:
    return (
        day.weekday() >= 5
        or day in JAPAN_HOLIDAYS
        or (day.month, day.day) >= (12, 29)
        or (day.month, day.day) <= (1, 3)
    )


@PROPERTIES
@given(aware_at=MOMENTS, wrongful=st.booleans())
def test_property_japanese_final_deadline_is_the_first_open_day(
    aware_at: datetime, wrongful: bool
) -> None:
    spec = obligation(Facts(aware_at, sensitive=True, wrongful_purpose=wrongful), "appi", "final")
    assert spec.due_at is not None
    due = spec.due_at.astimezone(TOKYO)
    nominal = aware_at.astimezone(TOKYO).date() + timedelta(days=(59 if wrongful else 29))

    assert due > aware_at
    assert due.time() == END_OF_DAY
    assert not independent_japan_closed(due.date())
    assert due.date() >= nominal
    skipped = [nominal + timedelta(days=n) for n in range((due.date() - nominal).days)]
    assert all(independent_japan_closed(day) for day in skipped)


@PROPERTIES
@given(aware_at=MOMENTS)
def test_property_60_day_deadline_never_earlier_than_30_day(aware_at: datetime) -> None:
    thirty = obligation(Facts(aware_at, financial=True), "appi", "final").due_at
    sixty = obligation(Facts(aware_at, wrongful_purpose=True), "appi", "final").due_at

    assert thirty is not None
    assert sixty is not None
    assert sixty > thirty


@PROPERTIES
@given(aware_at=MOMENTS, regime=st.sampled_from(["gdpr", "uk-gdpr"]))
def test_property_gdpr_due_exactly_72_hours_later_in_utc(aware_at: datetime, regime: str) -> None:
    facts = Facts(aware_at, tz=str(aware_at.tzinfo), regimes=frozenset({regime}))
    spec = obligation(facts, regime, "authority")

    assert spec.due_at is not None
    assert spec.due_at.astimezone(UTC) - aware_at.astimezone(UTC) == timedelta(hours=72)


@PROPERTIES
@given(determined=st.dates(min_value=date(2001, 1, 1), max_value=date(2079, 12, 1)))
def test_property_sec_due_on_the_fourth_business_day(determined: date) -> None:
    facts = Facts(jst(2001, 1, 1), regimes=frozenset({"sec"}), materiality_determined=determined)
    spec = obligation(facts, "sec", "8-k")
    assert spec.due_at is not None
    due = spec.due_at.astimezone(NEW_YORK)

    def business(day: date) -> bool:
        return day.weekday() < 5 and day not in US_HOLIDAYS

    days = [determined + timedelta(days=n) for n in range(1, (due.date() - determined).days + 1)]
    assert due.time() == time(17, 30)
    assert business(due.date())
    assert sum(business(day) for day in days) == 4


@PROPERTIES
@given(aware_at=MOMENTS)
def test_property_hipaa_individuals_60_calendar_days_in_incident_zone(aware_at: datetime) -> None:
    zone = aware_at.tzinfo
    facts = Facts(aware_at, tz=str(zone), regimes=frozenset({"hipaa"}))
    spec = obligation(facts, "hipaa", "individuals")
    assert spec.due_at is not None
    due = spec.due_at.astimezone(zone)

    assert due.date() - aware_at.date() == timedelta(days=60)
    assert due.time() == END_OF_DAY


@PROPERTIES
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 11, 30)))
def test_property_add_one_month_clamps_to_the_months_end(day: date) -> None:
    later = add_months(day, 1)

    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == 1
    assert later.day == day.day or (later.day < day.day and (later + timedelta(days=1)).day == 1)
