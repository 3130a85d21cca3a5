"""STIX 2.1 and MISP exports of an incident's indicators through the API."""

import json

import pytest
import stix2
from pymisp import MISPEvent

from scope.choices import TLP
from scope.exports import TLP2_IDS
from scope.models import Indicator

from .helpers import error, indicator

pytestmark = pytest.mark.django_db


def test_tlp_clear_is_exported_with_the_tlp_2_marking(api, founding):
    indicator(api, founding, type="email-sender", value="x@spoof.example", tlp="clear")
    bundle = stix2.parse(
        api("committee").get(f"/api/v1/incidents/{founding.pk}/stix/").content.decode()
    )
    clear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"  # OASIS TLP 2.0
    (ioc,) = [o for o in bundle.objects if o.type == "indicator"]
    assert ioc.object_marking_refs == [clear]
    marking = next(o for o in bundle.objects if o.id == clear)
    assert marking.name == "TLP:CLEAR"
    assert (
        marking.extensions["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"]["tlp_2_0"]
        == "clear"
    )
    assert stix2.TLP_WHITE.id not in {o.id for o in bundle.objects}


def test_stix_export_parses_back_with_tlp_and_without_red(api, founding):
    indicator(api, founding, value="192.0.2.10", tlp="green")
    indicator(api, founding, type="url", value="http://evil.example/a?b=c", tlp="amber")
    indicator(api, founding, type="md5", value="d" * 32, tlp="red")
    response = api("legal").get(f"/api/v1/incidents/{founding.pk}/stix/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/stix+json")
    bundle = stix2.parse(response.content.decode(), allow_custom=False)
    indicators = [o for o in bundle.objects if o.type == "indicator"]
    patterns = {o.pattern: o.object_marking_refs for o in indicators}
    assert patterns == {
        "[ipv4-addr:value = '192.0.2.10']": [TLP2_IDS[TLP.GREEN]],
        "[url:value = 'http://evil.example/a?b=c']": [TLP2_IDS[TLP.AMBER]],
    }
    marking_ids = {o.id for o in bundle.objects if o.type == "marking-definition"}
    assert {TLP2_IDS[TLP.GREEN], TLP2_IDS[TLP.AMBER]} <= marking_ids
    report = next(o for o in bundle.objects if o.type == "report")
    assert set(report.object_refs) == {o.id for o in indicators}
    assert founding.reference in report.name


def test_red_only_when_asked_and_allowed(api, founding):
    indicator(api, founding, type="md5", value="d" * 32, tlp="red")
    url = f"/api/v1/incidents/{founding.pk}/stix/?include_red=1"
    assert api("legal").get(url).status_code == 403
    response = api("committee").get(url)
    assert response.status_code == 200
    bundle = stix2.parse(response.content.decode())
    assert [o.pattern for o in bundle.objects if o.type == "indicator"] == [
        "[file:hashes.MD5 = '" + "d" * 32 + "']"
    ]


def test_misp_export_loads_into_a_misp_event(api, founding):
    indicator(api, founding, type="email-sender", value="x@spoof.example", tlp="clear")
    indicator(api, founding, value="192.0.2.10", tlp="amber")
    indicator(api, founding, type="sha256", value="e" * 64, tlp="red")
    response = api("executive").get(f"/api/v1/incidents/{founding.pk}/misp/")
    assert response.status_code == 200
    event = MISPEvent()
    event.load(json.loads(response.content))
    attributes = {(a.type, a.value): [t.name for t in a.tags] for a in event.attributes}
    assert attributes == {
        ("email-src", "x@spoof.example"): ["tlp:clear"],
        ("ip-dst", "192.0.2.10"): ["tlp:amber"],
    }
    assert [t.name for t in event.tags] == ["tlp:amber"]
    assert founding.reference in event.info


