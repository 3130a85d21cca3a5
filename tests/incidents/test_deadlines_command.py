"""The what-if calculator, through `manage.py deadlines` (no database needed)."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("deadlines", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str) -> list[dict]:
    return json.loads(run(*args, "--json"))


def by_stage(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(row["regime"], row["stage"]): row for row in rows}


def test_appi_wrongful_purpose_final_report_moves_past_sunday() -> None:
    rows = by_stage(
        run_json("--aware", "2022-02-03T10:00", "--regime", "appi", "--fact", "wrongful-purpose")
    )

    final = rows[("appi", "final")]
    assert final["applies"] is True
    assert final["due"] == "2022-04-04T23:59:59.999999+09:00"
    assert final["due_date"] == "2022-04-04"
    assert "60 days" in final["rule"]
    assert rows[("appi", "preliminary")]["due_date"] == "2022-02-07"
    assert rows[("appi", "individuals")]["due"] is None
    assert rows[("appi", "individuals")]["due_date"] is None


def test_every_row_has_the_documented_keys() -> None:
    rows = run_json("--aware", "2022-02-03T10:00", "--fact", "sensitive")

    assert [row["stage"] for row in rows] == ["preliminary", "final", "individuals"]
    for row in rows:
        assert {"regime", "stage", "applies", "due", "due_date", "rule"} <= row.keys()


def test_default_regime_is_appi_and_facts_default_to_none() -> None:
    rows = run_json("--aware", "2022-02-03T10:00")

    assert {row["regime"] for row in rows} == {"appi"}
    assert not any(row["applies"] for row in rows)
    assert all(row["reason_not_applicable"] for row in rows)


def test_naive_awareness_is_local_in_the_given_zone_across_dst() -> None:
    rows = by_stage(
        run_json("--aware", "2023-03-25T12:00", "--tz", "Europe/Paris", "--regime", "gdpr")
    )

    assert rows[("gdpr", "authority")]["due"] == "2023-03-28T13:00:00+02:00"


def test_an_explicit_offset_is_honoured_and_output_is_in_the_given_zone() -> None:
    rows = by_stage(
        run_json("--aware", "2022-02-03T01:00+00:00", "--tz", "UTC", "--fact", "wrongful-purpose")
    )

    # 01:00 UTC is 10:00 in Japan; the PPC deadline is the end of 4 April, Japan time.
    assert rows[("appi", "final")]["due"] == "2022-04-04T14:59:59.999999+00:00"
    assert rows[("appi", "final")]["due_date"] == "2022-04-04"


def test_all_regimes_with_their_options() -> None:
    rows = by_stage(
        run_json(
            "--aware=2024-11-25T09:00",
            "--tz=America/New_York",
            "--regime=appi",
            "--regime=gdpr",
            "--regime=uk-gdpr",
            "--regime=nis2",
            "--regime=sec",
            "--regime=hipaa",
            "--fact=over-1000",
            "--fact=high-risk",
            "--fact=significant",
            "--determined=2024-11-26",
            "--notified=2024-11-27T12:00",
            "--persons=2500",
            "--state-max=800",
        )
    )

    # Item 1.05: by 17:30 New York time on the 4th business day (Reg. S-T Rule 13(a)(2)).
    assert rows[("sec", "8-k")]["due"] == "2024-12-03T17:30:00-05:00"
    assert rows[("nis2", "early-warning")]["due"] == "2024-11-26T09:00:00-05:00"
    assert rows[("nis2", "notification")]["due"] == "2024-11-28T09:00:00-05:00"
    assert rows[("nis2", "final")]["due_date"] == "2024-12-27"
    assert rows[("nis2", "final")]["depends_on"] == ["nis2", "notification"]
    assert rows[("gdpr", "individuals")]["applies"] is True
    assert rows[("hipaa", "hhs")]["due_date"] == "2025-01-24"
    assert rows[("hipaa", "media")]["due_date"] == "2025-01-24"
    # Facts not named are "no": no 8-K/A, no intermediate report asked for, not a business
    # associate.
    assert sorted(key for key, row in rows.items() if not row["applies"]) == [
        ("hipaa", "covered-entity"),
        ("nis2", "intermediate"),
        ("sec", "8-k-amendment"),
    ]


def test_call_command_keyword_options_work_too() -> None:
    out = StringIO()
    call_command(
        "deadlines",
        aware="2022-02-03T10:00",
        regime=["appi"],
        fact=["wrongful-purpose"],
        json=True,
        stdout=out,
    )

    rows = by_stage(json.loads(out.getvalue()))
    assert rows[("appi", "final")]["due_date"] == "2022-04-04"


def test_table_lists_applicable_obligations_then_the_rest() -> None:
    text = run(
        "--aware",
        "2022-02-03T10:00",
        "--regime",
        "appi",
        "--regime",
        "hipaa",
        "--fact",
        "wrongful-purpose",
    )

    applicable, _, skipped = text.partition("Not applicable:")
    assert "2022-04-04 Mon 23:59 JST" in applicable
    assert "no fixed date" in applicable
    assert "appi" in applicable
    assert "hipaa media" in skipped


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--regime", "ccpa"], "Unknown regime", id="unknown-regime"),
        pytest.param(["--fact", "sensational"], "unknown fact", id="unknown-fact"),
        pytest.param(["--tz", "Mars/Olympus_Mons"], "Unknown time zone", id="unknown-tz"),
        pytest.param(["--persons", "-1"], "--persons", id="negative-persons"),
        pytest.param(["--persons", "many"], "--persons", id="non-number-persons"),
        pytest.param(["--state-max", "-4"], "--state-max", id="negative-state-max"),
        pytest.param(["--determined", "26/11/2024"], "--determined", id="bad-determined"),
        pytest.param(["--notified", "yesterday"], "--notified", id="bad-notified"),
        pytest.param(
            ["--fact", "high-risk", "--fact", "gdpr-unlikely-risk"], "high-risk", id="contradiction"
        ),
    ],
)
def test_bad_input_is_refused(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("--aware", "2022-02-03T10:00", *args)


def test_bad_awareness_is_refused() -> None:
    with pytest.raises(CommandError, match="--aware"):
        run("--aware", "2022-02-31T10:00")


def test_awareness_is_required() -> None:
    with pytest.raises(CommandError):
        run("--regime", "appi")


def test_bad_input_exits_non_zero_with_the_message_on_stderr() -> None:
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [sys.executable, "manage.py", "deadlines", "--aware", "2022-02-03T10:00", "--regime=x"],
        cwd=PROJECT_ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "CommandError" in result.stderr
    assert result.stdout == ""


def test_unknown_facts_make_provisional_rows_with_the_earliest_deadline() -> None:
    # Sensitive data known, wrongful purpose open: 30 days (Rules Art. 8(2)), provisionally.
    rows = by_stage(
        run_json(
            "--aware=2022-02-03T10:00",
            "--regime=appi",
            "--fact=sensitive",
            "--unknown=wrongful-purpose",
        )
    )
    final = rows[("appi", "final")]
    assert final["applies"] and final["provisional"]
    assert final["open_facts"] == ["wrongful-purpose"]
    assert final["due_date"] == "2022-03-04"
    # Only a wrongful purpose open, every other case "no": the report is due only if it
    # holds, and then in 60 days; no answer can make it due in 30.
    alone = by_stage(run_json("--aware", "2022-02-03T10:00", "--unknown", "wrongful-purpose"))
    assert alone[("appi", "final")]["provisional"] is True
    assert alone[("appi", "final")]["due_date"] == "2022-04-04"
    answered = by_stage(run_json("--aware", "2022-02-03T10:00", "--fact", "wrongful-purpose"))
    assert answered[("appi", "final")]["provisional"] is False
    assert answered[("appi", "final")]["due_date"] == "2022-04-04"
    table = run("--aware", "2022-02-03T10:00", "--unknown", "wrongful-purpose")
    assert "Not yet known: wrongful-purpose" in table
    assert "[provisional until known: wrongful-purpose]" in table


@pytest.mark.parametrize(
    ("aware", "message"),
    [
        pytest.param("2024-03-10T02:30", "01:59 EST", id="spring-forward-gap"),
        pytest.param("2024-11-03T01:30", "05:30 UTC", id="fall-back-overlap"),
        pytest.param("9999-12-31T10:00", "between 1970-01-01 and 2100-12-31", id="year-limit"),
    ],
)
def test_times_that_do_not_name_one_instant_are_refused(aware: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("--aware", aware, "--tz", "America/New_York", "--regime", "gdpr")


def test_a_fact_cannot_be_both_known_and_unknown() -> None:
    with pytest.raises(CommandError, match="both"):
        run("--aware", "2022-02-03T10:00", "--fact", "sensitive", "--unknown", "sensitive")
