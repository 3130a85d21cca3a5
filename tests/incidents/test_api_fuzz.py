"""Schema-driven fuzzing (schemathesis) of every operation in /api/schema/, authenticated.

No answer may be a server error or break the schema it promises.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@pytest.fixture
def api_schema(founding, persona):
    from django.test import Client

    client = Client()
    client.force_login(persona["committee"])
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return schemathesis.openapi.from_dict(response.json())


@pytest.fixture
def keep_connection():
    """The WSGI app closes the database connection after each request; inside a test's
    transaction it must not (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def committee_token(persona):
    _instance, token = AuthToken.objects.create(user=persona["committee"])
    return token


def test_api_answers_within_its_schema(api_schema, committee_token, keep_connection):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 30
    headers = {"Authorization": f"Token {committee_token}"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case):
            case.call_and_validate(app=application, headers=headers, checks=CHECKS)

        check()
