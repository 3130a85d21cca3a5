"""Assets, checks and indicators in the admin, as the personas see them."""

import json

import pytest
import stix2
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scope import services
from scope.models import Asset, Check, Indicator
from tests.conftest import jst
from tests.helpers import login

pytestmark = pytest.mark.django_db


def add_form(incident, **fields):
    return {
        "incident": incident.pk,
        "type": "ipv4",
        "value": "192.0.2.10",
        "tlp": "amber",
        "source": "own_analysis",
        "source_detail": "",
        "note": "",
        **fields,
    }


def test_committee_adds_an_indicator_and_a_bad_one_gets_a_form_error(client, persona, founding):
    login(client, persona["committee"], "en")
    url = reverse("admin:scope_indicator_add")
    response = client.post(url, add_form(founding, value="192.0.2.300"))
    assert response.status_code == 200
    assert "Enter a valid IPv4 address" in response.text
    assert not Indicator.objects.exists()

    response = client.post(url, add_form(founding, type="sha256", value="F" * 64))
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = Indicator.objects.get()
    assert row.value == "f" * 64
    assert row.history.get().history_user == persona["committee"]

    again = client.post(url, add_form(founding, type="sha256", value="f" * 64))
    assert again.status_code == 200
    assert "already recorded" in again.text
    assert Indicator.objects.count() == 1


def test_linking_another_incidents_asset_is_a_form_error(client, persona, founding, make_incident):
    other = make_incident(members=[persona["committee"]])
    foreign = Asset.objects.create(incident=other, kind="host", name="PC-X")
    login(client, persona["committee"], "en")
    response = client.post(
        reverse("admin:scope_indicator_add"), add_form(founding, assets=[foreign.pk])
    )
    assert response.status_code == 200
    assert "Choose only rows of this incident." in response.text
    assert not Indicator.objects.exists()


def test_a_check_added_on_the_asset_page_goes_through_the_service(client, persona, founding):
    asset = services.create_asset(incident=founding, user=None, kind="host", name="PC-01")
    login(client, persona["committee"], "en")
    url = reverse("admin:scope_asset_change", args=[asset.pk])
    response = client.post(
        url,
        {
            "incident": founding.pk,
            "kind": "host",
            "name": "PC-01",
            "owner": "経理部",
            "role": "suspected",
            "note": "",
            "checks-TOTAL_FORMS": "1",
            "checks-INITIAL_FORMS": "0",
            "checks-MIN_NUM_FORMS": "0",
            "checks-MAX_NUM_FORMS": "1000",
            "checks-0-checked_at_0": "2022-02-05",
            "checks-0-checked_at_1": "10:00",
            "checks-0-tool": "EmoCheck v2.1",
            "checks-0-result": "infected",
            "checks-0-checked_by": "情報システム部",
            "checks-0-note": "",
        },
    )
    assert response.status_code == 302, response.content[:3000]
    asset.refresh_from_db()
    assert asset.owner == "経理部"
    assert asset.role == "infected"
    check = asset.checks.get()
    assert check.recorded_by == persona["committee"]


def test_incident_page_shows_the_scope_with_progress_and_links(
    client, persona, founding, django_assert_max_num_queries
):
    pcs = [
        services.create_asset(incident=founding, user=None, kind="host", name=f"PC-{i}")
        for i in range(3)
    ]
    services.record_check(
        pcs[0], user=None, tool="EmoCheck", result="clean", checked_at=jst(2022, 3, 17, 9)
    )
    services.record_check(
        pcs[1], user=None, tool="EmoCheck", result="clean", checked_at=jst(2022, 3, 16, 9)
    )
    services.record_check(
        pcs[2], user=None, tool="EmoCheck", result="infected", checked_at=jst(2022, 3, 18, 9)
    )
    services.create_indicator(incident=founding, user=None, type="domain", value="spoof.example")
    login(client, persona["legal"], "en")
    page = client.get(reverse("admin:incidents_incident_change", args=[founding.pk]) + "?tab=scope")
    assert page.status_code == 200
    assert (
        "Host (PC) checked: 2/3 clean, 1 infected; every one checked since 2022-03-16" in page.text
    )
    assert "Indicators (1)" in page.text
    assert reverse("admin:scope_indicator_export", args=[founding.pk, "stix"]) in page.text
    assert "Import indicators" not in page.text  # legal reads only


