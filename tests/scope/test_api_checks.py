"""Checks through the API: a record of a fact (added, never changed), and a round of them
imported from CSV."""

import pytest

from scope.models import Asset, Check

from .helpers import error

pytestmark = pytest.mark.django_db


@pytest.fixture
def pc(founding):
    return Asset.objects.create(incident=founding, kind="host", name="PC-001", owner="営業部")


def record(client, asset, **fields):
    body = {
        "asset": asset.pk,
        "tool": "EmoCheck",
        "result": "clean",
        "checked_at": "2022-03-17T10:00:00+09:00",
        **fields,
    }
    return client.post("/api/v1/checks/", body, format="json")


def checks_csv(text: str):
    return text.encode("utf-8")


def import_checks(client, incident, content, lang="en"):
    return client.post(
        "/api/v1/checks/import/",
        {"incident": incident.pk, "content": content},
        format="json",
        HTTP_ACCEPT_LANGUAGE=lang,
    )


# A record of a fact ----------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_check_is_never_changed_put_and_patch_answer_405_saying_why(api, pc, method):
    committee = api("committee")
    created = record(committee, pc)
    assert created.status_code == 201, created.content
    url = f"/api/v1/checks/{created.json()['id']}/"
    body = {**created.json(), "result": "infected"}
    response = getattr(committee, method)(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405
    assert "Record a new check to correct it" in error(response)["message"]
    japanese = getattr(committee, method)(url, body, format="json", HTTP_ACCEPT_LANGUAGE="ja")
    assert "新しい確認を記録" in error(japanese)["message"]
    check = Check.objects.get()
    assert check.result == "clean" and check.history.count() == 1
    assert "PUT" not in response["Allow"] and "PATCH" not in response["Allow"]


def test_a_wrong_check_is_corrected_by_a_new_one_or_deleted_with_its_history(api, pc):
    committee = api("committee")
    wrong = record(committee, pc, result="infected").json()
    record(committee, pc, result="clean", checked_at="2022-03-18T10:00:00+09:00")
    assert committee.get(f"/api/v1/assets/{pc.pk}/").json()["state"] == "clean"
    assert api("legal").delete(f"/api/v1/checks/{wrong['id']}/").status_code == 403
    assert committee.delete(f"/api/v1/checks/{wrong['id']}/").status_code == 204
    deleted = Check.history.get(id=wrong["id"], history_type="-")
    assert deleted.history_user.username == "committee"
    assert deleted.result == "infected"  # what was deleted stays readable
    assert list(Check.objects.values_list("result", flat=True)) == ["clean"]


def test_the_schema_offers_no_way_to_change_a_check(api):
    schema = api("committee").get("/api/schema/?format=json")
    assert schema.status_code == 200
    check = schema.json()["paths"]["/api/v1/checks/{id}/"]
    assert set(check) == {"get", "delete"}
    assert "post" in schema.json()["paths"]["/api/v1/checks/import/"]


# A round of checks from CSV ----------------------------------------------------------


def test_a_round_of_300_pcs_is_imported_at_once_with_japanese_headers(
    api, founding, django_assert_max_num_queries
):
    Asset.objects.bulk_create(
        Asset(incident=founding, kind="host", name=f"PC-{i:03d}") for i in range(300)
    )
    rows = ["資産名,ツール,結果,確認日時,確認者"]
    for i in range(300):
        result = "感染" if i in (7, 42) else "感染なし"
        rows.append(f"pc-{i:03d},EmoCheck v2.3,{result},2022/3/17 9:30,情報システム部")
    committee = api("committee")
    with django_assert_max_num_queries(40):
        response = import_checks(committee, founding, "\n".join(rows) + "\n")
    assert response.status_code == 200, response.content[:500]
    assert response.json() == {
        "rows": 300,
        "created": 300,
        "merged": 0,
        "kept_public": [],
        "skipped": [],
    }
    check = Check.objects.get(asset__name="PC-042")
    assert (check.result, check.checked_by, check.recorded_by.username) == (
        "infected",
        "情報システム部",
        "committee",
    )
    assert check.checked_at.isoformat() == "2022-03-17T00:30:00+00:00"  # 9:30 in Tokyo
    assert Check.history.filter(history_type="+").count() == 300
    infected = committee.get(f"/api/v1/assets/?incident={founding.pk}&state=infected").json()
    assert [a["name"] for a in infected["results"]] == ["PC-007", "PC-042"]
    # Their roles moved as one check at a time moves them, with history.
    assert Asset.objects.get(name="PC-042").role == "infected"
    assert Asset.objects.get(name="PC-001").role == "clean"
    assert Asset.history.filter(name="PC-042", history_type="~").get().history_user.username == (
        "committee"
    )
    # The same file again changes nothing.
    again = import_checks(committee, founding, "\n".join(rows) + "\n")
    assert again.json() == {
        "rows": 300,
        "created": 0,
        "merged": 300,
        "kept_public": [],
        "skipped": [],
    }
    assert Check.objects.count() == 300


def test_bad_check_rows_import_nothing_and_each_names_its_line(api, founding, pc):
    Asset.objects.create(incident=founding, kind="host", name="PC-002")
    content = (
        "asset,tool,result,checked_at,checked_by,note\n"  # 1
        "PC-001,EmoCheck,clean,2022-03-17 10:00,,\n"  # 2
        "PC-404,EmoCheck,clean,2022-03-17 10:00,,\n"  # 3 unknown asset
        "PC-002,EmoCheck,exploded,2022-03-17 10:00,,\n"  # 4 bad result
        "PC-002,EmoCheck,clean,yesterday,,\n"  # 5 bad time
        "pc-001,EmoCheck,infected,2022-03-17 10:00,,\n"  # 6 the same check as line 2
        "PC-002,EmoCheck,clean,2099-01-01 10:00,,\n"  # 7 in the future
        "PC-002,,clean,2022-03-17 10:00,,\n"  # 8 no tool
    )
    response = import_checks(api("committee"), founding, content)
    assert response.status_code == 400
    fields = error(response)["fields"]
    assert set(fields) - {"non_field_errors"} == {
        "rows[3].asset",
        "rows[4].result",
        "rows[5].checked_at",
        "rows[6].checked_at",
        "rows[7].checked_at",
        "rows[8].tool",
    }
    assert fields["rows[3].asset"] == ["No asset named “PC-404” is recorded for this incident."]
    assert fields["rows[6].checked_at"] == ["Duplicate of line 2."]
    assert not Check.objects.exists()
    pc.refresh_from_db()
    assert pc.role == "suspected"


def test_a_check_already_recorded_with_another_result_is_a_row_error(api, founding, pc):
    committee = api("committee")
    record(committee, pc, result="clean", checked_at="2022-03-17T10:00:00+09:00")
    response = import_checks(
        committee,
        founding,
        "asset,tool,result,checked_at\nPC-001,EmoCheck,infected,2022-03-17 10:00\n",
    )
    assert response.status_code == 400
    assert "already recorded" in error(response)["fields"]["rows[2].result"][0]
    assert Check.objects.count() == 1


def test_a_name_two_kinds_share_needs_the_kind_column(api, founding):
    Asset.objects.create(incident=founding, kind="host", name="tanaka")
    Asset.objects.create(incident=founding, kind="account", name="tanaka")
    committee = api("committee")
    content = "asset,tool,result,checked_at\ntanaka,EmoCheck,clean,2022-03-17\n"
    response = import_checks(committee, founding, content)
    assert response.status_code == 400
    assert "add a kind column" in error(response)["fields"]["rows[2].asset"][0]
    content = "名前,種別,ツール,結果,日時\ntanaka,端末（PC）,EmoCheck,エラー,2022-03-17\n"
    response = import_checks(committee, founding, content)
    assert response.status_code == 200, response.content
    assert Check.objects.get().asset.kind == "host" and Check.objects.get().result == "error"


def test_checks_import_keeps_to_need_to_know_and_roles(api, founding, pc):
    content = "asset,tool,result,checked_at\nPC-001,EmoCheck,clean,2022-03-17\n"
    assert import_checks(api("legal"), founding, content).status_code == 403
    hidden = import_checks(api("outsider"), founding, content)
    assert hidden.status_code in (400, 403)
    if hidden.status_code == 400:
        assert "incident" in error(hidden)["fields"]
    assert not Check.objects.exists()


# Deletions leave a readable history -------------------------------------------------


def test_a_deleted_checks_history_still_answers_and_its_asset_says_which_went(api, pc):
    committee = api("committee")
    wrong = record(committee, pc, result="infected").json()
    assert committee.delete(f"/api/v1/checks/{wrong['id']}/").status_code == 204
    assert committee.get(f"/api/v1/checks/{wrong['id']}/").status_code == 404
    history = committee.get(f"/api/v1/checks/{wrong['id']}/history/")
    assert history.status_code == 200, history.content
    assert [(e["type"], e["user"]) for e in history.json()] == [
        ("deleted", "committee"),
        ("created", "committee"),
    ]
    # Hidden stays missing: the outsider cannot read a deleted check's history either.
    assert api("outsider").get(f"/api/v1/checks/{wrong['id']}/history/").status_code == 404
    assert committee.get("/api/v1/checks/99999/history/").status_code == 404
    latest = committee.get(f"/api/v1/assets/{pc.pk}/history/", HTTP_ACCEPT_LANGUAGE="en").json()[0]
    assert latest["user"] == "committee"
    assert latest["event"] == f"確認を削除: EmoCheck 感染 2022-03-17 (No. {wrong['id']})"


def test_an_asset_with_checks_is_not_deleted_its_role_says_out_of_scope(api, founding, pc):
    committee = api("committee")
    record(committee, pc, result="infected")
    response = committee.delete(f"/api/v1/assets/{pc.pk}/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 409
    assert "対象外" in error(response)["message"]
    assert Asset.objects.filter(pk=pc.pk).exists() and pc.checks.count() == 1


def test_an_unchecked_asset_is_deleted_and_its_indicators_say_the_link_went(api, founding, pc):
    from scope import services

    committee = api("committee")
    ioc = services.create_indicator(
        incident=founding, user=None, type="ipv4", value="192.0.2.10", assets=[pc]
    )
    assert committee.delete(f"/api/v1/assets/{pc.pk}/").status_code == 204
    assert not ioc.assets.exists()
    latest = committee.get(f"/api/v1/indicators/{ioc.pk}/history/", HTTP_ACCEPT_LANGUAGE="en")
    assert latest.json()[0]["event"] == "資産を削除: 端末（PC） PC-001"


def test_checks_are_filtered_by_incident_as_assets_are(api, founding, pc, make_incident, persona):
    committee = api("committee")
    record(committee, pc)
    other = make_incident(members=[persona["committee"]])
    elsewhere = Asset.objects.create(incident=other, kind="host", name="PC-900")
    record(committee, elsewhere)
    mine = committee.get("/api/v1/checks/", {"incident": founding.pk}).json()["results"]
    assert [c["asset"] for c in mine] == [pc.pk]
    missing = committee.get("/api/v1/checks/", {"incident": 999999})
    assert missing.status_code == 400
    assert list(error(missing)["fields"]) == ["incident"]
    assert committee.get("/api/v1/assets/", {"incident": 999999}).status_code == 400


def test_an_import_takes_the_incident_by_its_reference_as_exports_do(api, founding, pc):
    content = "asset,tool,result,checked_at\nPC-001,EmoCheck,clean,2022/3/17 9:00\n"
    response = api("committee").post(
        "/api/v1/checks/import/",
        {"incident": founding.reference, "content": content},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert pc.checks.count() == 1
    hidden = api("outsider").post(
        "/api/v1/checks/import/",
        {"incident": founding.reference, "content": content},
        format="json",
    )
    assert hidden.status_code in (400, 403)
    assert pc.checks.count() == 1
