"""Hostile and careless input, one table: every row answers a 4xx (or the admin's own
refusal: its "?e=1" page for a filter it cannot apply) and changes nothing. Run on SQLite
and on PostgreSQL (DATABASE_URL)."""

import hashlib
import json
import re

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.test import APIClient

from reporting.models import Report
from tests.helpers import api_client

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

MILESTONE = {"occurred_at": "2022-02-09T10:00:00+09:00", "kind": "other", "title": "追記"}


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


# (name, persona, method, url, body) -> expected status. A str body is sent raw as JSON;
# {incident}, {organization}, {hidden}, {missing} are filled in per test.
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


def ready_report(incident) -> Report:
    content = b"%PDF-1.4 hostile"
    report = Report(
        incident=incident,
        kind="ppc-final",
        language="ja",
        version=1,
        status="ready",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        page_count=1,
    )
    report.file.save(report.storage_name, ContentFile(content), save=False)
    report.save()
    return report


def state() -> dict:
    """Every row of the project's own models, as values: what "nothing changed" compares."""
    return {
        model._meta.label: sorted(map(repr, model._default_manager.values()))
        for app in ("incidents", "reporting")
        for model in apps.get_app_config(app).get_models()
    }


def fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids) if "{" in value and "}" in value and '"' not in value else value
    if isinstance(value, dict):
        filled = {k: fill(v, ids) for k, v in value.items()}
        return {k: int(v) if isinstance(v, str) and v.isdigit() else v for k, v in filled.items()}
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    return value


@pytest.mark.parametrize(
    ("name", "who", "method", "url", "body", "expected"), TABLE, ids=[row[0] for row in TABLE]
)
def test_hostile_input_is_refused_and_changes_nothing(
    persona, founding, name, who, method, url, body, expected
):
    report = ready_report(founding)
    engagement = founding.engagements.get()
    ids = {
        "incident": founding.pk,
        "organization": founding.organization_id,
        "engagement": engagement.pk,
        "evidence": founding.evidence.get().pk,
        "obligation": founding.obligations.get(regime="appi", stage="final").pk,
        "report": report.pk,
        "reference": founding.reference,
    }
    if isinstance(body, dict) and url in (
        "/api/v1/milestones/",
        "/api/v1/actions/",
        "/api/v1/engagements/",
    ):
        body = {"incident": founding.pk, **body}
    before = state()
    user = persona[who]
    if url.startswith("/api/"):
        client = APIClient(raise_request_exception=False)
        client.force_authenticate(user)
    else:
        client = Client(raise_request_exception=False)
        client.force_login(user)
    target = url.format(**ids)
    if isinstance(body, str):
        response = client.generic(method.upper(), target, body, content_type="application/json")
    elif body is not None:
        response = getattr(client, method)(target, fill(body, ids), format="json")
    else:
        response = getattr(client, method)(target)
    assert response.status_code == expected, (name, response.content[:300])
    if url.startswith("/api/"):
        error = response.json()["error"]
        assert set(error) == {"status", "code", "message", "fields"}
        assert error["status"] == expected and error["message"]
    if expected == 302:
        followed = client.get(response.url)
        assert followed.status_code == 200, name
        if who == "outsider":
            assert founding.title not in followed.text
    assert state() == before, name


def test_a_hidden_id_and_a_missing_one_get_the_same_answer(persona, founding):
    client = api_client(persona["outsider"])
    hidden = client.get(f"/api/v1/milestones/?incident={founding.pk}")
    missing = client.get("/api/v1/milestones/?incident=999999")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["error"]["fields"].keys() == missing.json()["error"]["fields"].keys()
    # Word for word, but for the id itself.
    assert re.sub(r"\d+", "N", hidden.text) == re.sub(r"\d+", "N", missing.text)


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
