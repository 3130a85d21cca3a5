"""Hostile and careless input, in tables by area: every row answers a 4xx (or the admin's own
refusal: its "?e=1" page for a filter it cannot apply) and changes nothing. Run on SQLite
and on PostgreSQL (DATABASE_URL).

A row is (name, persona, method, url, body) -> expected status. A str body is sent raw as
JSON; {incident}, {organization}, {engagement}, {evidence}, {obligation}, {report} and
{reference} are filled in per test. Each test module runs its table with `check_refused`.
"""

import pytest
from django.apps import apps
from django.test import Client
from rest_framework.test import APIClient

from tests.helpers import ready_report

# A milestone the API would accept; rows change one thing of it.
MILESTONE = {"occurred_at": "2022-02-09T10:00:00+09:00", "kind": "other", "title": "追記"}


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


@pytest.fixture
def check_refused(persona, founding):
    """`check_refused(name, who, method, url, body, expected)`: one row, as persona `who`."""

    def check(name, who, method, url, body, expected):
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

    return check
