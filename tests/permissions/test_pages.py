"""Who may open the pages outside the admin: the dashboard, the status page and the calendar
(tests/permissions/conftest.py)."""

import pytest

from tests.conftest import PERSONAS

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

# (name, method, url, body) -> statuses for committee, legal, executive, auditor, outsider
MATRIX = [
    # Pages outside the admin.
    ("dashboard", "get", "/dashboard/", None, (200,) * 5),
    (
        "status page",
        "get",
        "/incidents/{reference}/?org={organization}",
        None,
        (200, 200, 200, 200, 404),
    ),
    ("calendar feed", "get", "/calendar/{calendar}.ics", None, (200,) * 5),
    ("calendar, wrong token", "get", "/calendar/not-a-token.ics", None, (404,) * 5),
]


@pytest.mark.parametrize(
    ("name", "method", "url", "body", "expected"), MATRIX, ids=[m[0] for m in MATRIX]
)
@pytest.mark.parametrize("who", PERSONAS)
def test_permission_matrix(check_row, who, name, method, url, body, expected):
    check_row(who, name, method, url, body, expected)
