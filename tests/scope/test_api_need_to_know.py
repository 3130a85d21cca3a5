"""Who sees an incident's scope through the API (hidden is missing), and fixed query counts."""

import pytest

from scope.models import Asset, Check, Indicator

from .helpers import error, indicator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["stix", "misp"])
def test_outsider_gets_404_on_every_export_like_a_missing_incident(api, founding, fmt):
    indicator(api, founding)
    hidden = api("outsider").get(f"/api/v1/incidents/{founding.pk}/{fmt}/")
    missing = api("outsider").get(f"/api/v1/incidents/999999/{fmt}/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    hidden = api("outsider").get(f"/api/v1/incidents/{founding.reference}/{fmt}/")
    missing = api("outsider").get(f"/api/v1/incidents/INC-1999-0001/{fmt}/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    red = api("outsider").get(f"/api/v1/incidents/{founding.pk}/{fmt}/?include_red=1")
    assert red.status_code == 404


def test_outsider_sees_no_scope_rows(api, founding):
    indicator(api, founding)
    asset = Asset.objects.create(incident=founding, kind="host", name="PC-1")
    check = Check.objects.create(
        asset=asset, tool="EmoCheck", result="clean", checked_at="2022-03-01T00:00Z"
    )
    ind = Indicator.objects.get()
    client = api("outsider")
    for url, pk in [
        ("/api/v1/assets/", asset.pk),
        ("/api/v1/checks/", check.pk),
        ("/api/v1/indicators/", ind.pk),
    ]:
        assert client.get(url).json()["results"] == []
        assert client.get(f"{url}{pk}/").status_code == 404
        assert client.get(f"{url}999999/").status_code == 404
        assert client.delete(f"{url}{pk}/").status_code == 404
    response = client.post(
        "/api/v1/indicators/",
        {"incident": founding.pk, "type": "ipv4", "value": "192.0.2.1"},
        format="json",
    )
    assert response.status_code == 400 and "incident" in error(response)["fields"]
    response = client.post(
        "/api/v1/checks/",
        {"asset": asset.pk, "tool": "x", "result": "clean", "checked_at": "2022-03-02T00:00Z"},
        format="json",
    )
    assert response.status_code == 400 and "asset" in error(response)["fields"]
    assert Indicator.objects.count() == 1 and Check.objects.count() == 1


def test_auditor_reads_every_incidents_scope(api, founding):
    indicator(api, founding)
    assert len(api("auditor").get("/api/v1/indicators/").json()["results"]) == 1
    assert api("auditor").get(f"/api/v1/incidents/{founding.pk}/stix/").status_code == 200
    response = api("auditor").post(
        "/api/v1/indicators/",
        {"incident": founding.pk, "type": "ipv4", "value": "192.0.2.1"},
        format="json",
    )
    assert response.status_code == 403


def _fill(incident, n):
    Indicator.objects.bulk_create(
        Indicator(incident=incident, type="ipv4", value=f"10.0.{i // 250}.{i % 250}")
        for i in range(n)
    )
    assets = Asset.objects.bulk_create(
        Asset(incident=incident, kind="host", name=f"PC-{i:04d}") for i in range(n)
    )
    Check.objects.bulk_create(
        Check(asset=a, tool="EmoCheck", result="clean", checked_at="2022-03-17T00:00Z")
        for a in assets
    )


@pytest.mark.parametrize("n", [3, 60])
def test_lists_and_exports_run_a_fixed_number_of_queries(
    api, founding, n, django_assert_max_num_queries
):
    _fill(founding, n)
    client = api("committee")
    for url in [
        "/api/v1/indicators/",
        "/api/v1/assets/",
        "/api/v1/checks/",
        f"/api/v1/incidents/{founding.pk}/stix/",
        f"/api/v1/incidents/{founding.pk}/misp/",
    ]:
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200
