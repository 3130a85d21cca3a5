"""Imports through the API: assets and indicators from CSV, indicators from STIX 2.1."""

import json

import pytest
import stix2

from scope.choices import TLP
from scope.exports import TLP2_IDS
from scope.models import Asset, Indicator

from .helpers import error, indicator

pytestmark = pytest.mark.django_db


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
    assert response.json() == {
        "rows": 3,
        "created": 3,
        "merged": 0,
        "kept_public": [],
        "skipped": [],
    }
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
    assert response.json() == {
        "rows": 4,
        "created": 2,
        "merged": 2,
        "kept_public": [],
        "skipped": [],
    }
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
    assert tlp == {"198.51.100.7": "red", "evil.example": "red", "spoof@example.com": "clear"}
    # A public sender stays public (and CLEAR), named in the answer for someone to decide.
    assert Indicator.objects.get(value="spoof@example.com").public
    assert response.json()["kept_public"] == ["spoof@example.com"]
    shared = committee.get(f"/api/v1/incidents/{founding.pk}/stix/").content.decode()
    assert "198.51.100.7" not in shared and "evil.example" not in shared


# Duplicates within a file, Japanese headers ------------------------------------------


def test_the_same_asset_twice_in_a_file_is_an_error_naming_the_first_line(api, founding):
    content = "kind,name,owner\nhost,PC-001,営業部\nhost,PC-002,総務部\nhost,pc-001,経理部\n"
    response = api("committee").post(
        "/api/v1/assets/import/",
        {"incident": founding.pk, "content": content},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert error(response)["fields"]["rows[4].name"] == ["Duplicate of line 2."]
    japanese = api("committee").post(
        "/api/v1/assets/import/",
        {"incident": founding.pk, "content": content},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert error(japanese)["fields"]["rows[4].name"] == ["2行目と重複しています。"]
    assert not Asset.objects.filter(incident=founding).exists()


def test_an_inventory_with_japanese_headers_is_imported(api, founding):
    content = (
        "種別,名称,部署,役割,備考\n"
        "端末（PC）,PC-001,営業部,感染,受付の PC\n"
        "サーバー,mail01,情報システム部,,\n"
    )
    response = api("committee").post(
        "/api/v1/assets/import/", {"incident": founding.pk, "content": content}, format="json"
    )
    assert response.status_code == 200, response.content
    assert set(Asset.objects.values_list("kind", "name", "owner", "role", "note")) == {
        ("host", "PC-001", "営業部", "infected", "受付の PC"),
        ("server", "mail01", "情報システム部", "suspected", ""),
    }


def test_indicators_with_japanese_headers_are_imported(api, founding):
    content = (
        "種類,値,TLP,初回観測,公表対象,メモ\n"
        "送信元メールアドレス,Info@Spoof.Example,clear,2022/2/1 9:00,はい,送信元\n"
    )
    response = api("committee").post(
        "/api/v1/indicators/import-csv/",
        {"incident": founding.pk, "content": content},
        format="json",
    )
    assert response.status_code == 200, response.content
    row = Indicator.objects.get()
    assert (row.type, row.value, row.tlp, row.public, row.note) == (
        "email-sender",
        "info@spoof.example",
        "clear",
        True,
        "送信元",
    )
    assert row.first_seen.isoformat() == "2022-02-01T00:00:00+00:00"  # 9:00 in Tokyo


def test_a_header_given_twice_or_missing_is_refused_naming_the_accepted_ones(api, founding):
    committee = api("committee")
    twice = committee.post(
        "/api/v1/assets/import/",
        {"incident": founding.pk, "content": "kind,名前,name\nhost,PC-1,PC-2\n"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert twice.status_code == 400
    assert error(twice)["fields"]["rows[1].header"] == [
        "The columns “名前” and “name” are both name."
    ]
    missing = committee.post(
        "/api/v1/assets/import/",
        {"incident": founding.pk, "content": "種別,持ち主\nhost,営業部\n"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    (message,) = error(missing)["fields"]["rows[1].header"]
    assert message.startswith("Missing column(s): name. Accepted columns: kind* (種別")
    assert "name* (名前, 名称" in message
    assert not Asset.objects.exists()


def test_stix_errors_are_in_the_users_language_with_the_detail_after(api, founding):
    no_pattern = {
        "type": "bundle",
        "id": "bundle--6b4c4b0e-3c38-4e57-9d51-1f1e2b6f7a10",
        "objects": [
            {
                "type": "indicator",
                "spec_version": "2.1",
                "id": "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
                "created": "2022-02-01T00:00:00.000Z",
                "modified": "2022-02-01T00:00:00.000Z",
                "pattern_type": "stix",
                "valid_from": "2022-02-01T00:00:00Z",
            }
        ],
    }
    committee = api("committee")
    response = committee.post(
        "/api/v1/indicators/import-stix/",
        {"incident": founding.pk, "content": json.dumps(no_pattern)},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 400
    (message,) = error(response)["fields"]["rows[1].indicator"]
    assert message.startswith("必須のプロパティがありません: pattern（詳細: No values for")
    not_json = committee.post(
        "/api/v1/indicators/import-stix/",
        {"incident": founding.pk, "content": "{oops"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    (message,) = error(not_json)["fields"]["rows[0].bundle"]
    assert message.startswith(
        "正しい STIX 2.1 バンドルではありません: ファイルが JSON ではありません（詳細: "
    )
    bad_id = {**no_pattern, "objects": [{**no_pattern["objects"][0], "pattern": "[x]", "id": "x"}]}
    english = committee.post(
        "/api/v1/indicators/import-stix/",
        {"incident": founding.pk, "content": json.dumps(bad_id)},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    (message,) = error(english)["fields"]["rows[1].indicator"]
    assert message.startswith("The property “id” has a value STIX 2.1 does not allow (detail: ")
    assert not Indicator.objects.exists()


def test_a_bundle_marking_a_public_sender_green_does_not_take_it_out_of_public_documents(
    api, founding
):
    """The organisation warned its customers of a spoofed sender (public, TLP:CLEAR); a
    vendor's bundle marks the same address TLP:GREEN. The warning stays, and the import's
    answer says which values were kept public although the bundle marks them stricter."""
    from scope.services import public_sender_indicators

    indicator(
        api, founding, type="email-sender", value="spoof@example.com", tlp="clear", public=True
    )
    bundle = {
        "type": "bundle",
        "id": "bundle--6b4c4b0e-3c38-4e57-9d51-1f1e2b6f7a11",
        "objects": [
            json.loads(
                stix2.Indicator(
                    pattern="[email-addr:value = 'Spoof@Example.com']",
                    pattern_type="stix",
                    object_marking_refs=[TLP2_IDS[TLP.GREEN]],
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
    assert response.json() == {
        "rows": 1,
        "created": 0,
        "merged": 1,
        "kept_public": ["spoof@example.com"],
        "skipped": [],
    }
    sender = Indicator.objects.get(value="spoof@example.com")
    assert (sender.tlp, sender.public) == ("clear", True)
    assert [i.value for i in public_sender_indicators([founding])] == ["spoof@example.com"]


def test_a_bundles_errors_are_counted_in_objects_and_other_pattern_languages_are_reported(
    api, founding
):
    sigma = json.loads(stix2.Indicator(pattern="title: x", pattern_type="sigma").serialize())
    good = json.loads(
        stix2.Indicator(pattern="[ipv4-addr:value = '192.0.2.10']", pattern_type="stix").serialize()
    )
    bundle = {"type": "bundle", "id": "bundle--6b4c4b0e-3c38-4e57-9d51-1f1e2b6f7a12"}
    committee = api("committee")
    response = committee.post(
        "/api/v1/indicators/import-stix/",
        {"incident": founding.pk, "content": json.dumps({**bundle, "objects": [sigma, good]})},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    (skipped,) = response.json()["skipped"]
    assert "1番目のオブジェクト" in skipped and "sigma" in skipped
    bad = {**good, "pattern": "[ipv4-addr:value = '192.0.2.300']"}
    refused = committee.post(
        "/api/v1/indicators/import-stix/",
        {"incident": founding.pk, "content": json.dumps({**bundle, "objects": [bad]})},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert refused.status_code == 400
    message = error(refused)["message"]
    assert "1個のオブジェクトに誤りがあります" in message and "行" not in message


def test_a_binary_file_sent_as_csv_is_named_as_not_a_csv_text_file(api, founding):
    from django.core.files.uploadedfile import SimpleUploadedFile

    xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)) * 4
    response = api("committee").post(
        "/api/v1/assets/import/",
        {"incident": founding.pk, "file": SimpleUploadedFile("inventory.csv", xlsx)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert response.status_code == 400
    assert "CSV形式のテキストファイルではありません" in error(response)["fields"]["rows[0].file"][0]
    assert not Asset.objects.exists()
