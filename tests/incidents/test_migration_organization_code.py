"""The migration that gave organizations codes keeps the first one's references and makes
the others' unique."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("incidents", "0012_support_and_request_to_customers")]
AFTER = [("incidents", "0013_organization_code")]


@pytest.mark.django_db(transaction=True)
def test_the_first_organization_keeps_inc_and_the_others_get_their_own_prefix():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Organization = old.get_model("incidents", "Organization")
    Incident = old.get_model("incidents", "Incident")
    first = Organization.objects.create(name_ja="創業株式会社", name_en="Founders K.K.")
    second = Organization.objects.create(name_ja="アクメ株式会社", name_en="ACME Corp.")
    third = Organization.objects.create(name_ja="名無し株式会社")
    aware = datetime(2022, 2, 3, 1, 0, tzinfo=UTC)
    for organization in (first, second, third):
        Incident.objects.create(
            organization=organization,
            reference="INC-2022-0001",
            title="同じ番号",
            category="malware",
            aware_at=aware,
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from incidents.models import Incident as Current
    from incidents.models import Organization as CurrentOrganization

    codes = dict(CurrentOrganization.objects.values_list("name_ja", "code"))
    assert codes == {"創業株式会社": "INC", "アクメ株式会社": "ACMECORP", "名無し株式会社": "ORG"}
    references = dict(Current.objects.values_list("organization__code", "reference"))
    assert references == {
        "INC": "INC-2022-0001",
        "ACMECORP": "ACMECORP-2022-0001",
        "ORG": "ORG-2022-0001",
    }
