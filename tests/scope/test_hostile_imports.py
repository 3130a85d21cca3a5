"""Imports a careless or hostile file cannot turn into a 500 or a half-written row."""

import io

import pytest
from rest_framework.test import APIClient

from scope.models import Asset, Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(persona):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(persona["committee"])
    return client


def upload(client, url, incident, name, content: bytes):
    data = {"incident": incident.pk, "file": io.BytesIO(content)}
    data["file"].name = name
    return client.post(url, data, format="multipart")


def test_a_stix_file_nested_beyond_reason_is_refused(committee, founding):
    nested = b"[" * 50_000 + b"]" * 50_000
    response = upload(committee, "/api/v1/indicators/import-stix/", founding, "b.json", nested)
    assert response.status_code == 400, response.content[:300]
    assert "STIX" in str(response.json()["error"]["fields"])
    assert not Indicator.objects.filter(incident=founding).exists()


def test_a_csv_field_past_the_reader_limit_is_a_row_error(committee, founding):
    content = b"type,value\nfilename," + b"a" * 200_000 + b"\n"
    response = upload(committee, "/api/v1/indicators/import-csv/", founding, "i.csv", content)
    assert response.status_code == 400, response.content[:300]
    assert not Indicator.objects.filter(incident=founding).exists()


def test_nul_in_an_asset_csv_is_refused_with_its_row(committee, founding):
    content = b"kind,name\nhost,PC-02\nhost,a\x00b\n"
    response = upload(committee, "/api/v1/assets/import/", founding, "a.csv", content)
    assert response.status_code == 400, response.content[:300]
    assert "3" in str(response.json()["error"]["fields"])  # the third line of the file
    assert not Asset.objects.filter(incident=founding).exists()  # nothing half-imported


def test_a_malformed_incident_filter_in_the_scope_admin_is_refused(client, persona, founding):
    client.force_login(persona["committee"])
    for url in ("/admin/scope/asset/?incident=abc", "/admin/scope/indicator/?incident=abc"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.endswith("?e=1"), url
