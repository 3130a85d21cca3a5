"""Who may do what in the API: every endpoint and action (tests/permissions/conftest.py)."""

import pytest

from tests.conftest import PERSONAS
from tests.helpers import api_client

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

# (name, method, url, body) -> statuses for committee, legal, executive, auditor, outsider
MATRIX = [
    # incidents
    ("incident list", "get", "/api/v1/incidents/", None, (200, 200, 200, 200, 200)),
    ("incident read", "get", "/api/v1/incidents/{incident}/", None, (200, 200, 200, 200, 404)),
    (
        "incident history",
        "get",
        "/api/v1/incidents/{incident}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "milestone history",
        "get",
        "/api/v1/milestones/{milestone}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "engagement history",
        "get",
        "/api/v1/engagements/{engagement}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "finding history",
        "get",
        "/api/v1/findings/{finding}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "evidence history",
        "get",
        "/api/v1/evidence/{evidence}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "action history",
        "get",
        "/api/v1/actions/{action}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "obligation history",
        "get",
        "/api/v1/obligations/{obligation}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "organization history",
        "get",
        "/api/v1/organizations/{organization}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    ("incident create", "post", "/api/v1/incidents/", "incident", (201, 403, 403, 403, 400)),
    (
        "incident update",
        "patch",
        "/api/v1/incidents/{incident}/",
        {"severity": "critical"},
        (200, 403, 403, 403, 404),
    ),
    (
        "incident transition",
        "post",
        "/api/v1/incidents/{incident}/transition/",
        {"to_status": "investigating"},
        (200, 403, 403, 403, 404),
    ),
    ("incident delete", "delete", "/api/v1/incidents/{incident}/", None, (403, 403, 403, 403, 403)),
    # organizations
    ("organization list", "get", "/api/v1/organizations/", None, (200, 200, 200, 200, 200)),
    (
        "organization read",
        "get",
        "/api/v1/organizations/{organization}/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "organization create",
        "post",
        "/api/v1/organizations/",
        "organization",
        (403, 403, 403, 403, 403),
    ),
    (
        "organization update",
        "patch",
        "/api/v1/organizations/{organization}/",
        {"website": "https://x.example"},
        (200, 403, 403, 403, 404),
    ),
    # milestones
    ("milestone list", "get", "/api/v1/milestones/", None, (200, 200, 200, 200, 200)),
    ("milestone read", "get", "/api/v1/milestones/{milestone}/", None, (200, 200, 200, 200, 404)),
    ("milestone create", "post", "/api/v1/milestones/", "milestone", (201, 403, 403, 403, 400)),
    (
        "milestone update",
        "patch",
        "/api/v1/milestones/{milestone}/",
        {"public": False},
        (200, 403, 403, 403, 404),
    ),
    (
        "milestone delete",
        "delete",
        "/api/v1/milestones/{milestone}/",
        None,
        (204, 403, 403, 403, 404),
    ),
    # engagements and findings
    ("engagement list", "get", "/api/v1/engagements/", None, (200, 200, 200, 200, 200)),
    (
        "engagement read",
        "get",
        "/api/v1/engagements/{engagement}/",
        None,
        (200, 200, 200, 200, 404),
    ),
    ("engagement create", "post", "/api/v1/engagements/", "engagement", (201, 403, 403, 403, 400)),
    (
        "engagement update",
        "patch",
        "/api/v1/engagements/{engagement}/",
        {"scope": "all"},
        (200, 403, 403, 403, 404),
    ),
    ("finding list", "get", "/api/v1/findings/", None, (200, 200, 200, 200, 200)),
    ("finding read", "get", "/api/v1/findings/{finding}/", None, (200, 200, 200, 200, 404)),
    ("finding create", "post", "/api/v1/findings/", "finding", (201, 403, 403, 403, 400)),
    (
        "finding update",
        "patch",
        "/api/v1/findings/{finding}/",
        {"conclusion": "ok"},
        (200, 403, 403, 403, 404),
    ),
    # evidence and custody
    ("evidence list", "get", "/api/v1/evidence/", None, (200, 200, 200, 200, 200)),
    ("evidence read", "get", "/api/v1/evidence/{evidence}/", None, (200, 200, 200, 200, 404)),
    (
        "evidence download",
        "get",
        "/api/v1/evidence/{evidence}/download/",
        None,
        (200, 200, 200, 200, 404),
    ),
    ("evidence create", "post", "/api/v1/evidence/", "evidence", (201, 403, 403, 403, 400)),
    (
        "evidence update",
        "patch",
        "/api/v1/evidence/{evidence}/",
        {"location": "safe"},
        (200, 403, 403, 403, 404),
    ),
    (
        "custody read",
        "get",
        "/api/v1/evidence/{evidence}/custody/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "custody append",
        "post",
        "/api/v1/evidence/{evidence}/custody/",
        {"at": "2022-06-01T10:00:00+09:00", "action": "stored"},
        (409, 403, 403, 403, 404),
    ),
    ("evidence file url", "get", "/files/{evidence_file}", None, (200, 200, 200, 200, 404)),
    # actions
    ("action list", "get", "/api/v1/actions/", None, (200, 200, 200, 200, 200)),
    ("action read", "get", "/api/v1/actions/{action}/", None, (200, 200, 200, 200, 404)),
    ("action create", "post", "/api/v1/actions/", "action", (201, 403, 403, 403, 400)),
    (
        "action update",
        "patch",
        "/api/v1/actions/{action}/",
        {"owner": "CISO"},
        (200, 403, 403, 403, 404),
    ),
    ("action delete", "delete", "/api/v1/actions/{action}/", None, (204, 403, 403, 403, 404)),
    # obligations (legal records filings)
    ("obligation list", "get", "/api/v1/obligations/", None, (200, 200, 200, 200, 200)),
    (
        "obligation read",
        "get",
        "/api/v1/obligations/{obligation}/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "obligation filing",
        "post",
        "/api/v1/obligations/{obligation}/file/",
        "filing",
        (403, 200, 403, 403, 403),
    ),
    (
        "obligation update",
        "patch",
        "/api/v1/obligations/{obligation}/",
        {"due_at": None},
        (403, 405, 403, 403, 403),
    ),
    # reports
    ("report list", "get", "/api/v1/reports/", None, (200, 200, 200, 200, 200)),
    ("report read", "get", "/api/v1/reports/{report}/", None, (200, 200, 200, 200, 404)),
    ("report request", "post", "/api/v1/reports/", "report", (202, 202, 403, 403, 400)),
    (
        "report download",
        "get",
        "/api/v1/reports/{report}/download/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "report submit",
        "post",
        "/api/v1/reports/{report}/submit/",
        "submission",
        (403, 200, 403, 403, 403),
    ),
    ("report delete", "delete", "/api/v1/reports/{report}/", None, (403, 403, 403, 403, 403)),
    ("report pdf url", "get", "/reports/{report}/pdf/", None, (200, 200, 200, 200, 404)),
    (
        "report history",
        "get",
        "/api/v1/reports/{report}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    # readiness of a document (#10): who may read reports; hidden answers as missing
    (
        "readiness",
        "get",
        "/api/v1/incidents/{incident}/readiness/?kind=ppc-final&language=ja",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "readiness, missing incident",
        "get",
        "/api/v1/incidents/999999/readiness/?kind=ppc-final&language=ja",
        None,
        (404,) * 5,
    ),
    # the notice to the people concerned as a plain-text e-mail body, and its sending
    (
        "report text",
        "get",
        "/api/v1/reports/{notice_report}/text/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "report text, kind without one",
        "get",
        "/api/v1/reports/{report}/text/",
        None,
        (404, 404, 404, 404, 404),
    ),
    ("report text, missing", "get", "/api/v1/reports/999999/text/", None, (404,) * 5),
    (
        "report sent",
        "post",
        "/api/v1/reports/{notice_report}/sent/",
        "sent",
        (403, 200, 403, 403, 403),
    ),
    (
        "report sent, missing",
        "post",
        "/api/v1/reports/999999/sent/",
        "sent",
        (403, 404, 403, 403, 403),
    ),
    # items that stayed unknown after the investigation (the 確報 states them with why)
    ("unresolved list", "get", "/api/v1/unresolved-items/", None, (200,) * 5),
    (
        "unresolved read",
        "get",
        "/api/v1/unresolved-items/{unresolved}/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "unresolved create",
        "post",
        "/api/v1/unresolved-items/",
        "unresolved",
        (201, 403, 403, 403, 400),
    ),
    (
        "unresolved update",
        "patch",
        "/api/v1/unresolved-items/{unresolved}/",
        {"reason_en": "No logs were kept"},
        (200, 403, 403, 403, 404),
    ),
    (
        "unresolved delete",
        "delete",
        "/api/v1/unresolved-items/{unresolved}/",
        None,
        (204, 403, 403, 403, 404),
    ),
    (
        "unresolved read, missing",
        "get",
        "/api/v1/unresolved-items/999999/",
        None,
        (404,) * 5,
    ),
    # notices to the people concerned (legal records them)
    ("individual notice list", "get", "/api/v1/individual-notices/", None, (200,) * 5),
    (
        "individual notice read",
        "get",
        "/api/v1/individual-notices/{notice}/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "individual notice create",
        "post",
        "/api/v1/individual-notices/",
        "individual notice",
        (403, 201, 403, 403, 403),
    ),
    (
        "individual notice delete",
        "delete",
        "/api/v1/individual-notices/{notice}/",
        None,
        (403,) * 5,
    ),
]


@pytest.mark.parametrize(
    ("name", "method", "url", "body", "expected"), MATRIX, ids=[m[0] for m in MATRIX]
)
@pytest.mark.parametrize("who", PERSONAS)
def test_permission_matrix(check_row, who, name, method, url, body, expected):
    check_row(who, name, method, url, body, expected)


def test_anonymous_gets_401_everywhere(check_anonymous):
    check_anonymous(MATRIX)


@pytest.mark.parametrize("who", PERSONAS)
def test_lists_show_only_what_the_persona_may_see(persona, founding, who):
    client = api_client(persona[who])
    sees = who != "outsider"
    for url in [
        "/api/v1/incidents/",
        "/api/v1/milestones/",
        "/api/v1/engagements/",
        "/api/v1/findings/",
        "/api/v1/evidence/",
        "/api/v1/actions/",
        "/api/v1/organizations/",
    ]:
        body = client.get(url).json()
        assert (body["count"] > 0) is sees, url
