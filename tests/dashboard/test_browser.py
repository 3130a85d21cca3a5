"""A real browser: the executive logs in, reads the dashboard and the founding case's
status page, switches the language; the outsider sees none of it. Screenshots are kept
under artifacts/ (gitignored) for a person to look at.

Needs Debian's `chromium` (/usr/bin/chromium) and the `playwright` Python package; no
browser download (`playwright install` is never run). Missing either is a failure, not a
skip: CI installs both.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from incidents import founding_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts"


@pytest.fixture
def browser(monkeypatch):
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: .venv/bin/pip install playwright")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test
    # makes meanwhile are plain synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def log_in(browser, live_server, username, viewport=None):
    context = browser.new_context(
        viewport=viewport or {"width": 1366, "height": 900}, locale="ja-JP"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/dashboard/")
    assert "/admin/login/" in page.url  # login required
    page.fill("#id_username", username)
    page.fill("#id_password", founding_case.DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/dashboard/**")
    return page


def test_executive_reads_dashboard_and_status_page_in_both_languages(browser, live_server):
    incident = founding_case.load()
    page = log_in(browser, live_server, "executive")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(f"{live_server.url}/dashboard/?since=2022-01-01")
    assert page.locator("html").get_attribute("lang") == "ja"
    board = page.locator("#deadline-board")
    assert board.is_visible()
    # The founding case still owes the PPC its final report: overdue, in red.
    overdue = board.locator("tr.overdue", has_text=incident.reference)
    assert overdue.count() >= 1
    assert "個人情報保護委員会への確報" in overdue.first.inner_text()
    assert page.locator("#prevention svg.chart").is_visible()
    assert page.locator("#durations svg.chart").is_visible()
    page.screenshot(path=ARTIFACTS / "dashboard-ja.png", full_page=True)

    page.click(f"#deadline-board a:has-text('{incident.reference}')")
    page.wait_for_url(f"**/incidents/{incident.reference}/**")
    chart = page.locator("#timeline svg.chart-timeline")
    assert chart.is_visible()
    assert chart.locator("circle.point").count() >= 10  # the founding case's milestones
    assert chart.locator("g.marker").count() >= 3  # awareness and the PPC deadlines
    assert page.locator("#reports").is_visible()
    assert "2022-02-03 10:00" in page.locator("#timeline").inner_text()  # Tokyo time
    page.screenshot(path=ARTIFACTS / "incident-ja.png", full_page=True)

    # Switch to English with the header's select (auto-submits: static/taisaku-admin/language.js).
    with page.expect_navigation():
        page.select_option("#taisaku-language", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Final report to the PPC" in page.locator("#obligations").inner_text()
    assert page.locator("#timeline svg.chart-timeline").is_visible()
    page.screenshot(path=ARTIFACTS / "incident-en.png", full_page=True)

    page.goto(f"{live_server.url}/dashboard/?since=2022-01-01")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Final report to the PPC" in page.locator("#deadline-board").inner_text()
    page.screenshot(path=ARTIFACTS / "dashboard-en.png", full_page=True)

    # A phone's width: the page still lays out (no horizontal overflow of the body).
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/dashboard/?since=2022-01-01")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    page.screenshot(path=ARTIFACTS / "dashboard-phone.png", full_page=True)
    assert errors == []  # no CSP violation or script error


def test_outsider_sees_neither_page(browser, live_server):
    incident = founding_case.load()
    page = log_in(browser, live_server, "outsider")
    page.goto(f"{live_server.url}/dashboard/?since=2022-01-01")
    assert page.locator("#deadline-board").is_visible()
    assert incident.reference not in page.content()
    response = page.goto(f"{live_server.url}/incidents/{incident.reference}/")
    assert response.status == 404
    assert incident.reference not in page.content()
