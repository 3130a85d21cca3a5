"""A status move shows in the incident's history as a change of its status (ステータス), with
who moved it, on the admin's history page (Japanese and English) and in the API's history.

The status is set only by the lifecycle, never by a form: simple-history compares only the
fields a form edits, so the moves were rows that showed no change at all."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.helpers import api_client, login

pytestmark = pytest.mark.django_db


def history_rows(client, incident) -> list[str]:
    """The history table's rows as the reader sees them (text, spaces collapsed)."""
    response = client.get(reverse("admin:incidents_incident_history", args=[incident.pk]))
    assert response.status_code == 200
    table = re.search(r'<table id="change-history".*?</table>', response.text, re.S)
    assert table is not None
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(0), re.S)[1:]  # past the header
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


@pytest.fixture
def moved(persona, make_incident):
    """An incident the committee moved through the API: detected → contained → investigating."""
    committee = persona["committee"]
    incident = make_incident(committee, members=[committee, persona["legal"]])
    api = api_client(committee)
    for status in ("contained", "investigating"):
        response = api.post(
            f"/api/v1/incidents/{incident.reference}/transition/",
            {"to_status": status, "note": "確認済み"},
            format="json",
        )
        assert response.status_code == 200, response.json()
    return incident


def test_a_status_move_shows_as_a_change_of_status_in_japanese(client, persona, moved):
    login(client, persona["committee"], "ja")
    rows = history_rows(client, moved)
    assert "ステータス: 封じ込め済み → 調査中" in rows[0]
    assert "確認済み" in rows[0] and "確認済み" in rows[1]  # the move's note, as its reason
    assert "ステータス: 検知 → 封じ込め済み" in rows[1]
    assert "committee" in rows[0] and "committee" in rows[1]
    assert "ステータス" not in rows[-1]  # the creation: nothing moved


def test_a_status_move_shows_as_a_change_of_status_in_english(client, persona, moved):
    login(client, persona["legal"], "en")
    rows = history_rows(client, moved)
    assert "Status: Contained → Investigating" in rows[0]
    assert "Status: Detected → Contained" in rows[1]
    assert "committee" in rows[0]


def test_a_move_through_the_admin_shows_too(client, persona, make_incident):
    committee = persona["committee"]
    incident = make_incident(committee, members=[committee])
    login(client, committee, "en")
    url = reverse("admin:incidents_incident_status", args=[incident.pk])
    client.post(url, {"to_status": "closed", "note": "誤検知"})
    rows = history_rows(client, incident)
    assert "Status: Detected → Closed" in rows[0]
    assert "committee" in rows[0]


def test_the_api_history_names_the_status_change(persona, moved):
    entries = api_client(persona["committee"]).get(f"/api/v1/incidents/{moved.pk}/history/").json()
    moves = [entry for entry in entries if "status" in entry["changed"]]
    assert len(moves) == 2
    assert {entry["user"] for entry in moves} == {"committee"}
    # The automatic timestamp is no change of its own.
    assert all("updated_at" not in entry["changed"] for entry in entries)


def test_an_outsider_sees_no_history_of_the_moves(client, persona, moved):
    login(client, persona["outsider"], "en")
    url = reverse("admin:incidents_incident_history", args=[moved.pk])
    assert client.get(url).status_code == 404
    outsider = api_client(persona["outsider"])
    assert outsider.get(f"/api/v1/incidents/{moved.pk}/history/").status_code == 404
    assert outsider.get(f"/api/v1/incidents/{moved.reference}/history/").status_code == 404


def test_the_oldest_move_of_a_page_shows_its_change(client, persona, moved, monkeypatch):
    """With one row per page, every move is still compared with the row before it (on the
    next page), not shown as a row without a change."""
    from incidents.admin import IncidentAdmin

    monkeypatch.setattr(IncidentAdmin, "history_list_per_page", 1)
    login(client, persona["committee"], "ja")
    url = reverse("admin:incidents_incident_history", args=[moved.pk])
    pages = moved.history.count()
    assert pages >= 3
    text = []
    for number in range(1, pages + 1):
        page = client.get(f"{url}?p={number}").text
        text.append(" ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split()))
    shown = " ".join(text)
    assert "ステータス: 封じ込め済み → 調査中" in shown
    assert "ステータス: 検知 → 封じ込め済み" in shown


def test_a_past_version_of_the_incident_is_read_not_edited(client, persona, moved):
    """The page of a past version disables every field and offers no status button (the
    history cannot be reverted)."""
    login(client, persona["committee"], "ja")
    record = moved.history.order_by("history_id").first()
    url = reverse("admin:incidents_incident_simple_history", args=[moved.pk, record.history_id])
    page = client.get(url)
    assert page.status_code == 200
    inputs = re.findall(r"<(?:input|select|textarea)\b[^>]*>", page.text)
    fields = [tag for tag in inputs if 'name="' in tag and 'type="hidden"' not in tag]
    fields = [tag for tag in fields if 'name="csrfmiddlewaretoken"' not in tag]
    fields = [tag for tag in fields if 'name="language"' not in tag]  # the header's switch
    assert fields and all("disabled" in tag for tag in fields), [
        tag for tag in fields if "disabled" not in tag
    ][:3]
    assert "ステータスを変更" not in page.text
    # The record's own page still offers the move to those who may make it.
    assert (
        "ステータスを変更"
        in client.get(reverse("admin:incidents_incident_change", args=[moved.pk])).text
    )


def test_a_past_version_cannot_be_posted_over_the_record(client, persona, moved):
    """Reverting is off: a form posted to a past version's page is refused and the record
    keeps its state (simple-history would save it, behind the services' back)."""
    login(client, persona["committee"], "ja")
    first = moved.history.order_by("history_id").first()
    url = reverse("admin:incidents_incident_simple_history", args=[moved.pk, first.history_id])
    response = client.post(
        url, {"title_ja": "書き換え", "category": "malware", "time_zone": "Asia/Tokyo"}
    )
    assert response.status_code == 405
    moved.refresh_from_db()
    assert moved.status == "investigating" and moved.title_ja != "書き換え"
