"""Deletes that other records depend on: refused, nothing deleted."""

import pytest

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

# (name, persona, method, url, body) -> expected status (tests/hostile/conftest.py).
TABLE = [
    # Deletes that other records depend on.
    (
        "admin delete page of an organization with incidents",
        "admin",
        "get",
        "/admin/incidents/organization/{organization}/delete/",
        None,
        409,
    ),
    (
        "admin delete an organization with incidents",
        "admin",
        "post",
        "/admin/incidents/organization/{organization}/delete/",
        {"post": "yes"},
        409,
    ),
    (
        "admin delete an incident with reports",
        "admin",
        "post",
        "/admin/incidents/incident/{incident}/delete/",
        {"post": "yes"},
        409,
    ),
    (
        "admin delete action on an organization with incidents",
        "admin",
        "post",
        "/admin/incidents/organization/",
        {"action": "delete_selected", "_selected_action": ["{organization}"], "post": "yes"},
        409,
    ),
    (
        "api delete an organization with incidents",
        "admin",
        "delete",
        "/api/v1/organizations/{organization}/",
        None,
        409,
    ),
    (
        "admin delete an engagement with findings",
        "committee",
        "post",
        "/admin/incidents/engagement/{engagement}/delete/",
        {"post": "yes"},
        409,
    ),
    (
        "api delete an engagement with findings",
        "committee",
        "delete",
        "/api/v1/engagements/{engagement}/",
        None,
        409,
    ),
    (
        "admin delete evidence with a chain of custody",
        "admin",
        "post",
        "/admin/incidents/evidence/{evidence}/delete/",
        {"post": "yes"},
        409,
    ),
    (
        "api delete evidence with a chain of custody",
        "admin",
        "delete",
        "/api/v1/evidence/{evidence}/",
        None,
        409,
    ),
    (
        "api delete an incident with reports",
        "admin",
        "delete",
        "/api/v1/incidents/{incident}/",
        None,
        409,
    ),
]


@pytest.mark.parametrize(
    ("name", "who", "method", "url", "body", "expected"), TABLE, ids=[row[0] for row in TABLE]
)
def test_hostile_input_is_refused_and_changes_nothing(
    check_refused, name, who, method, url, body, expected
):
    check_refused(name, who, method, url, body, expected)
