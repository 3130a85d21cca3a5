"""Assets, checks and indicators through the API; imports; STIX and MISP exports."""

import json

import pytest
import stix2
from pymisp import MISPEvent
from rest_framework.test import APIClient

from scope.choices import TLP
from scope.exports import TLP2_IDS
from scope.models import Asset, Check, Indicator

pytestmark = pytest.mark.django_db

PERSONAS = ["committee", "legal", "executive", "auditor", "outsider"]


@pytest.fixture
def api(persona):
    def as_user(name):
        client = APIClient()
        client.force_authenticate(persona[name])
        return client

    return as_user


def error(response):
    return response.json()["error"]


def indicator(api, incident, **fields):
    body = {"incident": incident.pk, "type": "ipv4", "value": "192.0.2.10", **fields}
    return api("committee").post("/api/v1/indicators/", body, format="json")


# Create, validate, normalise, de-duplicate -------------------------------------------


def test_committee_records_an_indicator_normalised(api, founding):
    response = indicator(
        api, founding, type="url", value="hxxps://Evil.EXAMPLE[.]com/Invoice.doc", tlp="green"
    )
    assert response.status_code == 201, response.content
    row = Indicator.objects.get(pk=response.json()["id"])
    assert row.value == "https://evil.example.com/Invoice.doc"
    assert row.incident == founding
    assert row.history.count() == 1


@pytest.mark.parametrize(
    "kind,value,expected",
    [
        ("email-sender", '"Taro" <Taro.Yamada@Spoof.Example>', "taro.yamada@spoof.example"),
        ("domain", "Spoof.Example.", "spoof.example"),
        ("domain", "例え.jp", "xn--r8jz45g.jp"),
        ("ipv4", " 198.51.100.7 ", "198.51.100.7"),
        ("ipv6", "2001:DB8:0:0::1", "2001:db8::1"),
        ("sha256", "A" * 64, "a" * 64),
        ("md5", "0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef0123456789abcdef"),
        ("filename", " 請求書.doc ", "請求書.doc"),
    ],
)
def test_each_type_is_written_one_way(api, founding, kind, value, expected):
    response = indicator(api, founding, type=kind, value=value)
    assert response.status_code == 201, response.content
    assert Indicator.objects.get(pk=response.json()["id"]).value == expected


@pytest.mark.parametrize(
    "kind,value",
    [
        ("ipv4", "192.0.2.300"),
        ("ipv4", "192.0.2"),
        ("ipv4", "2001:db8::1"),
        ("ipv6", "192.0.2.1"),
        ("sha256", "abc123"),
        ("sha256", "g" * 64),
        ("md5", "a" * 64),
        ("url", "not a url"),
        ("url", "javascript:alert(1)"),
        ("domain", "exa mple.com"),
        ("email-sender", "nobody-at-example.com"),
        ("filename", "../etc/passwd"),
    ],
)
def test_bad_values_are_400_on_the_value_field(api, founding, kind, value):
    response = indicator(api, founding, type=kind, value=value)
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["value"]
    assert not Indicator.objects.exists()


def test_the_same_indicator_twice_is_400_and_kept_once(api, founding):
    assert indicator(api, founding, value="192.0.2.10").status_code == 201
    again = indicator(api, founding, value=" 192.0.2.10")
    assert again.status_code == 400
    assert list(error(again)["fields"]) == ["value"]
    assert Indicator.objects.filter(incident=founding).count() == 1


def test_public_indicator_must_be_tlp_clear(api, founding):
    response = indicator(
        api, founding, type="email-sender", value="a@spoof.example", public=True, tlp="amber"
    )
    assert response.status_code == 400
    assert "public" in error(response)["fields"]
    ok = indicator(
        api, founding, type="email-sender", value="a@spoof.example", public=True, tlp="clear"
    )
    assert ok.status_code == 201


