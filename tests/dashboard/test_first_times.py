"""The first moments the dashboard reads from the incident row follow every write of a
milestone or a filing, through the API as through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard import queries
from incidents import services
from incidents.models import Obligation
from tests.conftest import jst
from tests.helpers import api_client

pytestmark = pytest.mark.django_db
AWARE = jst(2025, 3, 1, 9, 0)


def durations(user):
    result = queries.key_durations(
        queries.visible_incidents(user),
        jst(2025, 1, 1).date(),
        jst(2025, 12, 31).date(),
        timezone.get_current_timezone(),
    )
    return result["medians"]


def test_milestones_written_edited_and_deleted_through_the_api(make_user, make_incident):
    committee = make_user("kaori", "committee")
    incident = make_incident(members=[committee], aware_at=AWARE, wrongful_purpose=True)
    api = api_client(committee)

    def milestone(kind, hours):
        response = api.post(
            "/api/v1/milestones/",
            {
                "incident": incident.pk,
                "kind": kind,
                "occurred_at": (AWARE + timedelta(hours=hours)).isoformat(),
                "title": kind,
            },
            format="json",
        )
        assert response.status_code == 201, response.content
        return response.json()["id"]

    containment = milestone("containment", 24)
    public = milestone("public_notice", 72)
    incident.refresh_from_db()
    assert incident.first_containment_milestone_at == AWARE + timedelta(hours=24)
    assert durations(committee)["containment"] == timedelta(hours=24)
    assert durations(committee)["public_notice"] == timedelta(hours=72)

    earlier = milestone("containment", 12)
    assert durations(committee)["containment"] == timedelta(hours=12)
    assert api.delete(f"/api/v1/milestones/{earlier}/").status_code == 204
    assert durations(committee)["containment"] == timedelta(hours=24)

    response = api.patch(
        f"/api/v1/milestones/{containment}/",
        {"occurred_at": (AWARE + timedelta(hours=48)).isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.content
    incident.refresh_from_db()
    assert incident.first_containment_milestone_at == AWARE + timedelta(hours=48)
    assert durations(committee)["containment"] == timedelta(hours=48)

    assert api.delete(f"/api/v1/milestones/{public}/").status_code == 204
    incident.refresh_from_db()
    assert incident.first_public_notice_at is None
    assert durations(committee)["public_notice"] is None


def test_the_regulator_report_is_the_earlier_of_milestone_and_filing(make_user, make_incident):
    legal, committee = make_user("ren", "legal"), make_user("kenta", "committee")
    incident = make_incident(members=[legal, committee], aware_at=AWARE, wrongful_purpose=True)
    api = api_client(committee)
    response = api.post(
        "/api/v1/milestones/",
        {
            "incident": incident.pk,
            "kind": "regulator_report",
            "occurred_at": (AWARE + timedelta(hours=30)).isoformat(),
            "title": "PPC",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert durations(legal)["regulator"] == timedelta(hours=30)

    services.record_filing(
        Obligation.objects.get(incident=incident, regime="appi", stage="preliminary"),
        user=legal,
        at=AWARE + timedelta(hours=6),
        channel="web_form",
    )
    incident.refresh_from_db()
    assert incident.first_regulator_report_at == AWARE + timedelta(hours=6)
    assert durations(legal)["regulator"] == timedelta(hours=6)
