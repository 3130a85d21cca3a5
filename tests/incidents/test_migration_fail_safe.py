"""The migration that made facts three-state carries existing incidents over safely."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("incidents", "0006_milestone_latest_index"),
    ("reporting", "0002_report_kind_gdpr_art33"),
]
AFTER = [("incidents", "0007_fail_safe_clocks")]


@pytest.mark.django_db(transaction=True)
def test_blank_facts_become_not_yet_known_and_the_clocks_run():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Organization = old.get_model("incidents", "Organization")
    Incident = old.get_model("incidents", "Incident")
    Obligation = old.get_model("incidents", "Obligation")
    organization = Organization.objects.create(name_ja="移行テスト株式会社")
    aware = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)
    incident = Incident.objects.create(
        organization=organization,
        reference="INC-2024-0001",
        title="Blank facts",
        category="malware",
        aware_at=aware,
        regimes=["appi", "sec"],
        materiality_determined_on=datetime(2024, 6, 5).date(),
    )
    # What the old code stored for blank facts: "none of the Art. 7 cases holds".
    for stage in ("preliminary", "final", "individuals"):
        Obligation.objects.create(
            incident=incident, regime="appi", stage=stage, applies=False, reason_not_applicable="x"
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from incidents.models import Incident as Current

    migrated = Current.objects.get(pk=incident.pk)
    assert migrated.sensitive_data is None and migrated.wrongful_purpose is None
    assert migrated.sec_material is True  # a determination date meant "material"
    rows = {(o.regime, o.stage): o for o in migrated.obligations.all()}
    for stage in ("preliminary", "final", "individuals"):
        assert rows["appi", stage].applies and rows["appi", stage].provisional, stage
    assert rows["appi", "final"].due_at is not None
    assert rows["sec", "8-k"].applies and not rows["sec", "8-k"].provisional
