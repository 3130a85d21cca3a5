"""Assets and their checks through the API."""

import pytest

from scope.models import Asset, Check
from tests.helpers import login

from .helpers import error, indicator

pytestmark = pytest.mark.django_db


def test_asset_checks_move_its_role(api, founding):
    client = api("committee")
    created = client.post(
        "/api/v1/assets/",
        {"incident": founding.pk, "kind": "host", "name": "PC-001", "owner": "営業部"},
        format="json",
    )
    assert created.status_code == 201, created.content
    asset_id = created.json()["id"]
    for when, result in [("2022-03-15T10:00:00+09:00", "clean")]:
        response = client.post(
            "/api/v1/checks/",
            {"asset": asset_id, "tool": "EmoCheck", "result": result, "checked_at": when},
            format="json",
        )
        assert response.status_code == 201, response.content
    asset = Asset.objects.get(pk=asset_id)
    assert asset.role == "clean"
    response = client.post(
        "/api/v1/checks/",
        {
            "asset": asset_id,
            "tool": "full scan",
            "result": "infected",
            "checked_at": "2022-03-16T10:00:00+09:00",
        },
        format="json",
    )
    assert response.status_code == 201
    asset.refresh_from_db()
    assert asset.role == "infected"
    assert Check.objects.get(pk=response.json()["id"]).recorded_by.username == "committee"
    listed = client.get(f"/api/v1/assets/{asset_id}/").json()
    assert listed["last_result"] == listed["state"] == "infected"
    # Cleaned: the latest check decides its state; the role stays the record.
    response = client.post(
        "/api/v1/checks/",
        {
            "asset": asset_id,
            "tool": "full scan",
            "result": "clean",
            "checked_at": "2022-03-17T10:00:00+09:00",
        },
        format="json",
    )
    listed = client.get(f"/api/v1/assets/{asset_id}/").json()
    assert (listed["state"], listed["role"]) == ("clean", "infected")
    assert created.json()["state"] == "unchecked"


