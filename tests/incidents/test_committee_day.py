"""A real browser walks the committee's day at 1280 px, in Japanese: log in, open an incident
(its APPI obligations appear), add milestones and evidence, generate a report and see it
ready. Every page: no horizontal scroll, no English words of the admin left, and the
incident page's first tab at most four screens tall. Screenshots go to var/committee-day/
for a person to look at.

Runs in the ordinary suite (marker `browser`, not `e2e`): the report is rendered in-process
(no broker configured, Celery runs eagerly on commit), so no worker is needed. Needs
Debian's chromium and the playwright package (a failure, not a skip, when missing).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from incidents import founding_case
from incidents.models import Incident
from reporting.models import Report
from tests.dashboard.test_browser import browser  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "committee-day"
WIDTH, SCREEN = 1280, 800
# Words of Django's admin (and ours) that a Japanese page must not show in English.
ENGLISH = re.compile(
    r"\b(Save|Delete|History|Add|Change|Home|Filter|Search|Action|Actions|Go|Yes|No|Unknown|"
    r"Today|Now|Choose|Select|Log ?out|Welcome|View site|Incidents?|Milestones?|Evidence|"
    r"Reports?|Status|Severity|Timeline|Investigation|Obligations?|Legal clocks|Case|Scope|"
    r"Latest|Next deadline|None|Note|Date|Time|Show|Hide|Remove|Ready|Queued|Failed)\b"
)


# Boxes that scroll sideways inside the page (a table in an overflow:auto box): as bad as the
# page itself scrolling, a reader misses the columns on the right.
SCROLL_BOXES = """() => [...document.querySelectorAll('*')]
    .filter(el => el.scrollWidth > el.clientWidth + 1
                  && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
    .map(el => `${el.id || el.className || el.tagName}: ${el.scrollWidth} > ${el.clientWidth}`)"""


# Text that a box too narrow for it breaks after every character (two characters or more,
# one per line): a Japanese header or value squeezed to one character's width.
PER_CHARACTER = """() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const chars = [...node.textContent.replace(/\\s/g, '')];
    if (chars.length < 2 || !node.parentElement.offsetParent) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                                     .map(r => Math.round(r.top)));
    if (lines.size >= 2 && lines.size >= chars.length) found.push(node.textContent.trim());
  }
  return found;
}"""
# A translated field's language tag as the page shows it (innerText follows the CSS's
# capitals): "件名 [ja]", never "件名 [JA]".
CAPITAL_TAG = re.compile(r"\[(?:JA|EN)\]")


def check(page, name: str, *, max_height: int | None = None) -> None:
    """The page as a reader sees it at 1280 px: no sideways scroll (of the page or of a box
    in it), no text broken after every character, Japanese, screenshot."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{name}: {width} px wide"
    boxes = page.evaluate(SCROLL_BOXES)
    assert not boxes, f"{name}: scrolls sideways inside: {boxes}"
    broken = page.evaluate(PER_CHARACTER)
    assert not broken, f"{name}: broken after every character: {broken}"
    text = page.evaluate("document.body.innerText")
    assert not CAPITAL_TAG.search(text), f"{name}: language tag in capitals"
    english = sorted(set(ENGLISH.findall(text)))
    assert not english, f"{name}: English left: {english}"
    if max_height is not None:
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= max_height, f"{name}: {height} px tall"
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def open_tab(page, key: str) -> None:
    """An incident's tab is its own page (?tab=...): click it and wait for it."""
    page.click(f".taisaku-tabs a[data-tab={key}]")
    page.wait_for_url(re.compile(rf"[?&]tab={key}\b"))
    page.wait_for_load_state()


