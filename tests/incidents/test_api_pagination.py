"""Deep pages: every row once, in order, within need-to-know, in as many queries as page 1."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import Milestone
from tests.conftest import jst
from tests.helpers import api_client

pytestmark = pytest.mark.django_db


def walk(client, url):
    """Every page by the API's own next links; the rows and the query count of each page."""
    rows, queries = [], []
    while url:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        queries.append(len(captured))
        url = body["next"]
    return rows, queries


@pytest.fixture
def incidents(make_incident, make_user):
    member = make_user("mika", "committee")
    outsider_case = make_incident(title="他社の事案")
    mine = [make_incident(members=[member], title=f"事案 {i}") for i in range(7)]
    return member, mine, outsider_case


@pytest.mark.parametrize("ordering", [None, "reference", "-aware_at", "severity"])
def test_every_visible_incident_once_in_order_across_pages(incidents, ordering):
    member, mine, hidden = incidents
    client = api_client(member)
    query = f"&ordering={ordering}" if ordering else ""
    rows, queries = walk(client, f"/api/v1/incidents/?page_size=3{query}")
    everything = client.get(f"/api/v1/incidents/?page_size=100{query}").json()["results"]

    assert [r["id"] for r in rows] == [r["id"] for r in everything]
    assert sorted(r["id"] for r in rows) == sorted(i.pk for i in mine)
    assert hidden.pk not in {r["id"] for r in rows}
    assert rows == everything  # the same fields on a deep page as on a single one
    assert len(queries) == 3 and queries[1] <= queries[0] + 1 and queries[2] == queries[1]


def test_milestones_deep_page_and_a_page_past_the_end(incidents):
    member, mine, hidden = incidents
    start = jst(2022, 2, 3, 10)
    for n in range(5):
        Milestone.objects.create(
            incident=mine[0], occurred_at=start + timedelta(hours=5 - n), title=f"m{n}"
        )
    Milestone.objects.create(incident=hidden, occurred_at=start, title="hidden")
    client = api_client(member)
    rows, _queries = walk(client, f"/api/v1/milestones/?incident={mine[0].pk}&page_size=2")
    assert [r["title"] for r in rows] == ["m4", "m3", "m2", "m1", "m0"]
    response = client.get(f"/api/v1/milestones/?incident={mine[0].pk}&page_size=2&page=9")
    assert response.status_code == 404
