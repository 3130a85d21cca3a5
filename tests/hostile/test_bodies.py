"""Bodies (depth, size, numbers, NUL) and names that are not what they seem."""

import json

import pytest

from tests.hostile.conftest import MILESTONE

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


# (name, persona, method, url, body) -> expected status (tests/hostile/conftest.py).
TABLE = [
    # Names that are not what they seem.
    (
        "api time zone that is a folder",
        "committee",
        "post",
        "/api/v1/incidents/",
        {
            "title": "x",
            "category": "malware",
            "organization": "{organization}",
            "time_zone": "America",
        },
        400,
    ),
    (
        "api time zone with dots",
        "committee",
        "patch",
        "/api/v1/incidents/{incident}/",
        {"time_zone": "../../etc/passwd"},
        400,
    ),
    # Bodies: depth, size, numbers, NUL.
    ("api 50,000-deep JSON", "committee", "post", "/api/v1/milestones/", deep(50_000), 400),
    ("api 40-deep JSON", "committee", "post", "/api/v1/milestones/", deep(40), 400),
    (
        "api 2 MB JSON",
        "committee",
        "post",
        "/api/v1/milestones/",
        json.dumps({"title": "x" * 2_000_000}),
        413,
    ),
    (
        "api 1e999999 as a date",
        "committee",
        "post",
        "/api/v1/actions/",
        '{"title": "x", "category": "technical", "due_date": 1e999999}',
        400,
    ),
    (
        "api 1e999999 as a count",
        "committee",
        "patch",
        "/api/v1/incidents/{incident}/",
        '{"affected_count": 1e999999}',
        400,
    ),
    (
        "api NUL in a title",
        "committee",
        "post",
        "/api/v1/milestones/",
        {**MILESTONE, "title": "a\x00b"},
        400,
    ),
    (
        "api narrative over its limit",
        "committee",
        "post",
        "/api/v1/milestones/",
        {**MILESTONE, "detail": "長" * 20_001},
        400,
    ),
    (
        "api title over its limit",
        "committee",
        "post",
        "/api/v1/milestones/",
        {**MILESTONE, "title": "x" * 301},
        400,
    ),
    (
        "api 1e999999 as an id",
        "committee",
        "post",
        "/api/v1/incidents/",
        '{"title": "x", "category": "malware", "organization": 1e999999}',
        400,
    ),
    (
        "api -1e999999 as a scope id",
        "committee",
        "post",
        "/api/v1/checks/",
        '{"asset": -1e999999, "checked_at": "2022-02-09T10:00:00+09:00"}',
        400,
    ),
    (
        "api a search of 100,000 characters",
        "committee",
        "get",
        "/api/v1/milestones/?search=" + "a" * 100_000,
        None,
        400,
    ),
    (
        "api scope search of 100,000 characters",
        "committee",
        "get",
        "/api/v1/assets/?search=" + "%25" * 100_000,
        None,
        400,
    ),
    ("api NUL in a search", "committee", "get", "/api/v1/incidents/?search=a%00b", None, 400),
    ("api NUL in a filter", "committee", "get", "/api/v1/milestones/?kind=%00", None, 400),
    ("admin NUL in a search", "committee", "get", "/admin/incidents/incident/?q=%00", None, 400),
    ("status page NUL in a reference", "committee", "get", "/incidents/INC%00/", None, 400),
    ("calendar NUL in a token", "legal", "get", "/calendar/%00.ics", None, 400),
]


@pytest.mark.parametrize(
    ("name", "who", "method", "url", "body", "expected"), TABLE, ids=[row[0] for row in TABLE]
)
def test_hostile_input_is_refused_and_changes_nothing(
    check_refused, name, who, method, url, body, expected
):
    check_refused(name, who, method, url, body, expected)
