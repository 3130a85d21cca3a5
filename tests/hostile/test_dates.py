"""Dates at and beyond the year limits: fields, filters, drill-downs, the dashboard, commands."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.hostile.conftest import MILESTONE

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

# (name, persona, method, url, body) -> expected status (tests/hostile/conftest.py).
TABLE = [
    # Dates at and beyond the year limits: fields, filters, drill-downs, dashboard.
    (
        "admin drill-down to year 1",
        "committee",
        "get",
        "/admin/incidents/incident/?aware_at__year=1&aware_at__month=1&aware_at__day=1",
        None,
        302,
    ),
    (
        "admin drill-down to December 9999",
        "committee",
        "get",
        "/admin/incidents/milestone/?occurred_at__year=9999&occurred_at__month=12",
        None,
        302,
    ),
    (
        "api filter from year 1",
        "committee",
        "get",
        "/api/v1/incidents/?aware_after=0001-01-01T00:00:00",
        None,
        400,
    ),
    (
        "api filter to year 9999",
        "legal",
        "get",
        "/api/v1/obligations/?due_before=9999-12-31T23:59:59-12:00",
        None,
        400,
    ),
    (
        "api milestone in year 9999",
        "committee",
        "post",
        "/api/v1/milestones/",
        {**MILESTONE, "occurred_at": "9999-12-31T23:59:59-12:00"},
        400,
    ),
    (
        "api milestone in 1969",
        "committee",
        "post",
        "/api/v1/milestones/",
        {**MILESTONE, "occurred_at": "1969-12-31T10:00:00+09:00"},
        400,
    ),
    (
        "api action due in 9999",
        "committee",
        "post",
        "/api/v1/actions/",
        {"title": "x", "category": "technical", "due_date": "9999-12-31"},
        400,
    ),
    (
        "api engagement in 2101",
        "committee",
        "post",
        "/api/v1/engagements/",
        {"vendor": "v", "requested_at": "2101-01-02T00:00:00Z"},
        400,
    ),
    (
        "api custody entry in 9999",
        "committee",
        "post",
        "/api/v1/evidence/{evidence}/custody/",
        {"at": "9999-01-01T00:00:00Z", "action": "stored"},
        400,
    ),
    (
        "api filing in 9999",
        "legal",
        "post",
        "/api/v1/obligations/{obligation}/file/",
        {"at": "9999-01-01T00:00:00Z", "channel": "web_form"},
        400,
    ),
    (
        "api report submitted in 9999",
        "legal",
        "post",
        "/api/v1/reports/{report}/submit/",
        {"submitted_to": "PPC", "submitted_at": "9999-01-01T00:00:00Z"},
        400,
    ),
]


@pytest.mark.parametrize(
    ("name", "who", "method", "url", "body", "expected"), TABLE, ids=[row[0] for row in TABLE]
)
def test_hostile_input_is_refused_and_changes_nothing(
    check_refused, name, who, method, url, body, expected
):
    check_refused(name, who, method, url, body, expected)


@pytest.mark.parametrize(
    "argv",
    [
        ["--aware", "9999-12-31T23:00"],
        ["--aware", "0001-01-01T00:00"],
        ["--aware", "2022-02-03T10:00", "--regime", "sec", "--determined", "9999-12-31"],
        ["--aware", "2022-02-03T10:00", "--regime", "nis2", "--notified", "9999-12-31T00:00"],
    ],
)
def test_deadlines_command_refuses_dates_beyond_the_limits(argv):
    with pytest.raises(CommandError, match="1970-01-01"):
        call_command("deadlines", *argv)
