"""The scope's admin pages in a real browser at 1280 px, in Japanese: the asset's page with
its checks, the asset list and the indicator list fit the width (no sideways scroll of the
page, nor of a list's columns), and say nothing in English. Screenshots go to
var/scope-admin/ for a person to look at. Marker `browser`, as tests/incidents/
test_committee_day.py."""

from pathlib import Path

import pytest
from django.conf import settings

from incidents import founding_case
from incidents.models import Incident
from scope import services
from tests.conftest import jst
from tests.dashboard.test_browser import browser  # noqa: F401 - the fixture
from tests.incidents.test_committee_day import ENGLISH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "scope-admin"
WIDTH = 1280


def scope_of(incident):
    pcs = []
    for i in range(6):
        pc = services.create_asset(
            incident=incident, user=None, kind="host", name=f"PC-{i:02d}", owner="営業部"
        )
        services.record_check(
            pc,
            user=None,
            tool="EmoCheck v2.3",
            result="infected" if i < 2 else "clean",
            checked_at=jst(2022, 2, 4, 10),
            checked_by="情報システム部",
            note="初回の全台チェック",
        )
        pcs.append(pc)
    services.record_check(
        pcs[0],
        user=None,
        tool="ウイルス対策ソフトのフルスキャン",
        result="clean",
        checked_at=jst(2022, 3, 17, 10),
        checked_by="外部ベンダー",
        note="駆除後の確認。長めのメモがここに入ることもある。",
    )
    services.create_asset(
        incident=incident, user=None, kind="mailbox", name="sales-department@example.co.jp"
    )
    for kind, value, tlp in [
        ("email-sender", "info@spoofed-example.jp", "clear"),
        (
            "url",
            "https://very-long-malicious-domain.example.com/wp-content/uploads/2022/02/"
            "invoice_download.php?id=1234567890",
            "amber",
        ),
        ("sha256", "a" * 64, "red"),
    ]:
        services.create_indicator(
            incident=incident,
            user=None,
            type=kind,
            value=value,
            tlp=tlp,
            public=tlp == "clear",
            first_seen=jst(2022, 2, 2, 9),
            last_seen=jst(2022, 2, 20, 9),
        )
    return pcs[0]


def test_scope_admin_pages_fit_1280_px_in_japanese(browser, live_server):  # noqa: F811
    founding_case.load()
    incident = Incident.objects.get(reference="INC-2022-0001")
    pc = scope_of(incident)
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 800}, locale="ja-JP", timezone_id="Asia/Tokyo"
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "committee")
    page.fill("#id_password", founding_case.DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    for name, path in [
        ("asset-change", f"/admin/scope/asset/{pc.pk}/change/"),
        ("asset-list", "/admin/scope/asset/"),
        ("indicator-list", "/admin/scope/indicator/"),
        ("asset-history", f"/admin/scope/asset/{pc.pk}/history/"),
        ("scope-tab", f"/admin/incidents/incident/{incident.pk}/change/?tab=scope"),
        ("check-import", f"/admin/scope/asset/import-checks/?incident={incident.pk}"),
        ("export-options", f"/admin/scope/indicator/export/{incident.pk}/"),
    ]:
        page.goto(live_server.url + path)
        page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"{name}: {width} px wide"
        columns = page.evaluate(
            "(() => { const r = document.querySelector('#changelist .results');"
            " return r ? r.scrollWidth - r.clientWidth : 0 })()"
        )
        assert columns <= 0, f"{name}: the list's columns scroll sideways by {columns} px"
        english = sorted(set(ENGLISH.findall(page.evaluate("document.body.innerText"))))
        assert not english, f"{name}: English left: {english}"
    # The new check's 今日 and 現在 shortcuts are there and fill its date and time, and the
    # row still fits its box.
    page.goto(f"{live_server.url}/admin/scope/asset/{pc.pk}/change/")
    page.locator(".inline-group .datetimeshortcuts a", has_text="今日").first.click()
    page.locator(".inline-group .datetimeshortcuts a", has_text="現在").first.click()
    assert page.input_value("#id_checks-0-checked_at_0")
    assert page.input_value("#id_checks-0-checked_at_1")
    overflow = page.evaluate(
        "(() => { const t = document.querySelector('.inline-group .tabular');"
        " return t.scrollWidth - t.clientWidth })()"
    )
    assert overflow <= 0, f"the check row scrolls sideways by {overflow} px"
    # The scope tab: its progress list starts at the edge its links start at, the field's.
    page.goto(f"{live_server.url}/admin/incidents/incident/{incident.pk}/change/?tab=scope")
    edges = page.evaluate(
        "[...document.querySelectorAll('.field-scope .scope-summary li, "
        ".field-scope .scope-summary a')].map(e => Math.round(e.getBoundingClientRect().left))"
    )
    assert len(edges) > 3 and min(edges) == edges[0]
    first_of_each_line = page.evaluate(
        "[...document.querySelectorAll('.field-scope .scope-summary li, "
        ".field-scope .scope-line > a:first-child')]"
        ".map(e => Math.round(e.getBoundingClientRect().left))"
    )
    assert len(set(first_of_each_line)) == 1, first_of_each_line
    context.close()