def test_the_committees_day(browser, live_server):  # noqa: F811 - the fixture
    founding = founding_case.load()
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": WIDTH, "height": SCREEN}, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors = []
    page.on(
        "console",
        lambda m: errors.append(f"{m.text} {m.location.get('url')}") if m.type == "error" else None,
    )
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)

    # Log in, in Japanese.
    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("html").get_attribute("lang") == "ja"
    check(page, "01-login")
    page.fill("#id_username", "committee")
    page.fill("#id_password", founding_case.DEMO_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    check(page, "02-index")

    # A new incident: the facts first; its APPI obligations appear on saving.
    page.goto(f"{live_server.url}/admin/incidents/incident/add/")
    check(page, "03-add")
    page.fill("#id_title_ja", "委託先からの顧客データ漏えいの疑い")
    page.select_option("#id_category", index=1)
    assert page.input_value("#id_time_zone") == "Asia/Tokyo"
    page.fill("#id_aware_at_0", "2026-11-20")
    page.fill("#id_aware_at_1", "09:30")
    page.click(".taisaku-tabs a[data-tab=facts]")
    page.select_option("#id_sensitive_data", "true")
    page.click("input[name=_continue]")
    page.wait_for_url("**/change/**")
    incident = Incident.objects.get(title="委託先からの顧客データ漏えいの疑い")
    assert incident.reference.startswith("INC-2026-")
    # The tab worked in stays open after saving.
    assert page.locator(".taisaku-tabs a.active").inner_text() == "報告事項"
    open_tab(page, "case")
    glance = page.locator(".taisaku-glance").inner_text()
    assert "ステータス" in glance and "次の期限" in glance
    check(page, "04-case", max_height=4 * SCREEN)

    open_tab(page, "clocks")
    obligations = page.locator("#obligations-group").inner_text()
    assert "個人情報保護委員会への速報" in obligations
    assert "個人情報保護委員会への確報" in obligations
    # Each regime that may apply on one line (not folded into a field label's 160 px).
    for choice in page.locator("#id_regimes label").all():
        box = choice.bounding_box()
        assert box and box["height"] < 30, f"regime wraps: {choice.inner_text()}"
    check(page, "05-legal-clocks")

    # Milestones, on the timeline tab.
    open_tab(page, "timeline")
    for row, (day, title) in enumerate(
        [("2026-11-20", "不審な通信を検知"), ("2026-11-21", "委託先に調査を依頼")]
    ):
        page.click("#milestones-group .add-row a")
        prefix = f"milestones-{row}"
        page.fill(f"#id_{prefix}-occurred_at_0", day)
        page.fill(f"#id_{prefix}-occurred_at_1", "10:00")
        page.select_option(f"#id_{prefix}-kind", "other")
        page.fill(f"#id_{prefix}-title_ja", title)
    check(page, "06-timeline-editing")
    page.click("input[name=_continue]")
    page.wait_for_url("**/change/**")
    assert incident.milestones.count() == 2
    assert page.locator(".taisaku-tabs a.active").inner_text() == "時系列"  # still there
    assert "委託先に調査を依頼" in page.locator(".taisaku-glance").inner_text()
    check(page, "07-timeline")

    # Evidence, on its tab.
    open_tab(page, "evidence")
    page.click("#evidence-group .add-row a")
    page.fill("#id_evidence-0-label", "委託先サーバーの通信ログ")
    # Leaving the tab with the row unsaved asks first; staying keeps what was typed.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click(".taisaku-tabs a[data-tab=actions]")
    assert asked and "保存されていません" in asked[0]
    assert "tab=evidence" in page.url
    assert page.input_value("#id_evidence-0-label") == "委託先サーバーの通信ログ"
    # Any other way out (here the header's dashboard link) asks too: the browser's question.
    left = []
    page.once("dialog", lambda dialog: (left.append(dialog.type), dialog.dismiss()))
    page.click("a[href='/dashboard/']")
    page.wait_for_timeout(300)
    assert left == ["beforeunload"]
    assert "tab=evidence" in page.url
    assert page.input_value("#id_evidence-0-label") == "委託先サーバーの通信ログ"
    page.select_option("#id_evidence-0-kind", index=1)
    page.fill("#id_evidence-0-collected_at_0", "2026-11-21")
    page.fill("#id_evidence-0-collected_at_1", "11:00")
    page.click("input[name=_continue]")
    page.wait_for_url("**/change/**")
    assert incident.evidence.count() == 1
    check(page, "08-evidence")

    # Every tab of the page: still no sideways scroll, still Japanese.
    tabs = [a.get_attribute("data-tab") for a in page.locator(".taisaku-tabs a").all()]
    assert len(tabs) == 9
    for key in tabs:
        open_tab(page, key)
        check(page, f"09-tab-{key}")

    # The founding case's investigation and evidence pages, and the timeline's and actions'
    # lists, with their long texts and chains of custody.
    engagement = founding.engagements.filter(findings__isnull=False).first()
    page.goto(f"{live_server.url}/admin/incidents/engagement/{engagement.pk}/change/")
    check(page, "13-engagement")
    evidence = founding.evidence.filter(custody_entries__isnull=False).first()
    page.goto(f"{live_server.url}/admin/incidents/evidence/{evidence.pk}/change/")
    check(page, "14-evidence-item")
    for model in ("milestone", "action", "evidence", "obligation", "engagement"):
        page.goto(f"{live_server.url}/admin/incidents/{model}/")
        check(page, f"15-list-{model}")
    page.goto(f"{live_server.url}/admin/incidents/incident/{founding.pk}/change/?tab=timeline")
    check(page, "16-founding-timeline")
    page.goto(f"{live_server.url}/admin/incidents/incident/{founding.pk}/change/?tab=actions")
    check(page, "17-founding-actions")
    # Its legal clocks with a filing's long reference (an address of the regulator's form):
    # the obligations' names and due times keep their width beside it.
    founding.obligations.filter(fulfilled_at__isnull=False).update(
        authority_reference="https://www.ppc.go.jp/personalinfo/legal/leakAction/receipt/"
        "PPC-2022-000123456789-0001"
    )
    page.goto(f"{live_server.url}/admin/incidents/incident/{founding.pk}/change/?tab=clocks")
    check(page, "18-founding-legal-clocks")
    page.goto(f"{live_server.url}/admin/incidents/incident/{founding.pk}/history/")
    check(page, "19-founding-history")

    # A report, from the incident list; rendered on commit, then ready on the page.
    page.goto(f"{live_server.url}/admin/incidents/incident/")
    check(page, "10-list")
    # Beside the navigation sidebar: each reference and date on one line, the date-time
    # in the one format of the admin.
    assert page.locator("#nav-sidebar").is_visible()
    for cell in page.locator("#result_list .field-reference a").all():
        box = cell.bounding_box()
        assert box and box["height"] < 24, f"reference wraps: {cell.inner_text()}"
    aware = page.locator("#result_list td.field-aware_at_local").first.inner_text()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d\s\d\d:\d\d JST", aware), aware
    page.locator("tr", has_text=incident.reference).locator("input.action-select").check()
    page.select_option("select[name=action]", "generate_report")
    page.select_option("select[name=report_kind]", "ppc-preliminary")
    page.select_option("select[name=report_language]", "ja")
    page.click("button[name=index]")
    page.wait_for_load_state()
    check(page, "11-requested")
    report = Report.objects.get(incident=incident)
    assert report.status == "ready", report.error
    page.goto(f"{live_server.url}/admin/incidents/incident/{incident.pk}/change/?tab=reports")
    reports = page.locator("#reports-group")
    assert "作成完了" in reports.inner_text()
    assert reports.locator("a[href$='/pdf/']").count() == 1
    check(page, "12-report-ready")
    assert missing == []
    assert errors == []