def test_check_date_out_of_range_is_400(api, founding):
    asset = Asset.objects.create(incident=founding, kind="host", name="PC-1")
    response = api("committee").post(
        "/api/v1/checks/",
        {
            "asset": asset.pk,
            "tool": "EmoCheck",
            "result": "clean",
            "checked_at": "1900-01-01T00:00Z",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "checked_at" in error(response)["fields"]


def test_duplicate_asset_is_400(api, founding):
    body = {"incident": founding.pk, "kind": "host", "name": "PC-1"}
    assert api("committee").post("/api/v1/assets/", body, format="json").status_code == 201
    again = api("committee").post("/api/v1/assets/", body, format="json")
    assert again.status_code == 400
    assert list(error(again)["fields"]) == ["name"]
    assert Asset.objects.count() == 1


def test_a_check_or_a_sighting_in_the_future_is_refused(api, founding):
    committee = api("committee")
    asset = committee.post(
        "/api/v1/assets/",
        {"incident": founding.pk, "kind": "host", "name": "PC-044"},
        format="json",
    ).json()
    future = committee.post(
        "/api/v1/checks/",
        {
            "asset": asset["id"],
            "tool": "EmoCheck",
            "result": "clean",
            "checked_at": "2099-02-14T15:00:00+09:00",
        },
        format="json",
    )
    assert future.status_code == 400
    assert "checked_at" in future.json()["error"]["fields"]
    seen = indicator(
        api, founding, type="domain", value="later.example", first_seen="2099-03-01T00:00:00Z"
    )
    assert seen.status_code == 400 and "first_seen" in seen.json()["error"]["fields"]


def test_the_same_check_twice_is_refused_under_its_time(api, founding):
    committee = api("committee")
    asset = committee.post(
        "/api/v1/assets/",
        {"incident": founding.pk, "kind": "host", "name": "PC-045"},
        format="json",
    ).json()
    body = {
        "asset": asset["id"],
        "tool": "EmoCheck",
        "result": "clean",
        "checked_at": "2022-02-14T15:00:00+09:00",
    }
    assert committee.post("/api/v1/checks/", body, format="json").status_code == 201
    again = committee.post("/api/v1/checks/", body, format="json")
    assert again.status_code == 400
    assert list(again.json()["error"]["fields"]) == ["checked_at"]


def test_assets_are_found_by_where_they_stand_now(api, founding, client, persona):
    """The PCs still infected after the last round: the latest check decides, in the API's
    ?state= and in the admin list's filter."""
    committee = api("committee")
    ids = {}
    for name in ("PC-001", "PC-002", "PC-003"):
        ids[name] = committee.post(
            "/api/v1/assets/",
            {"incident": founding.pk, "kind": "host", "name": name},
            format="json",
        ).json()["id"]
    for name, result, when in [
        ("PC-001", "infected", "2022-02-10T10:00:00+09:00"),
        ("PC-001", "clean", "2022-02-14T10:00:00+09:00"),
        ("PC-002", "infected", "2022-02-10T10:00:00+09:00"),
    ]:
        response = committee.post(
            "/api/v1/checks/",
            {"asset": ids[name], "tool": "EmoCheck", "result": result, "checked_at": when},
            format="json",
        )
        assert response.status_code == 201, response.content
    infected = committee.get(f"/api/v1/assets/?incident={founding.pk}&state=infected").json()
    assert [a["name"] for a in infected["results"]] == ["PC-002"]
    clean = committee.get(f"/api/v1/assets/?incident={founding.pk}&state=clean").json()
    assert [a["name"] for a in clean["results"]] == ["PC-001"]
    assert committee.get("/api/v1/assets/?state=maybe").status_code == 400

    # The admin's list filter is the API's filter: the same rows; a value it does not
    # accept filters nothing (the admin shows every row rather than an error).
    login(client, persona["committee"])
    page = client.get("/admin/scope/asset/", {"state": "infected"}).content.decode()
    assert "PC-002" in page and "PC-001" not in page
    page = client.get("/admin/scope/asset/", {"state": "clean"}).content.decode()
    assert "PC-001" in page and "PC-002" not in page and "PC-003" not in page
    page = client.get("/admin/scope/asset/", {"state": "maybe"}).content.decode()
    assert all(name in page for name in ("PC-001", "PC-002", "PC-003"))


def test_one_pc_is_one_asset_whatever_its_case_or_width(api, founding):
    committee = api("committee")
    first = committee.post(
        "/api/v1/assets/",
        {"incident": founding.pk, "kind": "host", "name": "PC-001"},
        format="json",
    )
    assert first.status_code == 201
    for name in (" pc-001 ", "ＰＣ-００１"):
        again = committee.post(
            "/api/v1/assets/",
            {"incident": founding.pk, "kind": "host", "name": name},
            format="json",
        )
        assert again.status_code == 400 and "name" in again.json()["error"]["fields"]
    # In a file, the same PC twice is refused on its second line (its owner may differ);
    # one already recorded is merged.
    twice = committee.post(
        "/api/v1/assets/import/",
        {
            "incident": founding.pk,
            "content": "kind,name\nhost,pc-001\nhost,ＰＣ-００３\nhost,PC-003\n",
        },
        format="json",
    )
    assert twice.status_code == 400
    assert twice.json()["error"]["fields"]["rows[4].name"] == ["3行目と重複しています。"]
    imported = committee.post(
        "/api/v1/assets/import/",
        {"incident": founding.pk, "content": "kind,name\nhost,pc-001\nhost,ＰＣ-００３\n"},
        format="json",
    )
    assert imported.status_code == 200, imported.content
    assert imported.json()["created"] == 1 and imported.json()["merged"] == 1
    assert sorted(Asset.objects.filter(incident=founding).values_list("name", flat=True)) == [
        "PC-001",
        "PC-003",
    ]
