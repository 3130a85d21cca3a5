"""The deadline rules, each checked against its own wording."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from incidents.regimes import (
    FACT_FLAGS,
    REGIMES,
    RULES,
    STAGES,
    Facts,
    compute_obligations,
    end_of_day,
    is_japan_closed_day,
    is_us_business_day,
    start_of_day,
)
from tests.helpers import obligation

TOKYO = ZoneInfo("Asia/Tokyo")
PARIS = ZoneInfo("Europe/Paris")
LONDON = ZoneInfo("Europe/London")
BRUSSELS = ZoneInfo("Europe/Brussels")
NEW_YORK = ZoneInfo("America/New_York")
CHICAGO = ZoneInfo("America/Chicago")
END_OF_DAY = time(23, 59, 59, 999999)


def tokyo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def local_end_of(day: str, zone: ZoneInfo) -> datetime:
    return datetime.combine(date.fromisoformat(day), END_OF_DAY, tzinfo=zone)


# --- APPI --------------------------------------------------------------------------------

APPI_FINAL_CASES = [
    # id, aware_at, facts, expected last day (Japan time)
    pytest.param(
        tokyo(2022, 2, 3, 10), {"wrongful_purpose": True}, "2022-04-04", id="60d-day60-sunday"
    ),
    pytest.param(tokyo(2022, 2, 3, 10), {"sensitive": True}, "2022-03-04", id="30d-weekday"),
    pytest.param(
        tokyo(2022, 2, 3, 10),
        {"sensitive": True, "financial": True, "wrongful_purpose": True, "over_1000": True},
        "2022-04-04",
        id="60d-wrongful-with-other-cases",
    ),
    pytest.param(
        tokyo(2023, 11, 30, 9), {"financial": True}, "2024-01-04", id="30d-into-year-end-closure"
    ),
    pytest.param(
        tokyo(2023, 10, 31, 9),
        {"wrongful_purpose": True},
        "2024-01-04",
        id="60d-into-year-end-closure",
    ),
    pytest.param(
        tokyo(2024, 11, 30, 9),
        {"persons": 1001},
        "2025-01-06",
        id="30d-closure-then-weekend",
    ),
    pytest.param(
        tokyo(2023, 4, 4, 18), {"over_1000": True}, "2023-05-08", id="30d-into-golden-week"
    ),
    pytest.param(
        # 20:00 UTC on 3 Feb is already 4 Feb in Japan: the PPC counts in Japan time.
        datetime(2022, 2, 3, 20, tzinfo=UTC),
        {"sensitive": True, "tz": "UTC"},
        "2022-03-07",
        id="30d-japan-date-of-utc-awareness",
    ),
]


@pytest.mark.parametrize(("aware_at", "flags", "last_day"), APPI_FINAL_CASES)
def test_appi_final_report_deadline(aware_at: datetime, flags: dict, last_day: str) -> None:
    spec = obligation(Facts(aware_at, **flags), "appi", "final")

    assert spec.applies
    assert spec.due_at == local_end_of(last_day, TOKYO)
    assert spec.due_at.astimezone(TOKYO).time() == END_OF_DAY


@pytest.mark.parametrize(
    ("flags", "period"),
    [
        pytest.param({"sensitive": True}, "30", id="sensitive"),
        pytest.param({"financial": True}, "30", id="financial"),
        pytest.param({"over_1000": True}, "30", id="over-1000"),
        pytest.param({"wrongful_purpose": True}, "60", id="wrongful-purpose"),
    ],
)
def test_appi_final_rule_names_its_period(flags: dict, period: str) -> None:
    with translation.override("en"):
        spec = obligation(Facts(tokyo(2022, 2, 3, 10), **flags), "appi", "final")
    assert f"{period} days" in spec.rule


APPI_PRELIMINARY_CASES = [
    # Day of awareness = day 1: due soon from the start of day 3, due at the end of day 5.
    pytest.param(tokyo(2022, 2, 3, 10), "2022-02-05", "2022-02-07", id="weekday"),
    # A yardstick, not a statutory period: a holiday on day 5 does not extend it.
    pytest.param(tokyo(2023, 5, 1, 10), "2023-05-03", "2023-05-05", id="golden-week-no-shift"),
    pytest.param(tokyo(2022, 2, 3, 23, 59), "2022-02-05", "2022-02-07", id="late-evening"),
]


@pytest.mark.parametrize(("aware_at", "soon_day", "last_day"), APPI_PRELIMINARY_CASES)
def test_appi_preliminary_report_yardstick(
    aware_at: datetime, soon_day: str, last_day: str
) -> None:
    spec = obligation(Facts(aware_at, sensitive=True), "appi", "preliminary")

    assert spec.applies
    assert spec.due_at == local_end_of(last_day, TOKYO)
    assert spec.soon_from == datetime.combine(date.fromisoformat(soon_day), time(), TOKYO)


def test_appi_preliminary_timing_day_by_day() -> None:
    spec = obligation(Facts(tokyo(2022, 2, 3, 10), sensitive=True), "appi", "preliminary")

    assert spec.timing_at(tokyo(2022, 2, 4, 23, 59)) == "upcoming"  # day 2
    assert spec.timing_at(tokyo(2022, 2, 5, 0, 0)) == "due-soon"  # day 3
    assert spec.timing_at(tokyo(2022, 2, 7, 23, 59)) == "due-soon"  # day 5
    assert spec.timing_at(tokyo(2022, 2, 8, 0, 0)) == "overdue"  # day 6


def test_appi_individuals_is_promptly_without_a_date() -> None:
    spec = obligation(Facts(tokyo(2022, 2, 3, 10), financial=True), "appi", "individuals")

    assert spec.applies
    assert spec.due_at is None
    assert spec.soon_from is None
    assert spec.timing_at(tokyo(2030, 1, 1)) == "no-deadline"


@pytest.mark.parametrize(
    "flags",
    [
        pytest.param({}, id="no-case"),
        pytest.param({"persons": 1000}, id="exactly-1000"),
        pytest.param({"high_risk": True, "significant": True}, id="other-regimes-facts"),
    ],
)
def test_appi_does_not_apply_without_an_article_7_case(flags: dict) -> None:
    specs = compute_obligations(Facts(tokyo(2022, 2, 3, 10), **flags))

    assert [(s.stage, s.applies) for s in specs] == [
        ("preliminary", False),
        ("final", False),
        ("individuals", False),
    ]
    for spec in specs:
        assert spec.due_at is None
        assert spec.reason_not_applicable


@pytest.mark.parametrize(
    ("flags", "cases"),
    [
        pytest.param({"persons": 1001}, (4,), id="count-over-1000"),
        pytest.param({"over_1000": True, "persons": None}, (4,), id="flag-count-unknown"),
        pytest.param({"sensitive": True, "wrongful_purpose": True}, (1, 3), id="two-cases"),
    ],
)
def test_appi_article_7_cases(flags: dict, cases: tuple[int, ...]) -> None:
    facts = Facts(tokyo(2022, 2, 3, 10), **flags)

    assert facts.appi_cases == cases
    assert obligation(facts, "appi", "final").applies


# --- GDPR and UK GDPR --------------------------------------------------------------------

GDPR_AUTHORITY_CASES = [
    # Clocks went forward on 26 March 2023: 72 real hours end at 13:00 Paris time.
    pytest.param(
        "gdpr",
        datetime(2023, 3, 25, 12, tzinfo=PARIS),
        datetime(2023, 3, 28, 13, tzinfo=PARIS),
        id="paris-spring-forward",
    ),
    # Clocks went back on 29 October 2023: 72 real hours end at 11:00 Paris time.
    pytest.param(
        "gdpr",
        datetime(2023, 10, 28, 12, tzinfo=PARIS),
        datetime(2023, 10, 31, 11, tzinfo=PARIS),
        id="paris-fall-back",
    ),
    pytest.param(
        "gdpr",
        datetime(2023, 6, 2, 17, tzinfo=PARIS),
        datetime(2023, 6, 5, 17, tzinfo=PARIS),
        id="over-a-weekend-no-extension",
    ),
    pytest.param(
        "uk-gdpr",
        datetime(2024, 3, 29, 9, tzinfo=LONDON),
        datetime(2024, 4, 1, 10, tzinfo=LONDON),
        id="uk-over-bst-start",
    ),
]


@pytest.mark.parametrize(("regime", "aware_at", "due_at"), GDPR_AUTHORITY_CASES)
def test_gdpr_authority_within_72_hours(regime: str, aware_at: datetime, due_at: datetime) -> None:
    facts = Facts(aware_at, tz=str(aware_at.tzinfo), regimes=frozenset({regime}))
    spec = obligation(facts, regime, "authority")

    assert spec.applies
    assert spec.due_at == due_at
    assert spec.soon_from == spec.due_at - timedelta(hours=24)
    assert spec.depends_on is None


@pytest.mark.parametrize("regime", ["gdpr", "uk-gdpr"])
def test_gdpr_authority_not_applicable_when_unlikely_to_result_in_a_risk(regime: str) -> None:
    facts = Facts(
        datetime(2023, 3, 25, 12, tzinfo=PARIS),
        regimes=frozenset({regime}),
        gdpr_unlikely_risk=True,
    )
    spec = obligation(facts, regime, "authority")

    assert not spec.applies
    assert spec.due_at is None
    assert spec.reason_not_applicable


@pytest.mark.parametrize("regime", ["gdpr", "uk-gdpr"])
@pytest.mark.parametrize("high_risk", [True, False], ids=["high-risk", "not-high-risk"])
def test_gdpr_individuals_without_undue_delay_when_high_risk(regime: str, high_risk: bool) -> None:
    facts = Facts(
        datetime(2023, 3, 25, 12, tzinfo=PARIS), regimes=frozenset({regime}), high_risk=high_risk
    )
    spec = obligation(facts, regime, "individuals")

    assert spec.applies is high_risk
    assert spec.due_at is None
    assert bool(spec.reason_not_applicable) is not high_risk


# --- NIS2 --------------------------------------------------------------------------------


def nis2_facts(**values: Any) -> Facts:
    return Facts(
        datetime(2024, 1, 30, 9, tzinfo=BRUSSELS),
        tz="Europe/Brussels",
        regimes=frozenset({"nis2"}),
        **values,
    )


@pytest.mark.parametrize(
    ("stage", "hours"),
    [pytest.param("early-warning", 24, id="24h"), pytest.param("notification", 72, id="72h")],
)
def test_nis2_hour_clocks(stage: str, hours: int) -> None:
    facts = nis2_facts(significant=True)
    spec = obligation(facts, "nis2", stage)

    assert spec.applies
    assert spec.due_at == facts.aware_at.astimezone(UTC) + timedelta(hours=hours)


@pytest.mark.parametrize(
    ("submitted", "last_day"),
    [
        pytest.param(datetime(2024, 1, 31, 16), "2024-02-29", id="jan31-leap-feb"),
        pytest.param(datetime(2023, 1, 31, 16), "2023-02-28", id="jan31-feb"),
        pytest.param(datetime(2024, 3, 15, 8), "2024-04-15", id="same-date"),
        pytest.param(datetime(2024, 12, 31, 8), "2025-01-31", id="over-year-end"),
    ],
)
def test_nis2_final_report_one_month_after_notification(submitted: datetime, last_day: str) -> None:
    facts = nis2_facts(
        significant=True, nis2_notification_submitted_at=submitted.replace(tzinfo=BRUSSELS)
    )
    spec = obligation(facts, "nis2", "final")

    assert spec.applies
    assert spec.depends_on == ("nis2", "notification")
    assert spec.due_at == local_end_of(last_day, BRUSSELS)


def test_nis2_final_report_has_no_date_until_notification_submitted() -> None:
    spec = obligation(nis2_facts(significant=True), "nis2", "final")

    assert spec.applies
    assert spec.due_at is None
    assert spec.soon_from is None
    assert spec.depends_on == ("nis2", "notification")


def test_nis2_does_not_apply_to_an_incident_that_is_not_significant() -> None:
    specs = compute_obligations(nis2_facts())

    assert [s.stage for s in specs] == [
        "early-warning",
        "notification",
        "intermediate",
        "progress",
        "final",
    ]
    assert not any(s.applies for s in specs)
    assert all(s.reason_not_applicable for s in specs)


# --- SEC ---------------------------------------------------------------------------------

SEC_CASES = [
    # Wed 27 (1), Thanksgiving, Fri 29 (2), Mon 2 Dec (3), Tue 3 Dec (4).
    pytest.param("2024-11-26", "2024-12-03", id="thanksgiving"),
    # Mon 17 (1), Tue 18 (2), Juneteenth, Thu 20 (3), Fri 21 (4).
    pytest.param("2024-06-14", "2024-06-21", id="juneteenth"),
    # 4 July 2026 is a Saturday, observed on Friday 3 July.
    pytest.param("2026-07-01", "2026-07-08", id="observed-independence-day"),
    # Mon 23 (1), Tue 24 (2), Christmas, Thu 26 (3), Fri 27 (4).
    pytest.param("2024-12-20", "2024-12-27", id="christmas"),
    pytest.param("2024-11-30", "2024-12-05", id="determined-on-saturday"),
]


@pytest.mark.parametrize(("determined", "last_day"), SEC_CASES)
def test_sec_8k_four_business_days_after_materiality(determined: str, last_day: str) -> None:
    facts = Facts(
        tokyo(2024, 6, 1),
        regimes=frozenset({"sec"}),
        materiality_determined=date.fromisoformat(determined),
    )
    spec = obligation(facts, "sec", "8-k")

    assert spec.applies
    # Form 8-K Item 1.05: four business days; EDGAR dates a submission after 17:30
    # Eastern the next business day (Regulation S-T Rule 13(a)(2)).
    assert spec.due_at == datetime.combine(
        date.fromisoformat(last_day), time(17, 30), tzinfo=NEW_YORK
    )


def test_sec_not_applicable_once_determined_not_material() -> None:
    spec = obligation(Facts(tokyo(2024, 6, 1), regimes=frozenset({"sec"})), "sec", "8-k")

    assert not spec.applies
    assert spec.due_at is None
    assert spec.reason_not_applicable


# --- HIPAA -------------------------------------------------------------------------------


def hipaa_facts(aware_at: datetime, **values: Any) -> Facts:
    return Facts(aware_at, tz="America/Chicago", regimes=frozenset({"hipaa"}), **values)


HIPAA_CASES = [
    # stage, aware_at (Chicago), facts, expected last day or None when not applicable
    pytest.param(
        "individuals", datetime(2024, 3, 10, 9), {}, "2024-05-09", id="individuals-60-days"
    ),
    pytest.param(
        "individuals",
        datetime(2024, 3, 9, 23, 30),
        {},
        "2024-05-08",
        id="individuals-late-evening-local-date",
    ),
    pytest.param("hhs", datetime(2024, 3, 10, 9), {"persons": 500}, "2024-05-09", id="hhs-500"),
    pytest.param(
        "hhs", datetime(2024, 3, 10, 9), {"over_1000": True}, "2024-05-09", id="hhs-over-1000"
    ),
    pytest.param(
        "hhs", datetime(2024, 3, 10, 9), {"persons": None}, "2024-05-09", id="hhs-unknown-count"
    ),
    pytest.param(
        "hhs", datetime(2024, 3, 10, 9), {"persons": 499}, "2025-03-01", id="hhs-499-annual"
    ),
    pytest.param(
        "hhs", datetime(2023, 7, 1, 9), {"persons": 12}, "2024-02-29", id="hhs-annual-leap-year"
    ),
    pytest.param(
        "media",
        datetime(2024, 3, 10, 9),
        {"persons": 900, "max_persons_in_one_state": 501},
        "2024-05-09",
        id="media-501-in-one-state",
    ),
    pytest.param(
        "media",
        datetime(2024, 3, 10, 9),
        {"persons": 900, "max_persons_in_one_state": 500},
        None,
        id="media-500-in-one-state",
    ),
    pytest.param("media", datetime(2024, 3, 10, 9), {}, None, id="media-state-count-unknown"),
]


@pytest.mark.parametrize(("stage", "aware_at", "values", "last_day"), HIPAA_CASES)
def test_hipaa_deadlines(
    stage: str, aware_at: datetime, values: dict, last_day: str | None
) -> None:
    spec = obligation(hipaa_facts(aware_at.replace(tzinfo=CHICAGO), **values), "hipaa", stage)

    if last_day is None:
        assert not spec.applies
        assert spec.due_at is None
        assert spec.reason_not_applicable
    else:
        assert spec.applies
        assert spec.due_at == local_end_of(last_day, CHICAGO)


# --- The table and the inputs ------------------------------------------------------------


def test_only_the_requested_regimes_are_computed_in_table_order() -> None:
    facts = Facts(tokyo(2022, 2, 3, 10), regimes=frozenset({"hipaa", "gdpr"}))

    assert [(s.regime, s.stage) for s in compute_obligations(facts)] == [
        ("gdpr", "authority"),
        ("gdpr", "individuals"),
        ("hipaa", "individuals"),
        ("hipaa", "hhs"),
        ("hipaa", "media"),
        ("hipaa", "covered-entity"),
    ]


def test_every_rule_has_a_label_and_every_regime_a_rule() -> None:
    assert {(rule.regime, rule.stage) for rule in RULES} == set(STAGES)
    assert {rule.regime for rule in RULES} == set(REGIMES)
    assert {flag.field for flag in FACT_FLAGS.values()} <= set(Facts.__dataclass_fields__)


def test_every_stage_explains_itself_as_plain_text() -> None:
    facts = Facts(tokyo(2022, 2, 3, 10), regimes=frozenset(REGIMES))
    for spec in compute_obligations(facts):
        assert isinstance(spec.rule, str)
        assert spec.rule
        assert isinstance(spec.reason_not_applicable, str)
        assert spec.label


@pytest.mark.parametrize(
    "values",
    [
        pytest.param({"aware_at": datetime(2022, 2, 3, 10)}, id="naive-awareness"),
        pytest.param({"tz": "Mars/Olympus_Mons"}, id="unknown-zone"),
        pytest.param({"regimes": frozenset({"ccpa"})}, id="unknown-regime"),
        pytest.param({"persons": -1}, id="negative-persons"),
        pytest.param({"max_persons_in_one_state": -5}, id="negative-state-count"),
        pytest.param({"persons": 10, "max_persons_in_one_state": 11}, id="state-over-total"),
        pytest.param(
            {"nis2_notification_submitted_at": datetime(2024, 1, 1)}, id="naive-notification"
        ),
        pytest.param({"high_risk": True, "gdpr_unlikely_risk": True}, id="contradictory-risk"),
    ],
)
def test_facts_refuse_bad_input(values: dict) -> None:
    values = {"aware_at": tokyo(2022, 2, 3, 10), **values}
    with pytest.raises(ValueError):
        Facts(**values)


def test_facts_accept_any_collection_of_regimes() -> None:
    facts = Facts(tokyo(2022, 2, 3, 10), regimes={"gdpr"})  # type: ignore[arg-type]
    assert facts.regimes == frozenset({"gdpr"})


def test_end_of_day_is_the_next_start_minus_one_microsecond() -> None:
    day = date(2023, 3, 25)  # the night Paris loses an hour
    assert end_of_day(day, PARIS) == start_of_day(date(2023, 3, 26), PARIS) - timedelta(
        microseconds=1
    )
    assert end_of_day(day, PARIS).tzinfo is UTC


@pytest.mark.parametrize(
    ("day", "closed"),
    [
        pytest.param(date(2023, 12, 28), False, id="dec28"),
        pytest.param(date(2023, 12, 29), True, id="dec29-closure"),
        pytest.param(date(2024, 1, 3), True, id="jan3-closure"),
        pytest.param(date(2024, 1, 4), False, id="jan4"),
        pytest.param(date(2023, 5, 3), True, id="constitution-day"),
        pytest.param(date(2023, 7, 17), True, id="marine-day"),
        pytest.param(date(2023, 7, 15), True, id="saturday"),
        pytest.param(date(2023, 7, 18), False, id="tuesday"),
    ],
)
def test_japan_closed_days(day: date, closed: bool) -> None:
    assert is_japan_closed_day(day) is closed


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        pytest.param(date(2024, 11, 28), False, id="thanksgiving"),
        pytest.param(date(2024, 11, 29), True, id="day-after-thanksgiving"),
        pytest.param(date(2026, 7, 3), False, id="observed-july-4"),
        pytest.param(date(2024, 11, 30), False, id="saturday"),
    ],
)
def test_us_business_days(day: date, open_: bool) -> None:
    assert is_us_business_day(day) is open_
