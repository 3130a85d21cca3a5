"""Stateful schemathesis run of the API as the committee and as legal: chains of calls that
reuse what earlier calls created (links inferred from the schema), every response checked
against the schema. Revoking one's own token is left out (it would end the run)."""

import os
from collections import Counter
from contextlib import contextmanager

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

pytestmark = pytest.mark.django_db(transaction=False)

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@contextmanager
def connection_kept():
    """The WSGI app closes a database connection it finds unusable or old at the start and
    end of each request; inside the test's transaction it must not (Django's test client
    does the same around each of its requests, and reconnects the receivers afterwards:
    so they are disconnected here, after the last use of the test client). On SQLite the
    in-memory test database ignores close(); on PostgreSQL the close ended the run."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("who", ["committee", "legal"])
def test_stateful_api_answers_within_its_schema(founding, persona, who):
    client = Client()
    client.force_login(persona[who])
    raw = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    schema = schemathesis.openapi.from_dict(raw).exclude(
        path="/api/v1/auth/token/", method="DELETE"
    )
    _instance, token = AuthToken.objects.create(user=persona[who])
    figures = Counter()
    failures = []

    class Machine(schema.as_state_machine()):
        # Every scenario starts from the same rows: what one created is rolled back.
        def setup(self):
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case):
            return {"app": application, "headers": {"Authorization": f"Token {token}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            figures["requests"] += 1
            figures[f"{response.status_code // 100}xx"] += 1
            try:
                case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)
            except Exception as exc:  # the failure group names every broken check
                failures.append(f"{case.method} {case.path} {response.status_code}: {exc}")
                raise

    with connection_kept():
        Machine.run(
            settings=hypothesis.settings(
                # A longer run by hand: TAISAKU_STATEFUL_EXAMPLES=300 pytest -s this file.
                max_examples=int(os.environ.get("TAISAKU_STATEFUL_EXAMPLES", "25")),
                stateful_step_count=6,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,
                database=None,
            )
        )
    print(who, dict(figures))
    assert figures["requests"] > 50
    assert figures["5xx"] == 0 and failures == []