def test_links_to_another_incidents_assets_are_refused(api, founding, make_incident, persona):
    other = make_incident(members=[persona["committee"]])
    asset = Asset.objects.create(incident=other, kind="host", name="PC-9")
    response = indicator(api, founding, assets=[asset.pk])
    assert response.status_code == 400
    assert "assets" in error(response)["fields"]


def test_legal_reads_but_cannot_write(api, founding):
    response = api("legal").post(
        "/api/v1/indicators/",
        {"incident": founding.pk, "type": "ipv4", "value": "192.0.2.1"},
        format="json",
    )
    assert response.status_code == 403
    assert api("legal").get("/api/v1/indicators/").status_code == 200


# Assets and checks -------------------------------------------------------------------


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


# Imports -----------------------------------------------------------------------------

ASSETS_CSV = """kind,name,owner,role
host,PC-001,営業部,suspected
host,PC-002,総務部,
server,mail01,情報システム部,clean
"""


def test_asset_csv_import_adds_all_rows(api, founding):
    response = api("committee").post(
        "/api/v1/assets/import/", {"incident": founding.pk, "content": ASSETS_CSV}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"rows": 3, "created": 3, "merged": 0}
    assert set(Asset.objects.filter(incident=founding).values_list("name", flat=True)) == {
        "PC-001",
        "PC-002",
        "mail01",
    }
    assert Asset.history.filter(name="PC-001").get().history_user.username == "committee"


def test_asset_csv_with_bad_rows_imports_nothing_and_names_each_row(api, founding):
    bad = ASSETS_CSV + "toaster,PC-003,,\nhost,,,\nhost,PC-004,,exploded\n"
    response = api("committee").post(
        "/api/v1/assets/import/", {"incident": founding.pk, "content": bad}, format="json"
    )
    assert response.status_code == 400
    fields = error(response)["fields"]
    assert set(fields) == {"rows[5].kind", "rows[6].name", "rows[7].role"}
    assert not Asset.objects.filter(incident=founding).exists()


def test_indicator_csv_import_normalises_and_merges_duplicates(api, founding):
    indicator(api, founding, value="192.0.2.10", first_seen="2022-02-05T00:00:00+09:00")
    csv_text = (
        "type,value,tlp,first_seen,last_seen,public\n"
        "ipv4,192.0.2.10,amber,2022-02-01,2022-02-10,\n"
        "email-sender,Spoof@Example.COM,clear,,,yes\n"
        "email-sender,spoof@example.com,clear,,,yes\n"
        "sha256," + "B" * 64 + ",red,,,\n"
    )
    response = api("committee").post(
        "/api/v1/indicators/import-csv/",
        {"incident": founding.pk, "content": csv_text},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"rows": 4, "created": 2, "merged": 2}
    ip = Indicator.objects.get(incident=founding, type="ipv4")
    assert ip.first_seen.isoformat().startswith("2022-01-31T15:00")  # widened to 02-01 JST
    assert ip.last_seen is not None
    sender = Indicator.objects.get(incident=founding, type="email-sender")
    assert sender.value == "spoof@example.com" and sender.public
    assert Indicator.objects.get(type="sha256").value == "b" * 64


def test_indicator_csv_with_bad_rows_imports_nothing(api, founding):
    csv_text = (
        "type,value\n"
        "ipv4,192.0.2.10\n"
        "ipv4,192.0.2.999\n"
        "sha256,xyz\n"
        "url,hxxp://ok.example/\n"
        "colour,blue\n"
    )
    response = api("committee").post(
        "/api/v1/indicators/import-csv/",
        {"incident": founding.pk, "content": csv_text},
        format="json",
    )
    assert response.status_code == 400
    assert set(error(response)["fields"]) == {"rows[3].value", "rows[4].value", "rows[6].type"}
    assert not Indicator.objects.exists()


