"""Scope records have their history in the API like every other record, and their times
the project's range with its message."""

import pytest

from scope.models import Asset, Indicator
from tests.helpers import api_client


@pytest.fixture
def asset(founding):
    return Asset.objects.create(incident=founding, kind="host", name="PC-01", role="infected")


def test_an_assets_history_is_in_the_api_and_hidden_is_missing(persona, asset):
    committee = api_client(persona["committee"])
    patched = committee.patch(f"/api/v1/assets/{asset.pk}/", {"owner": "総務部"}, format="json")
    assert patched.status_code == 200, patched.content
    entries = committee.get(f"/api/v1/assets/{asset.pk}/history/").json()
    assert [e["type"] for e in entries] == ["changed", "created"]
    assert entries[0]["user"] == "committee" and "owner" in entries[0]["changed"]
    outsider = api_client(persona["outsider"])
    hidden = outsider.get(f"/api/v1/assets/{asset.pk}/history/")
    missing = outsider.get("/api/v1/assets/99999999/history/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


@pytest.mark.parametrize("first_seen", ["9999-12-31T00:00:00Z", "0001-01-01T00:00:00+09:00"])
def test_an_indicator_seen_at_the_year_limit_gets_the_range_message(persona, founding, first_seen):
    response = api_client(persona["committee"]).post(
        "/api/v1/indicators/",
        {
            "incident": founding.pk,
            "type": "domain",
            "value": "example.test",
            "first_seen": first_seen,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "1970-01-01" in response.json()["error"]["fields"]["first_seen"][0]
    assert not Indicator.objects.exists()


def test_the_exports_path_parameter_is_the_one_in_the_path(persona):
    """The schema declared a `pk` the path does not have (invalid OpenAPI)."""
    schema = api_client(persona["committee"]).get("/api/schema/?format=json").json()
    for kind in ("stix", "misp"):
        parameters = schema["paths"][f"/api/v1/incidents/{{id}}/{kind}/"]["get"]["parameters"]
        assert sorted(p["name"] for p in parameters) == ["id", "include_notes", "include_red"]
