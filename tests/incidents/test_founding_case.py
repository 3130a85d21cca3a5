from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from incidents.choices import CustodyAction, IncidentStatus, MilestoneKind
from incidents.models import (
    Action,
    CustodyEntry,
    Engagement,
    Evidence,
    Finding,
    Incident,
    Milestone,
    Organization,
)

pytestmark = pytest.mark.django_db

TIMELINE = [
    ("2022-02-03", MilestoneKind.DETECTION),
    ("2022-02-03", MilestoneKind.REGULATOR_REPORT),
    ("2022-02-03", MilestoneKind.EXTERNAL_REPORT),
    ("2022-02-04", MilestoneKind.POLICE_REPORT),
    ("2022-02-04", MilestoneKind.VENDOR_ENGAGED),
    ("2022-02-08", MilestoneKind.PUBLIC_NOTICE),
    ("2022-04-19", MilestoneKind.VENDOR_FINDING),
    ("2022-05-18", MilestoneKind.VENDOR_FINDING),
    ("2022-05-18", MilestoneKind.VENDOR_FINDING),
    ("2022-07-13", MilestoneKind.FINAL_REPORT_PUBLISHED),
]


def counts():
    return {
        model.__name__: model.objects.count()
        for model in [Organization, Incident, Milestone, Engagement, Finding, Evidence]
        + [CustodyEntry, Action, get_user_model()]
    }


def test_loads_every_fact_of_the_founding_case():
    call_command("load_founding_case")
    incident = Incident.objects.get()
    assert incident.reference == "INC-2022-0001"
    assert incident.organization.name_ja == "D1 Seihan-P"
    assert incident.category == "malware" and "Emotet" in incident.summary_ja
    assert incident.local(incident.aware_at).date() == date(2022, 2, 3)
    assert incident.local(incident.contained_at).date() == date(2022, 2, 3)
    assert incident.wrongful_purpose is True and incident.article7_cases() == [3]
    assert incident.personal_data_items == ["email_address", "email_content"]
    assert "なりすまし" in incident.secondary_damage_ja
    assert incident.status == IncidentStatus.CLOSED

    milestones = [
        (incident.local(m.occurred_at).date().isoformat(), m.kind)
        for m in incident.milestones.all()
    ]
    assert milestones == TIMELINE
    assert all(m.public for m in incident.milestones.all())

    engagement = incident.engagements.get()
    assert incident.local(engagement.requested_at).date() == date(2022, 2, 4)
    assert [
        (incident.local(f.reported_at).date().isoformat(), f.kind)
        for f in engagement.findings.all()
    ] == [
        ("2022-04-19", "network"),
        ("2022-04-19", "external_communication"),
        ("2022-04-19", "leak_monitoring"),
        ("2022-05-18", "device_forensics"),
        ("2022-05-18", "overall_summary"),
    ]

    pc = incident.evidence.get()
    chain = [e.action for e in pc.custody_entries.all()]
    assert chain[0] == CustodyAction.COLLECTED and chain[-1] == CustodyAction.DESTROYED

    assert incident.actions.count() == 5
    assert sorted(incident.actions.values_list("category", flat=True)) == sorted(
        ["governance", "technical", "organisational", "education", "monitoring"]
    )
    assert incident.organization.sender_addresses.exists()


def test_loading_twice_leaves_one_copy():
    call_command("load_founding_case")
    first = counts()
    call_command("load_founding_case")
    assert counts() == first
    assert first["Milestone"] == 10 and first["Finding"] == 5 and first["Action"] == 5


def test_personas_and_membership():
    call_command("load_founding_case")
    incident = Incident.objects.get()
    members = set(incident.members.values_list("username", flat=True))
    assert members == {"committee", "legal", "executive"}
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    for name in ["committee", "legal", "executive", "auditor", "outsider"]:
        assert User.objects.get(username=name).check_password("taisaku-demo")
    assert list(Incident.objects.visible_to(User.objects.get(username="outsider"))) == []
    assert list(Incident.objects.visible_to(User.objects.get(username="auditor"))) == [incident]
