"""Unknown is not no: three-state facts, provisional obligations, and the rules' finer points.

Each case cites the provision it checks. "Provisional" means: computed as if due, with the
earliest deadline any answer could give, naming the facts still open.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.localtime import LocalTimeError, resolve_local
from incidents.regimes import Facts, ObligationSpec, compute_obligations

TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")
BRUSSELS = ZoneInfo("Europe/Brussels")
END = time(23, 59, 59, 999999)
pytestmark = pytest.mark.usefixtures("english")  # the citations are checked in the source text
UNKNOWN_APPI: dict[str, Any] = {
    "sensitive": None,
    "financial": None,
    "wrongful_purpose": None,
    "over_1000": None,
}


def spec(facts: Facts, regime: str, stage: str) -> ObligationSpec:
    (found,) = [s for s in compute_obligations(facts) if (s.regime, s.stage) == (regime, stage)]
    return found


def at(zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def end_of(day: str, zone: ZoneInfo) -> datetime:
    return datetime.combine(date.fromisoformat(day), END, tzinfo=zone)


# --- APPI (Act Art. 26, Enforcement Rules Arts. 7-10) ------------------------------------

AWARE = at(TOKYO, 2022, 2, 3, 10)  # the founding case: Thursday 3 February 2022

APPI_CASES = [
    # id, facts, stage, applies, provisional, open facts, last day (Japan) or None
    pytest.param(
        UNKNOWN_APPI,
        "preliminary",
        True,
        True,
        ["sensitive", "financial", "wrongful-purpose", "over-1000"],
        "2022-02-07",
        id="art7-all-unknown-preliminary-runs-art8-1",
    ),
    pytest.param(
        UNKNOWN_APPI,
        "final",
        True,
        True,
        ["sensitive", "financial", "wrongful-purpose", "over-1000"],
        # Rules Art. 8(2): 30 days is the earlier of 30/60; day 30 is Friday 4 March.
        "2022-03-04",
        id="art7-all-unknown-final-takes-30-days-art8-2",
    ),
    pytest.param(
        {**UNKNOWN_APPI, "sensitive": True},
        "preliminary",
        True,
        False,
        [],
        "2022-02-07",
        id="art7-i-sensitive-settles-preliminary",
    ),
    pytest.param(
        {**UNKNOWN_APPI, "sensitive": True},
        "final",
        True,
        True,
        ["wrongful-purpose"],
        "2022-03-04",
        id="art8-2-60-days-only-once-wrongful-purpose-known",
    ),
    pytest.param(
        {"sensitive": False, "financial": False, "wrongful_purpose": None, "over_1000": False},
        "final",
        True,
        True,
        ["wrongful-purpose"],
        # Only a wrongful purpose can make it due, and then in 60 days: never 30.
        "2022-04-04",
        id="art8-2-only-wrongful-purpose-open-60-days",
    ),
    pytest.param(
        {"sensitive": False, "financial": False, "wrongful_purpose": True, "over_1000": None},
        "final",
        True,
        False,
        [],
        # Day 60 is Sunday 3 April 2022: the next open day (Act on Holidays of Admin. Organs).
        "2022-04-04",
        id="art7-iii-wrongful-purpose-60-days",
    ),
    pytest.param(
        {"sensitive": False, "financial": False, "wrongful_purpose": False, "over_1000": False},
        "final",
        False,
        False,
        [],
        None,
        id="art7-all-no-clears",
    ),
    pytest.param(
        {"sensitive": False, "financial": False, "wrongful_purpose": False, "over_1000": None},
        "final",
        True,
        True,
        ["over-1000"],
        "2022-03-04",
        id="art7-iv-possibly-over-1000-open",
    ),
    pytest.param(
        {
            "sensitive": False,
            "financial": False,
            "wrongful_purpose": False,
            "over_1000": None,
            "persons": 1001,
        },
        "final",
        True,
        False,
        [],
        "2022-03-04",
        id="art7-iv-count-over-1000-decides",
    ),
]


@pytest.mark.parametrize(
    ("facts", "stage", "applies", "provisional", "open_facts", "last_day"), APPI_CASES
)
def test_appi_article_7_facts_are_three_state(
    facts, stage, applies, provisional, open_facts, last_day
) -> None:
    found = spec(Facts(AWARE, **facts), "appi", stage)

    assert found.applies is applies
    assert found.provisional is provisional
    assert list(found.open_facts) == open_facts
    if last_day is None:
        assert found.due_at is None
        assert "Art. 7" in found.reason_not_applicable
    else:
        assert found.due_at == end_of(last_day, TOKYO)


@pytest.mark.parametrize(
    ("exemption", "cited"),
    [
        pytest.param("appi_contractor_route", "Rules Art. 9", id="rules-art9-contractor-route"),
        pytest.param("appi_encrypted", "Rules Art. 7", id="rules-art7-high-level-encryption"),
    ],
)
@pytest.mark.parametrize("stage", ["preliminary", "final", "individuals"])
def test_appi_exemptions_clear_every_stage_with_their_reason(exemption, cited, stage) -> None:
    exempted: dict[str, Any] = {**UNKNOWN_APPI, exemption: True}
    facts = Facts(AWARE, **exempted, appi_exemption_note="Notified X.")
    found = spec(facts, "appi", stage)

    assert not found.applies and not found.provisional
    assert cited in found.reason_not_applicable
    assert found.reason_detail == "Notified X."


# --- GDPR Arts. 33-34 ---------------------------------------------------------------------


def test_gdpr_authority_runs_72_hours_while_the_risk_exception_is_unknown() -> None:
    aware = at(BRUSSELS, 2024, 6, 3, 12)
    facts = Facts(aware, tz="Europe/Brussels", regimes=frozenset({"gdpr"}), gdpr_unlikely_risk=None)
    authority = spec(facts, "gdpr", "authority")
    assert authority.applies and authority.provisional
    assert authority.open_facts == ("gdpr-unlikely-risk",)
    assert authority.due_at == aware + timedelta(hours=72)  # Art. 33(1)

    cleared = spec(
        Facts(aware, tz="Europe/Brussels", regimes=frozenset({"gdpr"}), gdpr_unlikely_risk=True),
        "gdpr",
        "authority",
    )
    assert not cleared.applies and "Art. 33(1)" in cleared.reason_not_applicable


def test_gdpr_individuals_provisional_while_high_risk_is_unknown() -> None:
    facts = Facts(at(BRUSSELS, 2024, 6, 3, 12), regimes=frozenset({"gdpr"}), high_risk=None)
    individuals = spec(facts, "gdpr", "individuals")
    assert individuals.applies and individuals.provisional
    assert individuals.open_facts == ("high-risk",)  # Art. 34(1)


# --- NIS2 Art. 23(4) ----------------------------------------------------------------------

NIS2_AWARE = at(BRUSSELS, 2024, 6, 3, 12)
NOTIFIED = at(BRUSSELS, 2024, 6, 5, 9)


def nis2(**facts: Any) -> Facts:
    return Facts(NIS2_AWARE, tz="Europe/Brussels", regimes=frozenset({"nis2"}), **facts)


def test_nis2_significance_unknown_runs_the_24_hour_early_warning() -> None:
    warning = spec(nis2(significant=None), "nis2", "early-warning")
    assert warning.applies and warning.provisional
    assert warning.due_at == NIS2_AWARE + timedelta(hours=24)  # Art. 23(4)(a)


@pytest.mark.parametrize(
    ("trust_service", "hours", "provisional"),
    [
        pytest.param(True, 24, False, id="art23-4-last-subpara-tsp-24h"),
        pytest.param(None, 24, True, id="tsp-unknown-takes-24h"),
        pytest.param(False, 72, False, id="art23-4-b-72h"),
    ],
)
def test_nis2_trust_service_providers_notify_within_24_hours(
    trust_service, hours, provisional
) -> None:
    notification = spec(
        nis2(significant=True, nis2_trust_service=trust_service), "nis2", "notification"
    )
    assert notification.due_at == NIS2_AWARE + timedelta(hours=hours)
    assert notification.provisional is provisional


def test_nis2_intermediate_report_only_on_request_by_the_time_set() -> None:
    assert not spec(nis2(significant=True), "nis2", "intermediate").applies
    due = at(BRUSSELS, 2024, 6, 20, 17)
    requested = spec(nis2(significant=True, nis2_intermediate_due_at=due), "nis2", "intermediate")
    assert requested.applies and requested.due_at == due  # Art. 23(4)(c)


NIS2_HANDLING_CASES = [
    # handling ended at, progress applies / provisional / last day, final last day / provisional
    pytest.param(
        at(BRUSSELS, 2024, 6, 20), (False, False, None), ("2024-07-05", False), id="ended-in-month"
    ),
    pytest.param(
        at(BRUSSELS, 2024, 8, 10),
        (True, False, "2024-07-05"),
        ("2024-09-10", False),
        id="ongoing-at-a-month-progress-then-final-a-month-after-handling",
    ),
    pytest.param(
        None,
        (True, True, "2024-07-05"),
        ("2024-07-05", True),
        id="not-ended-both-provisional-earliest",
    ),
]


@pytest.mark.parametrize(("ended", "progress", "final"), NIS2_HANDLING_CASES)
def test_nis2_progress_and_final_report_follow_the_handling(ended, progress, final) -> None:
    facts = nis2(
        significant=True, nis2_notification_submitted_at=NOTIFIED, nis2_handling_ended_at=ended
    )
    found = spec(facts, "nis2", "progress")
    assert (found.applies, found.provisional) == progress[:2]
    if progress[2]:
        assert found.due_at == end_of(progress[2], BRUSSELS)
    last = spec(facts, "nis2", "final")
    assert last.due_at == end_of(final[0], BRUSSELS)
    assert last.provisional is final[1]


# --- SEC Form 8-K Item 1.05 -------------------------------------------------------------


def sec(**facts: Any) -> Facts:
    return Facts(
        at(NEW_YORK, 2024, 11, 25, 9), tz="America/New_York", regimes=frozenset({"sec"}), **facts
    )


def test_sec_materiality_unknown_runs_from_the_day_of_awareness_at_1730() -> None:
    found = spec(sec(material=None), "sec", "8-k")
    assert found.applies and found.provisional and found.open_facts == ("material",)
    # Mon 25 Nov aware: Tue (1), Wed (2), Thanksgiving, Fri (3), Mon 2 Dec (4); 17:30 ET.
    assert found.due_at == at(NEW_YORK, 2024, 12, 2, 17, 30)


def test_sec_attorney_general_delay_moves_the_deadline_item_1_05_c() -> None:
    # Determined Tuesday 26 November; due Tuesday 3 December; delay until Saturday 28 Dec.
    found = spec(
        sec(materiality_determined=date(2024, 11, 26), sec_delay_until=date(2024, 12, 28)),
        "sec",
        "8-k",
    )
    # A last day on a weekend: the next business day (Exchange Act Rule 0-3(a)).
    assert found.due_at == at(NEW_YORK, 2024, 12, 30, 17, 30)
    assert "1.05(c)" in found.rule


def test_sec_8k_amendment_four_business_days_after_the_information_instruction_2() -> None:
    waiting = spec(
        sec(materiality_determined=date(2024, 11, 26), sec_info_pending=True),
        "sec",
        "8-k-amendment",
    )
    assert waiting.applies and waiting.due_at is None
    known = spec(
        sec(
            materiality_determined=date(2024, 11, 26),
            sec_info_pending=True,
            sec_info_available_on=date(2025, 1, 6),
        ),
        "sec",
        "8-k-amendment",
    )
    assert known.due_at == at(NEW_YORK, 2025, 1, 10, 17, 30)
    assert not spec(sec(materiality_determined=date(2024, 11, 26)), "sec", "8-k-amendment").applies


# --- HIPAA 45 CFR 164.404-164.412 ----------------------------------------------------------

CHICAGO = ZoneInfo("America/Chicago")


def hipaa(**facts: Any) -> Facts:
    return Facts(
        at(CHICAGO, 2024, 3, 1, 9), tz="America/Chicago", regimes=frozenset({"hipaa"}), **facts
    )


def test_hipaa_business_associate_unknown_keeps_both_routes_provisional() -> None:
    facts = hipaa(hipaa_business_associate=None, persons=800, max_persons_in_one_state=600)
    for stage in ("individuals", "hhs", "media", "covered-entity"):
        found = spec(facts, "hipaa", stage)
        assert found.applies and found.provisional, stage
        assert "business-associate" in found.open_facts


def test_hipaa_business_associate_notifies_the_covered_entity_164_410() -> None:
    facts = hipaa(hipaa_business_associate=True)
    assert spec(facts, "hipaa", "covered-entity").due_at == end_of("2024-04-30", CHICAGO)
    for stage in ("individuals", "hhs", "media"):
        assert "164.410" in spec(facts, "hipaa", stage).reason_not_applicable


def test_hipaa_media_notice_provisional_while_the_state_count_is_unknown_164_406() -> None:
    found = spec(hipaa(state_over_500=None, persons=2000), "hipaa", "media")
    assert found.applies and found.provisional
    assert found.open_facts == ("over-500-in-a-state",)
    assert found.due_at == end_of("2024-04-30", CHICAGO)


def test_hipaa_hhs_takes_60_days_while_the_number_is_unknown_164_408() -> None:
    found = spec(hipaa(persons=None), "hipaa", "hhs")
    assert found.provisional and found.open_facts == ("persons",)
    assert found.due_at == end_of("2024-04-30", CHICAGO)


def test_hipaa_law_enforcement_delay_moves_the_notices_164_412() -> None:
    found = spec(hipaa(persons=100, hipaa_delay_until=date(2024, 6, 15)), "hipaa", "individuals")
    assert found.due_at == end_of("2024-06-15", CHICAGO)
    assert "164.412" in found.rule
    # A delay ending before the deadline changes nothing.
    early = spec(hipaa(persons=100, hipaa_delay_until=date(2024, 3, 15)), "hipaa", "individuals")
    assert early.due_at == end_of("2024-04-30", CHICAGO)


# --- Properties ----------------------------------------------------------------------------

PROPERTIES = settings(max_examples=300, deadline=None)
DST_ZONES = st.sampled_from(
    ["America/New_York", "Europe/Paris", "Europe/London", "Australia/Sydney", "Asia/Tokyo"]
)


@PROPERTIES
@given(
    naive=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2060, 12, 31)),
    zone=DST_ZONES,
)
def test_property_a_local_time_is_one_instant_or_refused_never_shifted(naive, zone) -> None:
    tz = ZoneInfo(zone)
    try:
        moment = resolve_local(naive, tz)
    except LocalTimeError as error:
        message = str(error)
        # It names the two instants it could mean (or that surround the gap), in UTC.
        assert message.count("UTC)") == 2 and naive.strftime("%Y-%m-%d %H:%M") in message
        readings = {naive.replace(tzinfo=tz, fold=f).utcoffset() for f in (0, 1)}
        assert len(readings) == 2
        return
    assert moment.astimezone(tz).replace(tzinfo=None) == naive
    assert moment.utcoffset() == moment.astimezone(UTC).astimezone(tz).utcoffset()


@PROPERTIES
@given(
    aware=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2079, 1, 1), timezones=st.just(TOKYO)
    ),
    known=st.lists(st.sampled_from(["sensitive", "financial", "wrongful_purpose"]), unique=True),
)
def test_property_unknown_facts_never_give_a_later_deadline_than_any_answer(
    aware: datetime, known: list[str]
) -> None:
    """Provisional = the earliest: answering the open facts never brings the deadline forward."""
    open_facts = [
        name for name in ("sensitive", "financial", "wrongful_purpose") if name not in known
    ]
    unanswered: dict[str, Any] = {
        **dict.fromkeys(open_facts, None),
        "over_1000": None,
        **dict.fromkeys(known, False),
    }
    provisional = spec(Facts(aware, **unanswered), "appi", "final")
    for answer in (True, False):
        answers: dict[str, Any] = {
            **dict.fromkeys(open_facts, answer),
            "over_1000": answer,
            **dict.fromkeys(known, False),
        }
        answered = spec(Facts(aware, **answers), "appi", "final")
        if answered.applies:
            assert provisional.due_at is not None and answered.due_at is not None
            assert provisional.due_at <= answered.due_at
