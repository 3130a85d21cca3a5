"""Schema-driven fuzzing (schemathesis) of every operation in /api/schema/, authenticated.

No answer may be a server error or break the schema it promises.
"""

import pytest
import schemathesis
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
def committee_token(persona):
    _instance, token = AuthToken.objects.create(user=persona["committee"])
    return token


def test_api_answers_within_its_schema(api_schema, committee_token):
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