def test_admin_exports_and_outsider_404(client, persona, founding):
    services.create_indicator(
        incident=founding, user=None, type="email-sender", value="a@spoof.example", tlp="clear"
    )
    services.create_indicator(incident=founding, user=None, type="md5", value="a" * 32, tlp="red")
    stix_url = reverse("admin:scope_indicator_export", args=[founding.pk, "stix"])
    misp_url = reverse("admin:scope_indicator_export", args=[founding.pk, "misp"])
    login(client, persona["executive"])
    bundle = stix2.parse(client.get(stix_url).content.decode())
    assert [o.pattern for o in bundle.objects if o.type == "indicator"] == [
        "[email-message:from_ref.value = 'a@spoof.example']"
    ]
    assert client.get(stix_url + "?include_red=1").status_code == 403
    event = json.loads(client.get(misp_url).content)["Event"]
    assert [a["value"] for a in event["Attribute"]] == ["a@spoof.example"]

    login(client, persona["outsider"])
    for url in [stix_url, misp_url, stix_url + "?include_red=1"]:
        assert client.get(url).status_code == 404
    missing = reverse("admin:scope_indicator_export", args=[999999, "stix"])
    assert client.get(missing).status_code == 404


def test_outsider_cannot_reach_scope_rows_in_the_admin(client, persona, founding):
    asset = services.create_asset(incident=founding, user=None, kind="host", name="PC-secret")
    ind = services.create_indicator(
        incident=founding, user=None, type="domain", value="secret.example"
    )
    login(client, persona["outsider"], "en")
    for name, obj in [("asset", asset), ("indicator", ind)]:
        changelist = client.get(reverse(f"admin:scope_{name}_changelist"))
        assert changelist.status_code == 200
        assert "secret" not in changelist.text
        hidden = client.get(reverse(f"admin:scope_{name}_change", args=[obj.pk]))
        missing = client.get(reverse(f"admin:scope_{name}_change", args=[999999]))
        assert hidden.status_code == missing.status_code == 404
        assert hidden.text == missing.text
        history = client.get(reverse(f"admin:scope_{name}_history", args=[obj.pk]))
        assert history.status_code == 404
    # The import form offers only visible incidents.
    response = client.post(
        reverse("admin:scope_indicator_import"),
        {
            "incident": founding.pk,
            "format": "csv",
            "file": SimpleUploadedFile("x.csv", b"type,value\nipv4,192.0.2.1\n"),
        },
    )
    assert response.status_code == 200
    assert Indicator.objects.count() == 1


def test_admin_csv_import_lists_each_bad_row_and_imports_nothing(client, persona, founding):
    login(client, persona["committee"], "en")
    url = reverse("admin:scope_asset_import")
    csv_bytes = "kind,name,owner\nhost,PC-1,営業部\nhost,,営業部\nkettle,PC-3,\n".encode("cp932")
    response = client.post(
        url,
        {
            "incident": founding.pk,
            "format": "csv",
            "file": SimpleUploadedFile("inv.csv", csv_bytes),
        },
    )
    assert response.status_code == 200
    assert "Nothing was imported: 2 row(s) have errors." in response.text
    errors = response.context["row_errors"]
    assert [(row, column) for row, column, _ in errors] == [(3, "name"), (4, "kind")]
    assert not Asset.objects.exists()

    good = "kind,name,owner\nhost,PC-1,営業部\nserver,mail01,\n".encode("cp932")
    response = client.post(
        url, {"incident": founding.pk, "format": "csv", "file": SimpleUploadedFile("i.csv", good)}
    )
    assert response.status_code == 302
    assert set(Asset.objects.values_list("name", "owner")) == {("PC-1", "営業部"), ("mail01", "")}