def test_csv_errors_name_the_line_of_the_file(api, founding):
    """A blank line and a note over two lines: the error names the line an editor shows."""
    csv_text = (
        "type,value,note\n"  # line 1
        "ipv4,192.0.2.10,\n"  # 2
        "\n"  # 3
        'domain,ok.example,"first line\nsecond line"\n'  # 4-5
        "ipv4,192.0.2.999,\n"  # 6
    )
    response = api("committee").post(
        "/api/v1/indicators/import-csv/",
        {"incident": founding.pk, "content": csv_text},
        format="json",
    )
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["rows[6].value"]


def test_csv_without_the_needed_columns_is_400(api, founding):
    response = api("committee").post(
        "/api/v1/indicators/import-csv/",
        {"incident": founding.pk, "content": "kind,name\nhost,PC\n"},
        format="json",
    )
    assert response.status_code == 400
    assert "rows[1].header" in error(response)["fields"]


def test_stix_round_trip_imports_into_another_incident_without_duplicates(
    api, founding, make_incident, persona
):
    indicator(api, founding, value="192.0.2.10", tlp="green")
    indicator(api, founding, type="sha256", value="c" * 64, tlp="amber")
    indicator(api, founding, type="email-sender", value="o'brien@spoof.example", tlp="clear")
    bundle = api("committee").get(f"/api/v1/incidents/{founding.pk}/stix/").content.decode()
    other = make_incident(members=[persona["committee"]])
    for expected_created in (3, 0):
        response = api("committee").post(
            "/api/v1/indicators/import-stix/",
            {"incident": other.pk, "content": bundle},
            format="json",
        )
        assert response.status_code == 200, response.content
        assert response.json()["created"] == expected_created
    assert dict(Indicator.objects.filter(incident=other).values_list("value", "tlp")) == {
        "192.0.2.10": "green",
        "c" * 64: "amber",
        "o'brien@spoof.example": "clear",
    }


def test_stix_round_trip_keeps_first_and_last_seen(api, founding, make_incident, persona):
    """Re-importing our own export changes nothing: seen times travel as Sightings, and an
    indicator's valid_from (when it was recorded, if never seen) is not read as seen."""
    seen = {
        "192.0.2.10": ("2022-02-01T09:15:30.123456+09:00", "2022-02-09T18:00:00+09:00"),
        "192.0.2.11": ("2022-02-03T10:00:00+09:00", "2022-02-03T10:00:00+09:00"),
        "192.0.2.12": ("2022-02-04T10:00:00+09:00", None),
        "192.0.2.13": (None, "2022-02-05T10:00:00+09:00"),
        "192.0.2.14": (None, None),
    }
    for value, (first, last) in seen.items():
        assert (
            indicator(api, founding, value=value, first_seen=first, last_seen=last).status_code
            == 201
        )
    exported = api("committee").get(f"/api/v1/incidents/{founding.reference}/stix/")
    bundle = exported.content.decode()
    assert len([o for o in stix2.parse(bundle).objects if o.type == "sighting"]) == 4
    other = make_incident(members=[persona["committee"]])
    for target in (other, founding):  # into another incident, and back into its own
        response = api("committee").post(
            "/api/v1/indicators/import-stix/",
            {"incident": target.pk, "content": bundle},
            format="json",
        )
        assert response.status_code == 200, response.content
    original = {
        i.value: (i.first_seen, i.last_seen) for i in Indicator.objects.filter(incident=founding)
    }
    imported = {
        i.value: (i.first_seen, i.last_seen) for i in Indicator.objects.filter(incident=other)
    }
    assert imported == original
    assert original["192.0.2.10"][0].microsecond == 123456
    assert original["192.0.2.14"] == (None, None)


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


