"""The migration that made narratives bilingual puts each recorded text in its language."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("incidents", "0013_organization_code")]
AFTER = [("incidents", "0014_narratives_in_both_languages")]


@pytest.mark.django_db(transaction=True)
def test_existing_text_goes_to_the_column_of_its_language():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Organization = old.get_model("incidents", "Organization")
    Incident = old.get_model("incidents", "Incident")
    Milestone = old.get_model("incidents", "Milestone")
    organization = Organization.objects.create(
        code="MIG",
        name_ja="移行テスト株式会社",
        address="東京都千代田区1-1",
        copyright_notice="(c) Test",
    )
    incident = Incident.objects.create(
        organization=organization,
        reference="INC-2024-0001",
        title="マルウェア感染",
        summary="Ransomware on the file server",
        cause="",
        category="malware",
    )
    Milestone.objects.create(
        incident=incident, occurred_at="2024-06-03T01:00:00Z", kind="other", title="ＰＣ回収"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    migrated = new.get_model("incidents", "Incident").objects.get(pk=incident.pk)
    assert (migrated.title_ja, migrated.title_en) == ("マルウェア感染", None)
    assert (migrated.summary_ja, migrated.summary_en) == (None, "Ransomware on the file server")
    assert (migrated.cause_ja, migrated.cause_en) == (None, None)
    org = new.get_model("incidents", "Organization").objects.get(pk=organization.pk)
    assert (org.address_ja, org.copyright_notice_en) == ("東京都千代田区1-1", "(c) Test")
    milestone = new.get_model("incidents", "Milestone").objects.get(incident_id=incident.pk)
    assert milestone.title_ja == "ＰＣ回収"  # full-width letters count as Japanese

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