def test_admin_stix_import(client, persona, founding):
    bundle = stix2.Bundle(
        stix2.Indicator(
            pattern="[domain-name:value = 'Spoof.Example'] OR [url:value = 'hxxp://x.example/a']",
            pattern_type="stix",
            object_marking_refs=[stix2.TLP_GREEN],
        ),
        stix2.TLP_GREEN,
    ).serialize()
    login(client, persona["committee"], "en")
    response = client.post(
        reverse("admin:scope_indicator_import"),
        {
            "incident": founding.pk,
            "format": "stix",
            "file": SimpleUploadedFile("b.json", bundle.encode()),
        },
    )
    assert response.status_code == 302
    assert dict(Indicator.objects.values_list("value", "tlp")) == {
        "spoof.example": "green",
        "http://x.example/a": "green",
    }


def test_asset_list_runs_a_fixed_number_of_queries(
    client, persona, founding, django_assert_max_num_queries
):
    assets = Asset.objects.bulk_create(
        Asset(incident=founding, kind="host", name=f"PC-{i:03d}") for i in range(80)
    )
    Check.objects.bulk_create(
        Check(asset=a, tool="EmoCheck", result="clean", checked_at=jst(2022, 3, 17)) for a in assets
    )
    login(client, persona["committee"])
    for name in ["asset", "indicator"]:
        with django_assert_max_num_queries(14):
            assert client.get(reverse(f"admin:scope_{name}_changelist")).status_code == 200


def test_lists_and_history_show_labels_not_codes_in_japanese(client, persona, founding):
    pc = services.create_asset(
        incident=founding, user=persona["committee"], kind="host", name="PC-7"
    )
    services.record_check(
        pc, user=None, tool="EmoCheck", result="infected", checked_at=jst(2022, 2, 4, 9)
    )
    services.record_check(
        pc, user=None, tool="full scan", result="clean", checked_at=jst(2022, 3, 17, 9)
    )
    services.create_indicator(
        incident=founding,
        user=None,
        type="email-sender",
        value="info@spoof.example",
        tlp="clear",
        public=True,
        first_seen=jst(2022, 2, 2, 9),
        last_seen=jst(2022, 2, 20, 9),
    )
    login(client, persona["committee"])  # Japanese, the default
    assets = client.get(reverse("admin:scope_asset_changelist")).text
    assert "感染なし" in assets and "2022-03-17" in assets  # its state, by its latest check
    assert ">clean<" not in assets and ">infected<" not in assets
    indicators = client.get(reverse("admin:scope_indicator_changelist")).text
    assert "TLP:CLEAR" in indicators and "公表対象" in indicators
    assert "2022-02-02 –<br>2022-02-20" in indicators
    ind = Indicator.objects.get()
    change = client.get(reverse("admin:scope_indicator_change", args=[ind.pk])).text
    assert "送信元メールアドレス: info@spoof.example" in change
    assert "email-sender:" not in change
    history = client.get(reverse("admin:scope_asset_history", args=[pc.pk])).text
    assert "感染の疑い" in history and "感染" in history
    assert "suspected" not in history and "infected" not in history


def test_one_incidents_list_leaves_out_the_incident_column(client, persona, founding):
    services.create_asset(incident=founding, user=None, kind="host", name="PC-1")
    login(client, persona["committee"])
    url = reverse("admin:scope_asset_changelist")
    assert "field-incident_reference" in client.get(url).text
    assert "field-incident_reference" not in client.get(f"{url}?incident={founding.pk}").text


def test_admin_import_errors_name_the_line_of_the_file(client, persona, founding):
    login(client, persona["committee"])
    csv_bytes = b"type,value,note\nipv4,192.0.2.1,\n\nipv4,192.0.2.999,\n"
    response = client.post(
        reverse("admin:scope_indicator_import"),
        {"incident": founding.pk, "format": "csv", "file": SimpleUploadedFile("i.csv", csv_bytes)},
    )
    assert [(row, column) for row, column, _ in response.context["row_errors"]] == [(4, "value")]
    assert "<th>行番号</th>" in response.text
    assert "見出し行が1行目" in response.text


