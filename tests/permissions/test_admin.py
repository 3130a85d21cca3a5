"""Who may do what in the admin: lists, add pages prefilled from the URL, change, history,
delete (tests/permissions/conftest.py)."""

import pytest

from tests.conftest import PERSONAS

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

# (name, method, url, body) -> statuses for committee, legal, executive, auditor, outsider
MATRIX = [
    # The admin: lists, add pages prefilled from the URL, change, history, delete.
    ("admin incident list", "get", "/admin/incidents/incident/", None, (200,) * 5),
    (
        "admin incident change",
        "get",
        "/admin/incidents/incident/{incident}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin incident history",
        "get",
        "/admin/incidents/incident/{incident}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin incident status move",
        "get",
        "/admin/incidents/incident/{incident}/status/",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin incident delete",
        "get",
        "/admin/incidents/incident/{incident}/delete/",
        None,
        (403, 403, 403, 403, 404),
    ),
    (
        "admin milestone add, prefilled",
        "get",
        "/admin/incidents/milestone/add/?incident={incident}&evidence={evidence}",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin milestone change",
        "get",
        "/admin/incidents/milestone/{milestone}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin milestone history",
        "get",
        "/admin/incidents/milestone/{milestone}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin milestone delete",
        "get",
        "/admin/incidents/milestone/{milestone}/delete/",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin evidence add, prefilled",
        "get",
        "/admin/incidents/evidence/add/?incident={incident}&corrects={evidence}",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin evidence change",
        "get",
        "/admin/incidents/evidence/{evidence}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin engagement change",
        "get",
        "/admin/incidents/engagement/{engagement}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin action change",
        "get",
        "/admin/incidents/action/{action}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin obligation change",
        "get",
        "/admin/incidents/obligation/{obligation}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin organization change",
        "get",
        "/admin/incidents/organization/{organization}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin milestone add, prefilled engagement",
        "get",
        "/admin/incidents/milestone/add/?engagement={engagement}",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin milestone add, prefilled with a missing incident",
        "get",
        "/admin/incidents/milestone/add/?incident=999999",
        None,
        (404,) * 5,
    ),
    (
        "admin action add, prefilled",
        "get",
        "/admin/incidents/action/add/?incident={incident}",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin incident add, prefilled members",
        "get",
        "/admin/incidents/incident/add/?members={committee}",
        None,
        (200, 403, 403, 403, 200),
    ),
    (
        "admin evidence history",
        "get",
        "/admin/incidents/evidence/{evidence}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin evidence delete",
        "get",
        "/admin/incidents/evidence/{evidence}/delete/",
        None,
        (403, 403, 403, 403, 404),
    ),
    (
        "admin engagement history",
        "get",
        "/admin/incidents/engagement/{engagement}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        # Its findings protect it: the committee may delete engagements, not this one (409).
        "admin engagement delete",
        "get",
        "/admin/incidents/engagement/{engagement}/delete/",
        None,
        (409, 403, 403, 403, 404),
    ),
    (
        "admin action delete",
        "get",
        "/admin/incidents/action/{action}/delete/",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin obligation history",
        "get",
        "/admin/incidents/obligation/{obligation}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin incident change, missing",
        "get",
        "/admin/incidents/incident/999999/change/",
        None,
        (404,) * 5,
    ),
    (
        "admin incident history, missing",
        "get",
        "/admin/incidents/incident/999999/history/",
        None,
        (404,) * 5,
    ),
    (
        "admin milestone delete, missing",
        "get",
        "/admin/incidents/milestone/999999/delete/",
        None,
        (404,) * 5,
    ),
    ("admin report list", "get", "/admin/reporting/report/", None, (200,) * 5),
    (
        "admin report change",
        "get",
        "/admin/reporting/report/{report}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin report history",
        "get",
        "/admin/reporting/report/{report}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin report pdf",
        "get",
        "/admin/reporting/report/{report}/pdf/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin report text",
        "get",
        "/admin/reporting/report/{notice_report}/text/",
        None,
        (200, 200, 200, 200, 404),
    ),
    ("admin report text, missing", "get", "/admin/reporting/report/999999/text/", None, (404,) * 5),
    (
        "admin readiness",
        "get",
        "/admin/incidents/incident/{incident}/readiness/?kind=ppc-final&language=ja",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin readiness, missing",
        "get",
        "/admin/incidents/incident/999999/readiness/?kind=ppc-final&language=ja",
        None,
        (404,) * 5,
    ),
    ("admin unresolved list", "get", "/admin/incidents/unresolveditem/", None, (200,) * 5),
    (
        "admin unresolved add, prefilled",
        "get",
        "/admin/incidents/unresolveditem/add/?incident={incident}",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin unresolved change",
        "get",
        "/admin/incidents/unresolveditem/{unresolved}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin unresolved history",
        "get",
        "/admin/incidents/unresolveditem/{unresolved}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin unresolved delete",
        "get",
        "/admin/incidents/unresolveditem/{unresolved}/delete/",
        None,
        (200, 403, 403, 403, 404),
    ),
    ("admin individual notice list", "get", "/admin/incidents/individualnotice/", None, (200,) * 5),
    (
        "admin individual notice add, prefilled",
        "get",
        "/admin/incidents/individualnotice/add/?incident={incident}",
        None,
        (403, 200, 403, 403, 404),
    ),
    (
        "admin individual notice change",
        "get",
        "/admin/incidents/individualnotice/{notice}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
]


@pytest.mark.parametrize(
    ("name", "method", "url", "body", "expected"), MATRIX, ids=[m[0] for m in MATRIX]
)
@pytest.mark.parametrize("who", PERSONAS)
def test_permission_matrix(check_row, who, name, method, url, body, expected):
    check_row(who, name, method, url, body, expected)
