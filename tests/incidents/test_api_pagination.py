"""Deep pages: every row once, in order, within need-to-know, in as many queries as page 1."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

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


@pytest.mark.parametrize("ordering", [None, "-occurred_at", "-id", "occurred_at"])
def test_pages_in_the_back_half_show_the_same_rows_as_one_long_page(incidents, ordering):
    """A page past the middle is read from the end: the same rows, in the same order, as
    when the list is read from the start, however many tie on the chosen order."""
    member, mine, hidden = incidents
    start = jst(2022, 2, 3, 10)
    for n in range(11):
        Milestone.objects.create(
            incident=mine[n % 3], occurred_at=start + timedelta(minutes=n // 3), title=f"m{n}"
        )
    Milestone.objects.create(incident=hidden, occurred_at=start, title="hidden")
    client = api_client(member)
    query = f"&ordering={ordering}" if ordering else ""
    everything = client.get(f"/api/v1/milestones/?page_size=100{query}").json()["results"]
    assert len(everything) == 11
    for size in (2, 3, 4):
        pages = [
            client.get(f"/api/v1/milestones/?page_size={size}&page={n}{query}").json()
            for n in range(1, -(-11 // size) + 1)
        ]
        assert [row for page in pages for row in page["results"]] == everything
        assert {page["count"] for page in pages} == {11}


@pytest.mark.parametrize("ordering", ["aware_at", "-aware_at"])
def test_incidents_without_an_awareness_time_keep_their_place_on_deep_pages(incidents, ordering):
    member, mine, _ = incidents
    for n, incident in enumerate(mine):
        incident.aware_at = jst(2022, 2, 3, 10) + timedelta(hours=n // 2) if n % 3 else None
        incident.save(update_fields=["aware_at"])
    client = api_client(member)
    everything = client.get(f"/api/v1/incidents/?page_size=100&ordering={ordering}").json()
    rows, _ = walk(client, f"/api/v1/incidents/?page_size=2&ordering={ordering}")
    assert [r["id"] for r in rows] == [r["id"] for r in everything["results"]]


def timeline(incidents, count=7):
    """Milestones of one visible incident, some at the same minute, and one hidden."""
    member, mine, hidden = incidents
    start = jst(2022, 2, 3, 10)
    for n in range(count):
        Milestone.objects.create(
            incident=mine[n % 2], occurred_at=start + timedelta(minutes=n // 2), title=f"m{n}"
        )
    Milestone.objects.create(incident=hidden, occurred_at=start, title="hidden")
    client = APIClient()
    client.force_authenticate(member)
    return client


def test_the_timeline_walked_by_cursor_has_every_visible_row_once_in_order(incidents):
    client = timeline(incidents)
    by_number, _ = walk(client, "/api/v1/milestones/?page_size=2")
    by_cursor, queries = walk(client, "/api/v1/milestones/?cursor=&page_size=2")
    assert [r["title"] for r in by_cursor] == [r["title"] for r in by_number]
    assert sorted(r["title"] for r in by_cursor) == [f"m{n}" for n in range(7)]
    # Each cursor page costs the same, however deep.
    assert len(set(queries)) == 1
    first = client.get("/api/v1/milestones/?cursor=&page_size=2").json()
    assert set(first) == {"next", "previous", "results"}
    assert "cursor=" in first["next"]


def test_a_row_added_while_walking_by_cursor_neither_repeats_nor_skips_one(incidents):
    member, mine, _ = incidents
    client = timeline(incidents, count=4)
    first = client.get("/api/v1/milestones/?cursor=&page_size=2").json()
    # Recorded meanwhile, before everything already shown.
    Milestone.objects.create(incident=mine[0], occurred_at=jst(2022, 2, 1), title="earlier")
    rest, _ = walk(client, first["next"])
    titles = [r["title"] for r in first["results"] + rest]
    assert sorted(titles) == ["m0", "m1", "m2", "m3"]


def test_a_cursor_that_is_not_one_answers_404_in_the_error_format(incidents):
    client = timeline(incidents, count=2)
    response = client.get("/api/v1/milestones/?cursor=not-a-cursor")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_the_schema_offers_the_cursor_on_the_timeline(incidents):
    member, _, _ = incidents
    client = APIClient()
    client.force_authenticate(member)
    schema = client.get("/api/schema/?format=json").json()
    names = {p["name"] for p in schema["paths"]["/api/v1/milestones/"]["get"]["parameters"]}
    assert {"cursor", "page", "page_size"} <= names


@pytest.mark.parametrize(
    ("ordering", "position"),
    [
        (None, "0001-01-01"),
        (None, "9999-12-31 23:59:59-12:00"),
        (None, "yesterday"),
        ("id", "zz"),
        ("-id", "1.5"),
    ],
)
def test_a_forged_cursor_answers_404_not_500(incidents, ordering, position):
    """A cursor is base64 of its position: anyone can forge one."""
    import base64
    from urllib.parse import quote, urlencode

    client = timeline(incidents, count=2)
    cursor = quote(base64.b64encode(urlencode({"p": position}).encode()).decode())
    url = f"/api/v1/milestones/?cursor={cursor}" + (f"&ordering={ordering}" if ordering else "")
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404
