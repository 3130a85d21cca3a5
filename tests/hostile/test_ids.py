"""Ids that are malformed, out of range or hidden, and paths nobody serves."""

import re

import pytest

from tests.helpers import api_client
from tests.hostile.conftest import MILESTONE

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

# (name, persona, method, url, body) -> expected status (tests/hostile/conftest.py).
TABLE = [
    # Malformed and out-of-range ids.
    (
        "admin change, non-numeric id",
        "committee",
        "get",
        "/admin/incidents/incident/abc/change/",
        None,
        404,
    ),
    (
        "admin change, huge id",
        "committee",
        "get",
        "/admin/incidents/incident/99999999999999999999/change/",
        None,
        404,
    ),
    (
        "admin evidence, non-numeric id",
        "committee",
        "get",
        "/admin/incidents/evidence/abc/change/",
        None,
        404,
    ),
    (
        "admin obligation, non-numeric id",
        "legal",
        "get",
        "/admin/incidents/obligation/abc/change/",
        None,
        404,
    ),
    (
        "admin history, non-numeric id",
        "committee",
        "get",
        "/admin/incidents/incident/abc/history/",
        None,
        404,
    ),
    (
        "admin milestone history, non-numeric id",
        "committee",
        "get",
        "/admin/incidents/milestone/abc/history/",
        None,
        404,
    ),
    (
        "admin status move, non-numeric id",
        "committee",
        "get",
        "/admin/incidents/incident/abc/status/",
        None,
        404,
    ),
    (
        "admin delete, non-numeric id",
        "committee",
        "get",
        "/admin/incidents/milestone/abc/delete/",
        None,
        404,
    ),
    (
        "admin delete, huge id",
        "admin",
        "post",
        "/admin/incidents/organization/99999999999999999999/delete/",
        {"post": "yes"},
        404,
    ),
    (
        "admin add prefilled with a non-numeric incident",
        "committee",
        "get",
        "/admin/incidents/milestone/add/?incident=abc",
        None,
        404,
    ),
    (
        "admin add prefilled with a NUL",
        "committee",
        "get",
        "/admin/incidents/action/add/?incident=%00",
        None,
        400,
    ),
    (
        "admin add prefilled with a huge evidence id",
        "committee",
        "get",
        "/admin/incidents/milestone/add/?evidence=99999999999999999999",
        None,
        404,
    ),
    (
        "admin add prefilled with a hidden incident",
        "outsider",
        "get",
        "/admin/incidents/milestone/add/?incident={incident}",
        None,
        404,
    ),
    (
        "admin action on a non-numeric id",
        "committee",
        "post",
        "/admin/incidents/milestone/",
        {"action": "delete_selected", "_selected_action": ["abc"]},
        400,
    ),
    (
        "admin action on a huge id",
        "committee",
        "post",
        "/admin/incidents/action/",
        {"action": "delete_selected", "_selected_action": ["99999999999999999999"]},
        400,
    ),
    (
        "admin action on a NUL id",
        "legal",
        "post",
        "/admin/reporting/report/",
        {"action": "mark_submitted", "_selected_action": ["\x00"], "submitted_to": "PPC"},
        400,
    ),
    (
        "admin user page, non-numeric id",
        "admin",
        "get",
        "/admin/auth/user/abc/change/",
        None,
        404,
    ),
    (
        "admin user action on a non-numeric id",
        "admin",
        "post",
        "/admin/auth/user/",
        {"action": "delete_selected", "_selected_action": ["abc"]},
        400,
    ),
    (
        "admin report for a non-numeric incident",
        "committee",
        "post",
        "/admin/incidents/incident/",
        {"action": "generate_report", "_selected_action": ["1", "abc"]},
        400,
    ),
    ("api read, non-numeric id", "committee", "get", "/api/v1/incidents/abc/", None, 404),
    ("api read, huge id", "committee", "get", "/api/v1/incidents/99999999999999999999/", None, 404),
    ("api delete, non-numeric id", "admin", "delete", "/api/v1/incidents/abc/", None, 404),
    # Need-to-know: a hidden id answers exactly as a missing one.
    (
        "api filter by a hidden incident",
        "outsider",
        "get",
        "/api/v1/milestones/?incident={incident}",
        None,
        400,
    ),
    (
        "api filter by a hidden engagement",
        "outsider",
        "get",
        "/api/v1/findings/?engagement={engagement}",
        None,
        400,
    ),
    (
        "api filter by a hidden organization",
        "outsider",
        "get",
        "/api/v1/incidents/?organization={organization}",
        None,
        400,
    ),
    (
        "api milestone on a hidden incident",
        "outsider",
        "post",
        "/api/v1/milestones/",
        {**MILESTONE, "incident": "{incident}"},
        400,
    ),
    (
        "api scope filter by a hidden incident",
        "outsider",
        "get",
        "/api/v1/assets/?incident={incident}",
        None,
        400,
    ),
    (
        "api scope filter by a missing incident",
        "outsider",
        "get",
        "/api/v1/indicators/?incident=999999",
        None,
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


def test_a_hidden_id_and_a_missing_one_get_the_same_answer(persona, founding):
    client = api_client(persona["outsider"])
    hidden = client.get(f"/api/v1/milestones/?incident={founding.pk}")
    missing = client.get("/api/v1/milestones/?incident=999999")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["error"]["fields"].keys() == missing.json()["error"]["fields"].keys()
    # Word for word, but for the id itself.
    assert re.sub(r"\d+", "N", hidden.text) == re.sub(r"\d+", "N", missing.text)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/incidents/-4194304/readiness/?kind=public-final&language=en",
        "/api/v1/no-such-list/",
        "/api/v1/evidence/1/nothing/",
    ],
)
def test_a_path_the_api_does_not_serve_answers_its_json_404(persona, path):
    client = api_client(persona["committee"])
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == 404


def test_a_page_nobody_serves_is_still_the_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
