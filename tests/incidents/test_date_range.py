"""The sane date range (1970-01-01 … 2100-12-31) speaks of the date a person gives: a time
is accepted when its date is in range on the wall clock of some time zone (Tokyo's first
morning of 1970, Honolulu's last evening of 2100), and once accepted it stays accepted
however it is read back."""

import pytest
from django.utils import timezone

from incidents.limits import in_range, validate_in_range
from incidents.models import Milestone
from tests.conftest import jst


@pytest.fixture
def committee(api):
    return api("committee")


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
        ("1969-12-31T05:00:00+09:00", 400),
        # New Year's Eve 2100 in Honolulu is already 2101 in UTC: the person gave 2100.
        ("2100-12-31T20:00:00-10:00", 201),
        ("2101-01-01T12:00:00-10:00", 400),
        ("2101-01-01T12:00:00Z", 400),
    ],
)
def test_the_api_accepts_a_date_in_range_somewhere_on_earth(
    committee, founding, occurred_at, expected
):
    before = Milestone.objects.count()
    response = post_milestone(committee, founding, occurred_at)
    assert response.status_code == expected, response.content
    if expected == 400:
        assert "occurred_at" in response.json()["error"]["fields"]
        assert Milestone.objects.count() == before


@pytest.mark.parametrize("occurred_at", ["1970-01-01T05:00:00+09:00", "2100-12-31T20:00:00-10:00"])
def test_a_boundary_time_once_accepted_stays_editable(
    client, persona, committee, founding, occurred_at
):
    created = post_milestone(committee, founding, occurred_at)
    assert created.status_code == 201
    pk = created.json()["id"]
    stored = Milestone.objects.get(pk=pk)
    for zone in ("UTC", "Asia/Tokyo", "Pacific/Honolulu"):
        with timezone.override(zone):
            stored.full_clean()
    # Another field changed later, through the API and through the admin (in the incident's
    # zone, Tokyo): the time it keeps is not refused.
    patched = committee.patch(f"/api/v1/milestones/{pk}/", {"title_en": "renamed"}, format="json")
    assert patched.status_code == 200, patched.content
    client.force_login(persona["committee"])
    page = client.get(f"/admin/incidents/milestone/{pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    local = timezone.localtime(stored.occurred_at, founding.tzinfo)
    data.update(
        incident=founding.pk,
        occurred_at_0=local.date().isoformat(),
        occurred_at_1=local.time().isoformat(),
        title_ja="改名",
    )
    data = {k: v for k, v in data.items() if k != "occurred_at"}
    saved = client.post(f"/admin/incidents/milestone/{pk}/change/", data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors


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


@pytest.mark.parametrize("occurred_at", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00"])
def test_a_time_past_what_a_date_can_hold_gets_the_range_message_in_japanese(
    committee, founding, occurred_at
):
    response = post_milestone(committee, founding, occurred_at)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["occurred_at"] == [
        "1970-01-01 から 2100-12-31 までの日付を入力してください。"
    ]
