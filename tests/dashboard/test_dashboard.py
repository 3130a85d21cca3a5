"""The executives' dashboard and status page, through the client, as each persona."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard import queries
from incidents import services
from incidents.choices import ActionCategory, ActionStatus, IncidentStatus, MilestoneKind
from incidents.models import Action, Incident, Milestone, Obligation, Organization
from reporting.models import Report
from tests.conftest import jst
from tests.dashboard.factories import populate
from tests.helpers import count_queries, login

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

READERS = ["committee", "legal", "executive", "auditor"]
SINCE_2022 = "/dashboard/?since=2022-01-01"


def status_path(incident):
    return f"/incidents/{incident.reference}/"


def test_login_required(client, founding):
    for path in ["/dashboard/", status_path(founding)]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=")


@pytest.mark.parametrize("name", READERS)
def test_members_and_auditor_see_the_founding_case(client, persona, founding, name):
    login(client, persona[name])
    page = client.get(SINCE_2022)
    assert page.status_code == 200
    board = section(page.text, "deadline-board")
    # The final report to the PPC was never recorded as filed: overdue, in red.
    assert re.search(r'<tr class="overdue">\s*<td><a href="[^"]+">INC-2022-0001', board)
    assert "個人情報保護委員会への確報" in board
    assert "2022-04-04 23:59 JST" in board  # due time in the incident's zone
    assert "INC-2022-0001" in section(page.text, "prevention")
    assert "INC-2022-0001" in section(page.text, "latest-milestones")
    durations = section(page.text, "durations")
    assert "INC-2022-0001" in durations
    # awareness 02-03 10:00 -> containment 11:00, PPC 15:00, notice 02-08, final 07-13
    for shown in ["1時間0分", "5時間0分", "5日0時間", "160日0時間"]:
        assert shown in durations

    status = client.get(status_path(founding))
    assert status.status_code == 200
    assert "chart-timeline" in status.text
    assert "PC-01" in section(status.text, "evidence")
    assert "2022-02-03 10:00" in section(status.text, "timeline")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_outsider_sees_no_data(client, persona, founding, lang):
    login(client, persona["outsider"], lang)
    page = client.get(SINCE_2022)
    assert page.status_code == 200
    for text in [founding.reference, founding.title[:10], "所轄警察署に報告"]:
        assert text not in page.text
    assert client.get(status_path(founding)).status_code == 404
    org = founding.organization_id
    assert client.get(f"{status_path(founding)}?org={org}").status_code == 404


def test_user_without_view_permission_sees_nothing(client, make_user, founding):
    user = make_user("member-without-role")
    founding.members.add(user)
    login(client, user)
    assert founding.reference not in client.get(SINCE_2022).text
    assert client.get(status_path(founding)).status_code == 404


def test_language_and_html_lang(client, persona, founding):
    ja = login(client, persona["executive"], "ja").get(SINCE_2022).text
    assert '<html lang="ja">' in ja
    assert "個人情報保護委員会への確報" in ja
    en = login(client, persona["executive"], "en").get(SINCE_2022).text
    assert '<html lang="en">' in en
    assert "Final report to the PPC" in en
    assert ">Critical</text>" in section(en, "open-incidents")  # chart legend, in English
    assert 'action="/i18n/setlang/"' in en


def test_no_inline_script(client, persona, founding):
    login(client, persona["executive"])
    for path in [SINCE_2022, status_path(founding)]:
        page = client.get(path)
        scripts = re.findall(r"<script[^>]*>", page.text)
        assert scripts and all("src=" in tag for tag in scripts)
        assert "script-src 'self'" in page["Content-Security-Policy"]


def test_reports_are_linked(client, persona, founding, settings):
    report = Report.objects.create(
        incident=founding, kind="public-final", language="ja", version=1, status="failed"
    )
    login(client, persona["executive"])
    page = client.get(status_path(founding))
    assert report.get_kind_display() in section(page.text, "reports")
    # A ready report links to its PDF view (which applies need-to-know itself).
    Report.objects.filter(pk=report.pk).update(
        status="ready", file="reports/x.pdf", sha256="0" * 64, size=1
    )
    page = client.get(status_path(founding))
    assert f'href="/reports/{report.pk}/pdf/"' in page.text


# Reference lookup ----------------------------------------------------------------


def test_each_organization_has_its_own_references(client, persona, founding):
    other_org = Organization.objects.create(name_ja="別会社", name_en="Other Co.", code="OTHER")
    twin = services.open_incident(
        organization=other_org,
        user=None,
        title="同じ年の別会社の事案",
        category="malware",
        aware_at=founding.aware_at,
    )
    assert (founding.reference, twin.reference) == ("INC-2022-0001", "OTHER-2022-0001")
    login(client, persona["auditor"])  # sees both, each at its own address
    assert "同じ年の別会社の事案" in client.get(status_path(twin)).text
    page = client.get(status_path(founding))
    assert "chart-timeline" in page.text
    assert "同じ年の別会社の事案" not in page.text
    # The executive is a member of the founding case only.
    login(client, persona["executive"])
    assert client.get(status_path(founding)).status_code == 200
    assert client.get(status_path(twin)).status_code == 404


def test_unknown_reference_is_404(client, persona, founding):
    login(client, persona["executive"])
    assert client.get("/incidents/INC-1999-0001/").status_code == 404
    # A reference typed in lower case names the same incident.
    assert client.get(f"/incidents/{founding.reference.lower()}/").status_code == 200


# The deadline board ----------------------------------------------------------------


@pytest.fixture
def three_clocks(make_incident, persona):
    """Obligations overdue, due soon (by their own threshold) and due later, not closed."""
    now = timezone.now()
    incident = make_incident(
        members=[persona["executive"]], aware_at=now - timedelta(days=2), title="時計の事案"
    )
    Obligation.objects.filter(incident=incident).delete()
    rows = {}
    for stage, due, soon in [
        ("preliminary", now - timedelta(hours=1), timedelta(days=2)),
        ("final", now + timedelta(hours=30), timedelta(days=2)),
        ("individuals", now + timedelta(days=10), timedelta(days=7)),
    ]:
        rows[stage] = Obligation.objects.create(
            incident=incident, regime="appi", stage=stage, due_at=due, soon_from=due - soon
        )
    return incident, rows


def test_deadline_board_colours_and_order(client, persona, three_clocks):
    incident, _rows = three_clocks
    login(client, persona["executive"], "en")
    board = section(client.get("/dashboard/").text, "deadline-board")
    assert board_rows(board, incident) == ["overdue", "due-soon", "pending"]
    # With the founding case's (overdue final report, undated notice to individuals).
    assert "2 overdue" in board
    assert "1 due soon" in board
    assert "Showing the 5 most urgent of 5 pending obligations." in board
    assert "overdue by 1 h" in board
    assert "1 d 5 h left" in board or "1 d 6 h left" in board


def test_deadline_board_is_capped_and_says_so(client, persona, make_incident):
    populate(30, members=[persona["executive"]], obligations=3)
    login(client, persona["executive"], "en")
    board = section(client.get("/dashboard/").text, "deadline-board")
    total = Obligation.objects.open().filter(incident__members=persona["executive"]).count()
    assert total > queries.DEADLINE_CAP
    assert f"Showing the {queries.DEADLINE_CAP} most urgent of {total}" in board
    assert len(re.findall(r"<tr class=", board)) == queries.DEADLINE_CAP


def test_filed_and_not_applicable_obligations_leave_the_board(client, persona, three_clocks):
    incident, rows = three_clocks
    Obligation.objects.filter(pk=rows["preliminary"].pk).update(
        fulfilled_at=timezone.now(), channel="web_form"
    )
    Obligation.objects.filter(pk=rows["final"].pk).update(applies=False)
    login(client, persona["executive"], "en")
    board = section(client.get("/dashboard/").text, "deadline-board")
    assert board_rows(board, incident) == ["pending"]


# Open incidents, prevention progress, durations --------------------------------------


def test_open_incidents_by_status_and_severity(persona, make_incident):
    executive = persona["executive"]
    make_incident(members=[executive], severity="high")
    make_incident(members=[executive], severity="high")
    closed = make_incident(members=[executive], severity="low")
    services.change_status(closed, IncidentStatus.CLOSED, user=None)
    make_incident(severity="critical")  # not a member: not counted
    counts = queries.open_by_status_and_severity(queries.visible_incidents(executive))
    assert counts["total"] == 2
    assert counts["counts"]["detected"]["high"] == 2
    assert "closed" not in counts["counts"]


def test_prevention_progress_counts(client, persona, make_incident):
    executive = persona["executive"]
    incident = make_incident(members=[executive], title="対策の事案")
    today = timezone.localdate()
    for status, due, done in [
        (ActionStatus.DONE, None, timezone.now()),
        (ActionStatus.IN_PROGRESS, today + timedelta(days=3), None),
        (ActionStatus.IN_PROGRESS, today - timedelta(days=1), None),  # overdue
        (ActionStatus.PLANNED, None, None),
        (ActionStatus.CANCELLED, None, None),  # left out
    ]:
        Action.objects.create(
            incident=incident,
            title=f"{status} {due}",
            category=ActionCategory.TECHNICAL,
            status=status,
            due_date=due,
            done_at=done,
        )
    result = queries.prevention_progress(queries.visible_incidents(executive), timezone.now())
    row = next(r for r in result["rows"] if r.pk == incident.pk)
    assert (row.actions_done, row.actions_in_progress, row.actions_planned) == (1, 1, 1)
    assert (row.actions_overdue, row.actions_total) == (1, 4)
    login(client, executive, "en")
    chart = section(client.get("/dashboard/").text, "prevention")
    assert "1 of 4 done" in chart
    assert "<title>" in chart and 'class="act-overdue"' in chart


def test_key_durations_and_medians(client, persona, make_incident):
    executive = persona["executive"]
    aware = jst(2025, 3, 1, 9, 0)
    hours = [2, 4, 30]  # to containment; the median is 4 h
    for index, h in enumerate(hours):
        incident = make_incident(
            members=[executive],
            aware_at=aware + timedelta(days=index),
            contained_at=aware + timedelta(days=index, hours=h),
            title=f"期間内 {index}",
            wrongful_purpose=True,  # so the PPC reports apply
        )
        Milestone.objects.create(
            incident=incident,
            kind=MilestoneKind.PUBLIC_NOTICE,
            occurred_at=aware + timedelta(days=index + 2),
            title="公表",
        )
    # The regulator report: a filing with the PPC (1 h) earlier than the milestone (3 h).
    Milestone.objects.create(
        incident=incident,
        kind=MilestoneKind.REGULATOR_REPORT,
        occurred_at=incident.aware_at + timedelta(hours=3),
        title="PPC",
    )
    services.record_filing(
        Obligation.objects.get(incident=incident, regime="appi", stage="preliminary"),
        user=None,
        at=incident.aware_at + timedelta(hours=1),
        channel="web_form",
    )
    make_incident(members=[executive], aware_at=jst(2023, 1, 1), contained_at=jst(2023, 1, 9))

    result = queries.key_durations(
        queries.visible_incidents(executive),
        jst(2025, 1, 1).date(),
        jst(2025, 12, 31).date(),
        timezone.get_current_timezone(),
    )
    assert result["total"] == 3
    assert result["medians"]["containment"] == timedelta(hours=4)
    assert result["medians"]["public_notice"] == timedelta(days=2)
    assert result["medians"]["regulator"] == timedelta(hours=1)
    assert result["medians"]["final_report"] is None
    assert result["counts"] == {
        "containment": 3,
        "regulator": 1,
        "public_notice": 3,
        "final_report": 0,
    }

    login(client, executive, "en")
    page = client.get("/dashboard/?since=2025-01-01&until=2025-12-31")
    durations = section(page.text, "durations")
    assert "期間内 0" in durations and "期間内 2" in durations
    assert "Medians over the 3 incidents" in durations
    assert "4 h 0 min" in durations


def test_period_errors_fall_back_to_the_default(client, persona, founding):
    login(client, persona["executive"], "en")
    page = client.get("/dashboard/?since=yesterday")
    assert "Dates are written YYYY-MM-DD" in page.text
    swapped = client.get("/dashboard/?since=2022-12-31&until=2022-01-01")
    assert "the two dates were swapped" in swapped.text
    assert "INC-2022-0001" in section(swapped.text, "durations")


@pytest.mark.parametrize("since", ["2022-13-01", "abc", "1900-01-01"])
def test_a_wrong_date_shows_the_same_default_period_as_none(client, persona, founding, since):
    """The default period follows the newest case with data (the founding case of 2022),
    whether no date is given or a wrong one."""
    login(client, persona["executive"], "en")
    default = client.get("/dashboard/")
    wrong = client.get(f"/dashboard/?since={since}")
    assert "the default period is shown" in wrong.text
    assert (wrong.context["since"], wrong.context["until"]) == (
        default.context["since"],
        default.context["until"],
    )
    assert default.context["since"].year == 2021
    assert "INC-2022-0001" in section(wrong.text, "durations")
    # A wrong end date alone falls back to the same default too.
    wrong_end = client.get("/dashboard/?since=2022-01-01&until=2022-02-30")
    assert wrong_end.context["since"] == default.context["since"]


def test_a_moment_before_awareness_is_never_a_negative_duration(client, persona, make_incident):
    """Contained before the organization knew of the situation (a date entered so): the row
    says so, the medians leave it out; no negative span on the dashboard or the status page."""
    executive = persona["executive"]
    incident = make_incident(
        members=[executive],
        detected_at=jst(2025, 2, 1, 9),
        contained_at=jst(2025, 2, 1, 12),
        aware_at=jst(2025, 3, 3, 9),
        title="認知前に封じ込め",
    )
    for language, said, negative in (
        ("en", "before awareness", "-29 d"),
        ("ja", "事態を知る前", "-29日"),
    ):
        login(client, executive, language)
        page = client.get("/dashboard/?since=2025-01-01&until=2025-12-31").text
        row = section(page, "durations").split(f">{incident.reference}</a>")[1].split("</tr>")[0]
        assert said in row
        assert negative not in page
        status = client.get(status_path(incident)).text
        assert said in status and negative not in status
    result = queries.key_durations(
        queries.visible_incidents(executive),
        jst(2025, 1, 1).date(),
        jst(2025, 12, 31).date(),
        timezone.get_current_timezone(),
    )
    assert result["counts"]["containment"] == 0 and result["medians"]["containment"] is None


def test_the_median_chart_says_median_not_days(client, persona, founding):
    """The values are told as days and hours: the legend does not say “(days)”."""
    for language, label, old in (("en", "Median", "Median (days)"), ("ja", "中央値", "中央値(日)")):
        login(client, persona["executive"], language)
        chart = str(client.get(SINCE_2022).context["median_chart"])
        assert label in chart and old not in chart, language


def test_times_in_each_incidents_zone(client, persona, make_incident):
    executive = persona["executive"]
    incident = make_incident(
        members=[executive], time_zone="Europe/Berlin", aware_at=jst(2025, 1, 10, 18, 0)
    )
    Milestone.objects.create(
        incident=incident, kind=MilestoneKind.DETECTION, occurred_at=incident.aware_at, title="x"
    )
    login(client, executive, "en")
    dashboard = client.get("/dashboard/?since=2025-01-01").text
    assert "2025-01-10 10:00 CET" in section(dashboard, "latest-milestones")
    page = client.get(status_path(incident)).text
    assert "2025-01-10 10:00 CET" in section(page, "timeline")
    assert "Times in Europe/Berlin" in page


# Fixed number of queries -----------------------------------------------------------


@pytest.mark.slow
def test_fixed_number_of_queries_at_10_and_1000_incidents(client, persona, founding):
    executive, auditor = persona["executive"], persona["auditor"]
    organization = Organization.objects.create(name_ja="量産株式会社")
    first = populate(9, organization=organization, members=[executive])
    target = Incident.objects.get(pk=first[0])
    paths = ["/dashboard/", SINCE_2022, status_path(target) + f"?org={organization.pk}"]
    counts = {}
    for user in [executive, auditor]:
        login(client, user)
        client.get("/dashboard/")  # warm the session and permission caches alike
        counts[user.username, 10] = [count_queries(client, p) for p in paths]
    populate(990, organization=organization, members=[executive], start=100)
    assert Incident.objects.visible_to(executive).count() == 1000
    for user in [executive, auditor]:
        login(client, user)
        client.get("/dashboard/")
        counts[user.username, 1000] = [count_queries(client, p) for p in paths]
    for user in ["executive", "auditor"]:
        assert counts[user, 10] == counts[user, 1000], counts
    dashboard_queries, _, status_queries = counts["executive", 1000]
    # Constant, and within a budget: the prevention progress reads open and closed incidents
    # from the updated_at index separately; on PostgreSQL the medians are aggregated in the
    # database before the rows are read (one query more than on SQLite); the scope section
    # (open incidents' checks) adds one; without a chosen period, finding the newest case the
    # reader sees (the durations' default period) adds one.
    assert dashboard_queries <= 16, counts
    assert status_queries <= 12, counts


# Helpers ---------------------------------------------------------------------------


def board_rows(board: str, incident) -> list[str]:
    """The urgency classes of the board's rows for this incident, top to bottom."""
    rows = re.findall(r'<tr class="([\w-]+)">\s*<td><a href="[^"]*">([^<]+)</a>', board)
    return [css for css, reference in rows if reference == incident.reference]


def section(html: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}".*?</section>', html, re.S)
    assert match, f"no section #{section_id}"
    return match.group(0)


def test_the_durations_default_to_a_period_with_the_data_there_is(client, persona, founding):
    # The founding case is of 2022: without a period chosen, the durations still show it.
    login(client, persona["executive"])
    page = client.get("/dashboard/")
    durations = section(page.text, "durations")
    assert "INC-2022-0001" in durations
    assert 'value="2021-' in page.text  # the year up to the newest case, shown in the form
    # A new case with nothing after awareness yet does not move the period off the data.
    services.open_incident(
        organization=founding.organization,
        user=None,
        title="新しい事案",
        category="malware",
        aware_at=timezone.now(),
        members=[persona["executive"]],
    )
    page = client.get("/dashboard/")
    assert "INC-2022-0001" in section(page.text, "durations")
    # A period the reader chooses is kept as chosen.
    chosen = client.get("/dashboard/?since=2025-01-01&until=2025-12-31")
    assert "INC-2022-0001" not in section(chosen.text, "durations")
