"""Many incidents fast (bulk_create: no history rows, no recomputed clocks), for the
query-count tests and the benchmark."""

from datetime import datetime, timedelta

from django.utils import timezone

from incidents import keytimes
from incidents.choices import (
    ActionCategory,
    ActionStatus,
    Category,
    IncidentStatus,
    MilestoneKind,
    Severity,
)
from incidents.models import Action, Incident, Milestone, Obligation, Organization

STATUSES = IncidentStatus.values
SEVERITIES = Severity.values
# Like the founding case: a few key milestones first, then the investigation's many.
FIRST_KINDS = [
    MilestoneKind.DETECTION,
    MilestoneKind.CONTAINMENT,
    MilestoneKind.REGULATOR_REPORT,
    MilestoneKind.PUBLIC_NOTICE,
]
LATER_KINDS = [
    MilestoneKind.VENDOR_FINDING,
    MilestoneKind.OTHER,
    MilestoneKind.EXTERNAL_REPORT,
    MilestoneKind.PUBLIC_NOTICE_UPDATE,
    MilestoneKind.POLICE_REPORT,
]


def milestone_kind(j: int, count: int) -> str:
    if j < len(FIRST_KINDS):
        return FIRST_KINDS[j]
    if j == count - 1:
        return MilestoneKind.FINAL_REPORT_PUBLISHED
    return LATER_KINDS[j % len(LATER_KINDS)]


def aware_at(incident: Incident) -> datetime:
    assert incident.aware_at is not None, "populate gives every incident one"
    return incident.aware_at


ACTION_STATUSES = [ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.PLANNED]


def populate(
    count: int,
    *,
    organization: Organization | None = None,
    members=(),
    milestones: int = 3,
    actions: int = 2,
    obligations: int = 2,
    start: int = 0,
    now=None,
    batch_size: int = 2000,
) -> list[int]:
    """`count` incidents with a few milestones, actions and obligations each; their ids."""
    now = now or timezone.now()
    organization = organization or Organization.objects.create(
        name_ja=f"ベンチ株式会社 {start}", name_en=f"Bench K.K. {start}"
    )
    incidents = Incident.objects.bulk_create(
        [
            Incident(
                organization=organization,
                reference=f"{organization.code}-B-{start + i:06d}",
                title=f"合成インシデント {start + i}",
                category=Category.MALWARE,
                severity=SEVERITIES[i % len(SEVERITIES)],
                status=STATUSES[i % len(STATUSES)],
                aware_at=now - timedelta(days=(i * 7) % 900, hours=i % 24),
                detected_at=now - timedelta(days=(i * 7) % 900, hours=i % 24 + 1),
                contained_at=None,
            )
            for i in range(count)
        ],
        batch_size=batch_size,
    )
    ids = [incident.pk for incident in incidents]
    if members:
        Through = Incident.members.through
        Through.objects.bulk_create(
            [Through(incident_id=pk, user_id=user.pk) for pk in ids for user in members],
            batch_size=batch_size * 5,
        )
    Milestone.objects.bulk_create(
        [
            Milestone(
                incident=incident,
                occurred_at=aware_at(incident) + timedelta(hours=6 * (j + 1) + j * j * 24),
                kind=milestone_kind(j, milestones),
                title=f"記録 {j}",
            )
            for incident in incidents
            for j in range(milestones)
        ],
        batch_size=batch_size * 5,
    )
    Action.objects.bulk_create(
        [
            Action(
                incident=incident,
                title=f"再発防止策 {j}",
                category=ActionCategory.TECHNICAL,
                status=(status := ACTION_STATUSES[(i + j) % len(ACTION_STATUSES)]),
                done_at=now if status == ActionStatus.DONE else None,
                due_date=(now + timedelta(days=(i + j) % 60 - 20)).date(),
            )
            for i, incident in enumerate(incidents)
            for j in range(actions)
        ],
        batch_size=batch_size * 5,
    )
    stages = [("appi", "preliminary", 5), ("appi", "final", 30), ("appi", "individuals", 0)]
    Obligation.objects.bulk_create(
        [
            Obligation(
                incident=incident,
                regime=regime,
                stage=stage,
                applies=True,
                due_at=aware_at(incident) + timedelta(days=days) if days else None,
                soon_from=aware_at(incident) + timedelta(days=days - 3) if days else None,
                fulfilled_at=aware_at(incident) + timedelta(days=2) if (i + j) % 3 == 0 else None,
                channel="web_form" if (i + j) % 3 == 0 else "",
            )
            for i, incident in enumerate(incidents)
            for j, (regime, stage, days) in enumerate(stages[:obligations])
        ],
        batch_size=batch_size * 5,
    )
    keytimes.refresh(ids)  # bulk_create sends no signals: the dashboard's first moments
    return ids
