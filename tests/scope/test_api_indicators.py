"""Indicators through the API: created, validated and normalised per type, de-duplicated."""

import pytest

from scope.models import Asset, Indicator

from .helpers import error, indicator

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize(
    "path,base",
    [("C:\\Users\\a\\invoice.doc", "invoice.doc"), ("/tmp/x.exe", "x.exe")],
)
def test_a_file_name_given_as_a_path_is_refused_naming_the_file_name(api, founding, path, base):
    """Refused, not cut: the folder can name the PC's user and must not leave in an export;
    the message says what to give instead."""
    committee = api("committee")
    response = committee.post(
        "/api/v1/indicators/",
        {"incident": founding.pk, "type": "filename", "value": path},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    (message,) = error(response)["fields"]["value"]
    assert message.startswith(f"Enter the file name without its folder: “{base}”.")
    japanese = committee.post(
        "/api/v1/indicators/",
        {"incident": founding.pk, "type": "filename", "value": path},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ja",
    )
    assert f"フォルダを除いたファイル名「{base}」" in error(japanese)["fields"]["value"][0]
    assert indicator(api, founding, type="filename", value=base).status_code == 201
    assert list(Indicator.objects.values_list("value", flat=True)) == [base]


def test_a_url_with_a_japanese_host_is_one_indicator_however_its_host_is_spelled(api, founding):
    first = indicator(api, founding, type="url", value="https://例え.jp/パス")
    assert first.status_code == 201, first.content
    assert first.json()["value"] == "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9"
    again = indicator(api, founding, type="url", value="https://xn--r8jz45g.jp/パス")
    assert again.status_code == 400
    assert list(error(again)["fields"]) == ["value"]
    assert Indicator.objects.filter(incident=founding).count() == 1


@pytest.mark.parametrize(
    ("kind", "value"), [("domain", "spoof.example"), ("url", "https://spoof.example/")]
)
def test_public_is_refused_on_types_the_public_documents_never_list(api, founding, kind, value):
    response = indicator(api, founding, type=kind, value=value, public=True, tlp="clear")
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["public"]
    assert "送信元メールアドレスだけ" in error(response)["fields"]["public"][0]
    assert not Indicator.objects.exists()


def test_a_file_name_is_one_indicator_whatever_its_case_and_keeps_its_spelling(api, founding):
    first = indicator(api, founding, type="filename", value="請求書_0301.doc")
    assert first.status_code == 201, first.content
    again = indicator(api, founding, type="filename", value="請求書_0301.DOC")
    assert again.status_code == 400
    assert list(error(again)["fields"]) == ["value"]
    imported = api("committee").post(
        "/api/v1/indicators/import-csv/",
        {
            "incident": founding.pk,
            "content": "type,value\nfilename,請求書_0301.Doc\nfilename,Invoice.EXE\n"
            "filename,invoice.exe\n",
        },
        format="json",
    )
    assert imported.status_code == 200, imported.content
    assert (imported.json()["created"], imported.json()["merged"]) == (1, 2)
    values = Indicator.objects.filter(incident=founding).values_list("value", flat=True)
    assert sorted(values) == ["Invoice.EXE", "請求書_0301.doc"]