@pytest.mark.parametrize("marking", [stix2.TLP_WHITE.id, TLP2_IDS[TLP.CLEAR]])
def test_stix_import_reads_tlp_1_and_2_markings(api, founding, marking):
    bundle = {
        "type": "bundle",
        "id": "bundle--6b4c4b0e-3c38-4e57-9d51-1f1e2b6f7a10",
        "objects": [
            json.loads(
                stix2.Indicator(
                    pattern="[domain-name:value = 'spoof.example']",
                    pattern_type="stix",
                    object_marking_refs=[marking],
                ).serialize()
            )
        ],
    }
    response = api("committee").post(
        "/api/v1/indicators/import-stix/",
        {"incident": founding.pk, "content": json.dumps(bundle)},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert Indicator.objects.get().tlp == "clear"


def test_a_broken_stix_bundle_is_400(api, founding):
    response = api("committee").post(
        "/api/v1/indicators/import-stix/",
        {"incident": founding.pk, "content": '{"type": "bundle", "objects": [{"type": 1}]}'},
        format="json",
    )
    assert response.status_code == 400
    assert not Indicator.objects.exists()


# Exports -----------------------------------------------------------------------------


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


# Query counts --------------------------------------------------------------------------


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


def test_a_stix_indicator_with_a_bad_value_rejects_the_whole_bundle(api, founding):
    good = stix2.Indicator(pattern="[ipv4-addr:value = '192.0.2.1']", pattern_type="stix")
    bad = stix2.Indicator(pattern="[ipv4-addr:value = '192.0.2.999']", pattern_type="stix")
    bundle = stix2.Bundle(good, bad).serialize()
    response = api("committee").post(
        "/api/v1/indicators/import-stix/",
        {"incident": founding.pk, "content": bundle},
        format="json",
    )
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["rows[2].value"]
    assert not Indicator.objects.exists()


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


def test_a_merged_value_keeps_the_stricter_marking_and_red_stays_out_of_sharing(api, founding):
    """A source that marks a recorded value RED: the value never leaves as CLEAR."""
    committee = api("committee")
    indicator(api, founding, type="ipv4", value="198.51.100.7", tlp="clear")
    indicator(
        api, founding, type="email-sender", value="spoof@example.com", tlp="clear", public=True
    )
    csv_text = (
        "type,value,tlp\n"
        "ipv4,198.51.100.7,red\n"
        "domain,evil.example,green\n"
        "domain,Evil.Example,red\n"
        "email-sender,spoof@example.com,amber\n"
    )
    response = committee.post(
        "/api/v1/indicators/import-csv/",
        {"incident": founding.pk, "content": csv_text},
        format="json",
    )
    assert response.status_code == 200, response.content
    tlp = dict(Indicator.objects.filter(incident=founding).values_list("value", "tlp"))
    assert tlp == {"198.51.100.7": "red", "evil.example": "red", "spoof@example.com": "amber"}
    assert not Indicator.objects.get(value="spoof@example.com").public  # public needs CLEAR
    shared = committee.get(f"/api/v1/incidents/{founding.pk}/stix/").content.decode()
    assert "198.51.100.7" not in shared and "evil.example" not in shared


def test_the_cached_export_speaks_the_language_asked_for(api, founding):
    indicator(api, founding, type="domain", value="evil.example", tlp="clear")
    committee = api("committee")
    url = f"/api/v1/incidents/{founding.pk}/stix/"
    english = committee.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    japanese = committee.get(url, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "Domain: evil.example" in english
    assert "ドメイン: evil.example" in japanese


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

    client.force_login(persona["committee"])
    page = client.get("/admin/scope/asset/", {"state": "infected"}).content.decode()
    assert "PC-002" in page and "PC-001" not in page


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
    imported = committee.post(
        "/api/v1/assets/import/",
        {
            "incident": founding.pk,
            "content": "kind,name\nhost,pc-001\nhost,ＰＣ-００３\nhost,PC-003\n",
        },
        format="json",
    )
    assert imported.status_code == 200, imported.content
    assert imported.json()["created"] == 1 and imported.json()["merged"] == 2
    assert sorted(Asset.objects.filter(incident=founding).values_list("name", flat=True)) == [
        "PC-001",
        "PC-003",
    ]
