"""The sane date range (1970-01-01 … 2100-12-31) speaks of the date a person gives: the
wall clock of the zone the time was entered in, not its UTC date."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from incidents.limits import in_range, validate_in_range
from incidents.models import Milestone
from tests.conftest import jst


@pytest.fixture
def committee(persona):
    client = APIClient()
    client.force_authenticate(persona["committee"])
    return client


def post_milestone(client, founding, occurred_at):
    return client.post(
        "/api/v1/milestones/",
        {"incident": founding.pk, "occurred_at": occurred_at, "kind": "other", "title": "境界"},
        format="json",
    )


@pytest.mark.parametrize(
    ("occurred_at", "expected"),
    [
        # New Year's morning 1970 in Tokyo is still 1969 in UTC: the person gave 1970.
        ("1970-01-01T05:00:00+09:00", 201),
        ("1969-12-31T23:59:00+09:00", 400),
        # New Year's Eve 2100 in Honolulu is already 2101 in UTC: the person gave 2100.
        ("2100-12-31T20:00:00-10:00", 201),
        ("2101-01-01T00:00:00-10:00", 400),
        ("2101-01-01T00:00:00Z", 400),
    ],
)
def test_the_api_judges_the_date_given_not_its_utc_date(committee, founding, occurred_at, expected):
    before = Milestone.objects.count()
    response = post_milestone(committee, founding, occurred_at)
    assert response.status_code == expected, response.content
    if expected == 400:
        assert "occurred_at" in response.json()["error"]["fields"]
        assert Milestone.objects.count() == before


def test_a_boundary_time_read_back_from_the_database_stays_valid(committee, founding):
    created = post_milestone(committee, founding, "1970-01-01T05:00:00+09:00")
    assert created.status_code == 201
    stored = Milestone.objects.get(pk=created.json()["id"])
    # Read back in UTC it is 1969-12-31 20:00; saving it again must not be refused.
    assert stored.occurred_at.date().isoformat() == "1969-12-31"
    with timezone.override("Asia/Tokyo"):
        stored.full_clean()


def test_the_admin_form_accepts_the_first_morning_of_1970_in_tokyo(client, persona, founding):
    client.force_login(persona["committee"])
    response = client.post(
        "/admin/incidents/milestone/add/",
        {
            "incident": founding.pk,
            "occurred_at_0": "1970-01-01",
            "occurred_at_1": "05:00:00",
            "kind": "other",
            "title_ja": "境界",
            "public": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Milestone.objects.filter(occurred_at=jst(1970, 1, 1, 5)).exists()


def test_year_limits_stay_refused_in_every_zone():
    assert not in_range(jst(1, 1, 1))
    assert in_range(jst(1970, 1, 1, 0, 0))
    with pytest.raises(Exception, match="1970-01-01"):
        validate_in_range(jst(9999, 12, 31, 23))