@pytest.mark.parametrize("fmt", ["stix", "misp"])
def test_exports_take_the_incident_reference(api, founding, fmt):
    indicator(api, founding)
    by_id = api("legal").get(f"/api/v1/incidents/{founding.pk}/{fmt}/")
    by_reference = api("legal").get(f"/api/v1/incidents/{founding.reference}/{fmt}/")
    assert by_reference.status_code == 200
    assert by_reference.content == by_id.content
    assert founding.reference in by_reference["Content-Disposition"]


def test_an_export_follows_every_change_of_its_indicators(api, founding):
    url = f"/api/v1/incidents/{founding.pk}/stix/"
    client = api("committee")

    def patterns():
        bundle = stix2.parse(client.get(url).content.decode())
        return sorted(o.pattern for o in bundle.objects if o.type == "indicator")

    first = indicator(api, founding, value="192.0.2.1", tlp="green").json()["id"]
    assert patterns() == ["[ipv4-addr:value = '192.0.2.1']"]
    second = indicator(api, founding, value="192.0.2.2", tlp="green").json()["id"]
    assert len(patterns()) == 2
    client.patch(f"/api/v1/indicators/{first}/", {"tlp": "red"}, format="json")
    assert patterns() == ["[ipv4-addr:value = '192.0.2.2']"]
    client.delete(f"/api/v1/indicators/{second}/")
    assert patterns() == []
    assert Indicator.objects.get().history.count() == 2


@pytest.mark.parametrize("pk", ["-1", "abc", "1.5", "9" * 40, "１"])
def test_export_of_a_malformed_id_is_a_json_404(api, founding, pk):
    response = api("committee").get(f"/api/v1/incidents/{pk}/stix/")
    assert response.status_code == 404
    assert error(response)["status"] == 404


def test_the_cached_export_speaks_the_language_asked_for(api, founding):
    indicator(api, founding, type="domain", value="evil.example", tlp="clear")
    committee = api("committee")
    url = f"/api/v1/incidents/{founding.pk}/stix/"
    english = committee.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    japanese = committee.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "Domain: evil.example" in english
    assert "ドメイン: evil.example" in japanese


@pytest.mark.parametrize("fmt", ["stix", "misp"])
def test_an_option_of_unknown_value_is_400_under_its_name(api, founding, fmt):
    indicator(api, founding, type="md5", value="d" * 32, tlp="red")
    committee = api("committee")
    url = f"/api/v1/incidents/{founding.pk}/{fmt}/"
    for query in ["include_red=maybe", "include_red=2", "include_notes=ja"]:
        response = committee.get(f"{url}?{query}", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, query
        name, value = query.split("=")
        assert error(response)["fields"] == {
            name: [f"Give 1 or 0 (also true/false, yes/no, on/off), not “{value}”."]
        }
    for value, red in [("1", True), ("TRUE", True), ("yes", True), ("on", True), ("0", False)]:
        response = committee.get(f"{url}?include_red={value}")
        assert response.status_code == 200
        assert ("d" * 32 in response.content.decode()) is red, value


@pytest.mark.parametrize("fmt", ["stix", "misp"])
def test_internal_notes_stay_out_of_an_export_unless_asked_for(api, founding, fmt):
    note = "PC-0042（田中さん）で見つかった"
    indicator(api, founding, type="domain", value="evil.example", tlp="clear", note=note)
    committee = api("committee")
    url = f"/api/v1/incidents/{founding.pk}/{fmt}/"
    shared = committee.get(url).content.decode()
    assert "evil.example" in shared and "田中" not in shared
    asked = committee.get(f"{url}?include_notes=1").content.decode()
    if fmt == "stix":
        (ioc,) = [o for o in stix2.parse(asked).objects if o.type == "indicator"]
        assert ioc.description == note
    else:
        event = MISPEvent()
        event.load(json.loads(asked))
        assert [a.comment for a in event.attributes] == [note]
    assert "田中" not in committee.get(url).content.decode()  # cached apart