def test_a_recorded_check_is_shown_never_rewritten_or_deleted_on_the_assets_page(
    client, persona, founding
):
    """A check decides the asset's state: the page records new ones only."""
    from scope.models import Asset, Check

    asset = Asset.objects.create(incident=founding, kind="host", name="PC-177", role="infected")
    Check.objects.create(
        asset=asset, tool="EmoCheck", result="infected", checked_at="2022-03-17T01:00Z"
    )
    client.force_login(persona["committee"])
    page = client.get(f"/admin/scope/asset/{asset.pk}/change/").content.decode()
    assert "実施した確認" in page and "確認を記録" in page
    assert "EmoCheck" in page  # shown
    assert 'name="checks-2-0-result"' not in page  # the recorded row is text, not a form
    assert "-DELETE" not in page


def test_the_incidents_scope_tab_names_its_field_as_the_tab(client, persona, founding):
    """影響範囲 (what was hit), not an engagement's 調査範囲 (the scope of the work)."""
    client.force_login(persona["committee"])
    page = client.get(f"/admin/incidents/incident/{founding.pk}/change/", {"tab": "scope"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "<label>影響範囲:</label>" in text
    assert "調査範囲" not in text


def test_a_check_already_recorded_is_refused_on_its_row_not_a_server_error(
    client, persona, founding
):
    """The same tool at the same time recorded again from the asset's page: the page comes
    back with the error beside the check, and nothing of the post is saved."""
    asset = services.create_asset(incident=founding, user=None, kind="host", name="PC-01")
    services.record_check(
        asset, user=None, tool="EmoCheck", result="clean", checked_at=jst(2022, 2, 5, 10)
    )
    login(client, persona["committee"])
    url = reverse("admin:scope_asset_change", args=[asset.pk])
    response = client.post(
        url,
        {
            "incident": founding.pk,
            "kind": "host",
            "name": "PC-01",
            "owner": "経理部",
            "role": "suspected",
            "note": "",
            "checks-TOTAL_FORMS": "1",
            "checks-INITIAL_FORMS": "0",
            "checks-MIN_NUM_FORMS": "0",
            "checks-MAX_NUM_FORMS": "1000",
            "checks-0-checked_at_0": "2022-02-05",
            "checks-0-checked_at_1": "10:00",
            "checks-0-tool": "EmoCheck",
            "checks-0-result": "infected",
            "checks-0-checked_by": "",
            "checks-0-note": "",
        },
    )
    assert response.status_code == 200
    (formset, *_rest) = response.context["inline_admin_formsets"]
    assert formset.formset.forms[0].errors["checked_at"] == ["この確認は登録済みです。"]
    assert "この確認は登録済みです。" in response.text
    asset.refresh_from_db()
    assert asset.owner == "" and asset.role == "clean"  # nothing half-saved
    assert asset.checks.count() == 1


def test_the_admin_refuses_to_delete_an_asset_with_checks_saying_what_to_do(
    client, persona, founding
):
    asset = services.create_asset(incident=founding, user=None, kind="host", name="PC-01")
    services.record_check(
        asset, user=None, tool="EmoCheck", result="infected", checked_at=jst(2022, 2, 5, 10)
    )
    login(client, persona["committee"])
    url = reverse("admin:scope_asset_delete", args=[asset.pk])
    page = client.get(url)
    assert page.status_code == 409  # as the admin answers any protected deletion
    assert "確認が1件あるため削除できません" in page.text and "「対象外」" in page.text
    client.post(url, {"post": "yes"})
    bulk = client.post(
        reverse("admin:scope_asset_changelist"),
        {"action": "delete_selected", "_selected_action": [asset.pk], "post": "yes"},
    )
    assert bulk.status_code == 409
    assert Asset.objects.filter(pk=asset.pk).exists()
