"""Checks in the admin: a round imported from CSV or recorded for the selected assets; one
date format for recorded checks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scope import services
from scope.models import Asset, Check
from tests.conftest import jst
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def pcs(founding):
    return [
        services.create_asset(incident=founding, user=None, kind="host", name=f"PC-{i:03d}")
        for i in range(1, 4)
    ]


def test_a_round_of_checks_is_imported_on_the_admin_page_that_names_its_headers(
    client, persona, founding, pcs
):
    login(client, persona["committee"])
    url = reverse("admin:scope_check_import")
    page = client.get(url, {"incident": founding.pk})
    assert page.status_code == 200
    assert "使える列見出し" in page.text
    assert "asset* (asset name, name, hostname, host, 資産, 資産名" in page.text
    assert "checked_at* (" in page.text and "確認日時" in page.text
    bad = (
        "資産名,ツール,結果,確認日時\n"
        "PC-001,EmoCheck,感染なし,2022/3/17 9:00\n"
        "PC-009,EmoCheck,感染,2022/3/17 9:00\n"
    )
    response = client.post(
        url,
        {
            "incident": founding.pk,
            "format": "csv",
            "file": SimpleUploadedFile("round.csv", bad.encode("cp932")),
        },
    )
    assert response.status_code == 200
    assert [(row, column) for row, column, _ in response.context["row_errors"]] == [(3, "asset")]
    assert "「PC-009」という資産は記録されていません" in response.text
    assert not Check.objects.exists()
    good = bad.replace("PC-009", "PC-002")
    response = client.post(
        url,
        {
            "incident": founding.pk,
            "format": "csv",
            "file": SimpleUploadedFile("round.csv", good.encode("cp932")),
        },
    )
    assert response.status_code == 302
    assert (
        response["Location"] == f"{reverse('admin:scope_asset_changelist')}?incident={founding.pk}"
    )
    assert dict(Check.objects.values_list("asset__name", "result")) == {
        "PC-001": "clean",
        "PC-002": "infected",
    }
    assert Asset.objects.get(name="PC-002").role == "infected"


def test_who_reads_only_cannot_import_checks_and_the_tab_links_it_for_who_can(
    client, persona, founding
):
    url = reverse("admin:scope_check_import")
    login(client, persona["legal"])
    assert client.get(url).status_code == 403
    tab = reverse("admin:incidents_incident_change", args=[founding.pk]) + "?tab=scope"
    assert url not in client.get(tab).text
    login(client, persona["committee"])
    assert f"{url}?incident={founding.pk}" in client.get(tab).text


def test_a_check_round_is_recorded_for_the_selected_assets(client, persona, founding, pcs):
    login(client, persona["committee"], "en")
    changelist = reverse("admin:scope_asset_changelist")
    selected = [pcs[0].pk, pcs[1].pk]
    page = client.post(
        changelist,
        {"action": "record_check_round", "_selected_action": selected, "index": 0},
    )
    assert page.status_code == 200
    assert "PC-001" in page.text and "PC-002" in page.text and "PC-003" not in page.text
    assert "In the incident&#x27;s time zone (Asia/Tokyo)." in page.text
    form = {
        "action": "record_check_round",
        "_selected_action": selected,
        "apply": "1",
        "tool": "EmoCheck v2.3",
        "result": "clean",
        "checked_at_0": "2022-03-17",
        "checked_at_1": "09:00",
        "checked_by": "情報システム部",
        "note": "",
    }
    done = client.post(changelist, form)
    assert done.status_code == 302
    checks = Check.objects.order_by("asset__name")
    assert [(c.asset.name, c.result, c.checked_at) for c in checks] == [
        ("PC-001", "clean", jst(2022, 3, 17, 9)),
        ("PC-002", "clean", jst(2022, 3, 17, 9)),
    ]
    assert {c.recorded_by.username for c in checks} == {"committee"}
    assert set(Asset.objects.filter(role="clean").values_list("name", flat=True)) == {
        "PC-001",
        "PC-002",
    }
    # The same round again: refused, naming the assets, nothing added.
    again = client.post(changelist, form)
    assert again.status_code == 200
    assert "already recorded for: PC-001, PC-002." in again.text
    future = client.post(changelist, {**form, "checked_at_0": "2099-01-01"})
    assert "This is in the future." in future.text
    assert Check.objects.count() == 2


def test_a_check_round_is_one_incidents(client, persona, founding, pcs, make_incident):
    other = make_incident(members=[persona["committee"]])
    elsewhere = services.create_asset(incident=other, user=None, kind="host", name="PC-900")
    login(client, persona["committee"], "en")
    response = client.post(
        reverse("admin:scope_asset_changelist"),
        {"action": "record_check_round", "_selected_action": [pcs[0].pk, elsewhere.pk], "index": 0},
        follow=True,
    )
    assert "Choose assets of one incident for a check round." in response.text
    assert not Check.objects.exists()


def test_a_checks_date_reads_the_same_on_every_page(client, persona, founding, pcs):
    services.record_check(
        pcs[0], user=None, tool="EmoCheck", result="clean", checked_at=jst(2022, 3, 17, 9)
    )
    for pc in pcs[1:]:
        services.record_check(
            pc, user=None, tool="EmoCheck", result="clean", checked_at=jst(2022, 3, 18, 9)
        )
    login(client, persona["committee"])  # Japanese
    asset_page = client.get(reverse("admin:scope_asset_change", args=[pcs[0].pk])).text
    asset_list = client.get(reverse("admin:scope_asset_changelist")).text
    tab = client.get(
        reverse("admin:incidents_incident_change", args=[founding.pk]) + "?tab=scope"
    ).text
    status = client.get(f"/incidents/{founding.reference}/").text
    for page in (asset_page, asset_list, tab, status):
        # One format for dates (and the date of a date-time) in both languages.
        assert "2022-03-17" in page
        assert "2022年3月17日" not in page and "March 17" not in page
