"""Each derived state has one definition: every surface that shows it agrees at the edges.

The surfaces: the dashboard's deadline board and prevention chart, the status page, the
admin lists, the API and the reminder job. The clock is moved by patching
django.utils.timezone.now, which every one of them reads.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from dashboard import queries
from incidents import obligations, services
from incidents.choices import ActionCategory, ActionStatus, FilingChannel, ObligationState
from incidents.models import Action, Incident, Obligation
from tests.helpers import api_client, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(make_user):
    """Sees every surface: a superuser on the incident, with a legal colleague for mail."""
    return make_user("boss", is_superuser=True, email="boss@example.com")


@pytest.fixture
def at(monkeypatch):
    """Move the clock every surface reads."""

    def move(moment: datetime) -> datetime:
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return move


def page(client, user, url):
    """The page at `url` as `user` reads it in English."""
    response = login(client, user, "en").get(url)
    assert response.status_code == 200, url
    return response.text


def status_url(incident):
    return f"/incidents/{incident.reference}/?org={incident.organization_id}"


def board_class(html, incident) -> str:
    section = re.search(r'<section id="deadline-board".*?</section>', html, re.S)
    assert section
    board = section.group(0)
    rows = re.findall(r'<tr class="([\w-]+)">\s*<td><a href="[^"]*">([^<]+)</a>', board)
    found = [css for css, reference in rows if reference == incident.reference]
    assert len(found) == 1, found
    return found[0]


def section(html, name) -> str:
    found = re.search(rf'<section id="{name}".*?</section>', html, re.S)
    assert found, name
    return found.group(0)


def prevention_counts(html) -> dict[str, int]:
    """The dashboard's prevention chart: {series: count} of its bars' tooltips."""
    found = re.findall(r"<title>[^<]*: ([\w ]+): (\d+)</title>", section(html, "prevention"))
    return {series: int(n) for series, n in found}


def admin_row(html, model, pk) -> str:
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html, re.S)
    found = [r for r in rows if f"/admin/incidents/{model}/{pk}/change/" in r]
    assert len(found) == 1
    return found[0]


# Obligation state: due soon (each rule's own threshold) and due ----------------------


@pytest.fixture
def gdpr(make_incident, make_user, boss):
    """A GDPR authority notification: due 72 h after awareness, due soon 24 h before."""
    legal = make_user("lena", "legal", email="lena@example.com")
    incident = make_incident(
        members=[boss, legal],
        aware_at=timezone.now() - timedelta(hours=10),
        regimes=["gdpr"],
        gdpr_unlikely_risk=False,  # known: the clock is not provisional
    )
    obligation = incident.obligations.get(regime="gdpr", stage="authority")
    assert obligation.soon_from == obligation.due_at - timedelta(hours=24)
    # Only this one on the board: the notice to individuals is not in question here.
    incident.obligations.exclude(pk=obligation.pk).delete()
    return obligation


@pytest.fixture
def appi_final(make_incident, make_user, boss):
    """An APPI final report: counted in days in Japan (30 days, day 1 the day of awareness,
    moved past closed days), due at the end of its last day, due soon from the start of the
    day 7 days before it."""
    legal = make_user("lena", "legal", email="lena@example.com")
    incident = make_incident(
        members=[boss, legal],
        aware_at=timezone.now() - timedelta(days=3),
        time_zone="Asia/Tokyo",
        regimes=["appi"],
        sensitive_data=True,  # known: due in 30 days, not provisional
        financial_damage_risk=False,
        wrongful_purpose=False,
        over_1000_people=False,
        appi_contractor_route=False,
        appi_encrypted=False,
    )
    obligation = incident.obligations.get(regime="appi", stage="final")
    assert not obligation.provisional
    tokyo = ZoneInfo("Asia/Tokyo")
    last_day = obligation.due_at.astimezone(tokyo)
    assert last_day.time() == time.max
    assert obligation.soon_from == datetime.combine(
        last_day.date() - timedelta(days=7), time(0), tokyo
    )
    incident.obligations.exclude(pk=obligation.pk).delete()
    return obligation


BOARD = {
    ObligationState.PROVISIONAL: "provisional",
    ObligationState.PENDING: "pending",
    ObligationState.DUE_SOON: "due-soon",
    ObligationState.OVERDUE: "overdue",
}


@pytest.mark.parametrize("clock", ["gdpr", "appi_final"])
@pytest.mark.parametrize(
    "edge, offset, expected",
    [
        ("soon_from", -timedelta(seconds=1), ObligationState.PENDING),
        ("soon_from", timedelta(seconds=1), ObligationState.DUE_SOON),
        ("due_at", -timedelta(seconds=1), ObligationState.DUE_SOON),
        ("due_at", timedelta(seconds=1), ObligationState.OVERDUE),
    ],
)
def test_every_surface_shows_the_same_obligation_state(
    request, client, boss, at, settings, clock, edge, offset, expected
):
    settings.DEADLINE_REMINDER_OFFSETS = [72, 24, 0]
    gdpr = request.getfixturevalue(clock)
    now = at(getattr(gdpr, edge) + offset)
    incident = gdpr.incident

    assert gdpr.state_at() == expected
    assert {o.pk for o in Obligation.objects.in_state(expected)} == {gdpr.pk}
    # The dashboard's board: the row's colour and the count above it.
    dashboard = page(client, boss, "/dashboard/")
    assert board_class(dashboard, incident) == BOARD[expected]
    board = queries.deadline_board(Incident.objects.filter(pk=incident.pk), now)
    assert (board.overdue, board.due_soon) == (
        expected == ObligationState.OVERDUE,
        expected == ObligationState.DUE_SOON,
    )
    # The status page.
    status = page(client, boss, status_url(incident))
    assert f'<tr class="state-{expected}">' in status
    # The admin's list: the badge, and the state filter.
    listing = page(client, boss, "/admin/incidents/obligation/")
    assert f"taisaku-state-{expected}" in admin_row(listing, "obligation", gdpr.pk)
    filtered = page(client, boss, f"/admin/incidents/obligation/?state={expected}")
    assert f"/admin/incidents/obligation/{gdpr.pk}/change/" in filtered
    # The API: the field, and the filter.
    api = api_client(boss)
    assert api.get(f"/api/v1/obligations/{gdpr.pk}/").json()["state"] == expected
    listed = api.get(f"/api/v1/obligations/?state={expected}").json()["results"]
    assert [row["id"] for row in listed] == [gdpr.pk]
    # The reminder job: the "overdue" mail goes out exactly when the state is overdue.
    obligations.send_deadline_reminders(now)
    sent = set(gdpr.reminders.values_list("offset", flat=True))
    assert ("overdue" in sent) == (expected == ObligationState.OVERDUE)
    if clock == "gdpr":  # 25 hours before, the 72-hour reminder is already out
        assert len(mail.outbox) == 1


def test_the_board_follows_each_rules_threshold_not_a_fixed_window(client, boss, gdpr, at):
    """42 hours before a GDPR deadline (due soon from 24 h before) it is not yet due soon."""
    at(gdpr.due_at - timedelta(hours=42))
    assert board_class(page(client, boss, "/dashboard/"), gdpr.incident) == "pending"
    status = page(client, boss, status_url(gdpr.incident))
    assert '<tr class="state-pending">' in status


# Action overdue: in the incident's time zone ------------------------------------------


@pytest.fixture
def tokyo_actions(make_incident, boss):
    incident = make_incident(members=[boss], time_zone="Asia/Tokyo", title="東京の事案")

    def action(title, due):
        return Action.objects.create(
            incident=incident, title=title, category=ActionCategory.TECHNICAL, due_date=due
        )

    # The server's (UTC) date is 10 March; in Tokyo it is already 11 March.
    return incident, action("due-11", date(2026, 3, 11)), action("due-10", date(2026, 3, 10))


def test_every_surface_shows_the_same_action_overdue(client, boss, tokyo_actions, at, settings):
    settings.TIME_ZONE = "UTC"
    incident, today, yesterday = tokyo_actions
    now = at(datetime(2026, 3, 10, 23, 30, tzinfo=UTC))
    assert timezone.localdate(now) == date(2026, 3, 10)

    assert (today.is_overdue, yesterday.is_overdue) == (False, True)
    assert list(Action.objects.overdue().filter(incident=incident)) == [yesterday]
    # The dashboard's prevention progress: one overdue, one planned (not yet overdue).
    assert prevention_counts(page(client, boss, "/dashboard/")) == {"Overdue": 1, "Planned": 1}
    # The status page: the overdue row, and the chart's counts.
    status = page(client, boss, status_url(incident))
    assert re.search(r'<tr class="overdue">\s*<td>due-10<', status)
    assert not re.search(r'<tr class="overdue">\s*<td>due-11<', status)
    # The admin's list: the column and the filter.
    listing = page(client, boss, "/admin/incidents/action/")
    assert 'alt="True"' in admin_row(listing, "action", yesterday.pk)
    assert 'alt="False"' in admin_row(listing, "action", today.pk)
    filtered = page(client, boss, "/admin/incidents/action/?overdue=true")
    assert f"/action/{yesterday.pk}/change/" in filtered
    assert f"/action/{today.pk}/change/" not in filtered
    # The API: the field and the filter.
    api = api_client(boss)
    body = api.get(f"/api/v1/actions/?incident={incident.pk}").json()["results"]
    assert {row["title"]: row["is_overdue"] for row in body} == {"due-11": False, "due-10": True}
    overdue = api.get(f"/api/v1/actions/?incident={incident.pk}&overdue=true").json()["results"]
    assert [row["title"] for row in overdue] == ["due-10"]

    # Once done, it is overdue nowhere.
    yesterday.status, yesterday.done_at = ActionStatus.DONE, now
    yesterday.save()
    assert not Action.objects.overdue().filter(incident=incident).exists()
    filtered = page(client, boss, "/admin/incidents/action/?overdue=true")
    assert f"/action/{yesterday.pk}/change/" not in filtered
    assert not re.search(r'<tr class="overdue">', page(client, boss, status_url(incident)))
    assert prevention_counts(page(client, boss, "/dashboard/")) == {"Done": 1, "Planned": 1}


# Filed with an authority; open or closed ---------------------------------------------


def durations_row(html, incident) -> list[str]:
    """The dashboard's key durations of one incident, as its row reads."""
    rows = re.findall(r"<tr>.*?</tr>", section(html, "durations"), re.S)
    found = [r for r in rows if f">{incident.reference}</a>" in r]
    assert len(found) == 1, found
    return [cell.strip() for cell in re.findall(r'<td class="num">([^<]*)</td>', found[0])]


def test_filed_with_an_authority_is_one_rule(client, boss, make_incident):
    """A filing with an authority counts as "reported to the regulator" everywhere; a
    notice to the individuals, filed earlier, counts nowhere."""
    aware = timezone.now() - timedelta(days=3)
    incident = make_incident(
        members=[boss],
        aware_at=aware,
        regimes=["nis2", "gdpr"],
        gdpr_unlikely_risk=False,
        high_risk=True,
    )
    early = incident.obligations.get(regime="nis2", stage="early-warning")
    individuals = incident.obligations.get(regime="gdpr", stage="individuals")
    services.record_filing(
        individuals, user=boss, at=aware + timedelta(hours=2), channel=FilingChannel.EMAIL
    )
    incident.refresh_from_db()
    # Only a notice to individuals: no regulator report anywhere yet.
    assert not Obligation.objects.filed_with_authority().exists()
    assert incident.first_regulator_report_at is None
    assert durations_row(page(client, boss, "/dashboard/"), incident)[1] == "—"

    filed = aware + timedelta(days=1, hours=1)
    services.record_filing(early, user=boss, at=filed, channel=FilingChannel.WEB_FORM)
    early.refresh_from_db()
    individuals.refresh_from_db()
    incident.refresh_from_db()

    assert early.is_filed_with_authority and not individuals.is_filed_with_authority
    assert list(Obligation.objects.filed_with_authority()) == [early]
    # The dashboard's key durations (kept on the row) and the status page read the same.
    assert incident.first_regulator_report_at == filed
    regulator = durations_row(page(client, boss, "/dashboard/"), incident)[1]
    assert regulator.startswith("1 d"), regulator
    status = page(client, boss, status_url(incident))
    row = re.search(r"<dt>Awareness → regulator report</dt><dd>([^<]+)</dd>", status)
    assert row and row.group(1).strip() == regulator, row
    # The admin's list filter.
    listing = page(client, boss, "/admin/incidents/obligation/?filed_with_authority=true")
    assert f"/obligation/{early.pk}/change/" in listing
    assert f"/obligation/{individuals.pk}/change/" not in listing
    listing = page(client, boss, "/admin/incidents/obligation/?filed_with_authority=false")
    assert f"/obligation/{early.pk}/change/" not in listing
    assert f"/obligation/{individuals.pk}/change/" in listing
    # The API's filter.
    api = api_client(boss)
    filed_rows = api.get("/api/v1/obligations/?filed_with_authority=true").json()["results"]
    assert [r["id"] for r in filed_rows] == [early.pk]
    others = api.get("/api/v1/obligations/?filed_with_authority=false").json()["results"]
    assert individuals.pk in {r["id"] for r in others} and early.pk not in {r["id"] for r in others}


@pytest.mark.parametrize("status", ["recovering", "closed"])
def test_open_and_closed_incidents_are_one_rule(client, boss, make_incident, status):
    """The last status before closing is open on every screen; closed is closed on every one."""
    incident = make_incident(members=[boss], title="開閉の事案")  # no clock: listed as unclocked
    Incident.objects.filter(pk=incident.pk).update(status=status)
    incident.refresh_from_db()
    is_open = status != "closed"
    assert incident.is_open == is_open
    assert Incident.objects.open().filter(pk=incident.pk).exists() == is_open
    assert Incident.objects.closed().filter(pk=incident.pk).exists() == (not is_open)

    # The dashboard: the count of open incidents and the warning about open ones unclocked.
    dashboard = page(client, boss, "/dashboard/")
    figure = "1 open incident" if is_open else "0 open incidents"
    assert f'<p class="figure">{figure}</p>' in section(dashboard, "open-incidents")
    # (A closed case can still owe a filing: its obligations stay on the board itself.)
    unclocked = re.search(
        r'<div class="warning-box".*?</div>', section(dashboard, "deadline-board"), re.S
    )
    assert bool(unclocked and f">{incident.reference}</a>" in unclocked.group(0)) == is_open
    # The admin's list filter.
    listed = page(client, boss, "/admin/incidents/incident/?open=true")
    assert (f"/incident/{incident.pk}/change/" in listed) == is_open
    listed = page(client, boss, "/admin/incidents/incident/?open=false")
    assert (f"/incident/{incident.pk}/change/" in listed) == (not is_open)
    # The API's filter.
    api = api_client(boss)
    for value, expected in [("true", is_open), ("false", not is_open)]:
        rows = api.get(f"/api/v1/incidents/?open={value}").json()["results"]
        assert (incident.pk in {r["id"] for r in rows}) == expected, value
    # The status page: its badge.
    status_page = page(client, boss, status_url(incident))
    assert ('<span class="badge status-closed">' in status_page) == (not is_open)


def test_a_provisional_obligation_is_provisional_on_every_surface(client, boss, make_incident, at):
    """A GDPR notification whose risk is not yet known, before its due time."""
    incident = make_incident(
        members=[boss],
        aware_at=timezone.now() - timedelta(hours=10),
        regimes=["gdpr"],
        gdpr_unlikely_risk=None,
    )
    obligation = incident.obligations.get(regime="gdpr", stage="authority")
    incident.obligations.exclude(pk=obligation.pk).delete()
    assert obligation.provisional
    for moment, expected in [
        (obligation.due_at - timedelta(seconds=1), ObligationState.PROVISIONAL),
        (obligation.due_at + timedelta(seconds=1), ObligationState.OVERDUE),
    ]:
        at(moment)
        assert obligation.state_at() == expected
        dashboard = page(client, boss, "/dashboard/")
        assert board_class(dashboard, incident) == BOARD[expected]
        counts = badges(dashboard)
        assert counts.get("provisional") == (
            "1 provisional" if expected == ObligationState.PROVISIONAL else None
        )
        assert counts["overdue"] == (
            "1 overdue" if expected == ObligationState.OVERDUE else "0 overdue"
        )
        assert f'<tr class="state-{expected}">' in page(client, boss, status_url(incident))
        listing = page(client, boss, "/admin/incidents/obligation/")
        assert f"taisaku-state-{expected}" in admin_row(listing, "obligation", obligation.pk)
        for state in [ObligationState.PROVISIONAL, ObligationState.OVERDUE]:
            filtered = page(client, boss, f"/admin/incidents/obligation/?state={state}")
            shown = f"/admin/incidents/obligation/{obligation.pk}/change/" in filtered
            assert shown == (state == expected), state
            rows = api_client(boss).get(f"/api/v1/obligations/?state={state}").json()["results"]
            assert ([r["id"] for r in rows] == [obligation.pk]) == (state == expected), state
        body = api_client(boss).get(f"/api/v1/obligations/{obligation.pk}/").json()
        assert body["state"] == expected


def badges(html) -> dict[str, str]:
    """The deadline board's counts, as the badges above it read."""
    section = re.search(r'<section id="deadline-board".*?</section>', html, re.S)
    assert section
    found = re.findall(r'<span class="badge ([\w-]+)">([^<]+)</span>', section.group(0))
    return {css: text.strip() for css, text in found}


def test_a_provisional_deadline_that_passed_counts_as_overdue_not_provisional(
    client, boss, make_incident, at
):
    """Overdue wins over provisional on the board's counts as in the state filter."""
    incident = make_incident(
        members=[boss],
        aware_at=timezone.now() - timedelta(days=10),
        regimes=["gdpr"],
        gdpr_unlikely_risk=None,  # not known: the authority clock is provisional
        high_risk=None,  # not known: the notice to individuals is provisional
    )
    authority = incident.obligations.get(regime="gdpr", stage="authority")
    individuals = incident.obligations.get(regime="gdpr", stage="individuals")
    assert authority.provisional and individuals.provisional
    assert authority.state_at() == ObligationState.OVERDUE

    provisional = Obligation.objects.in_state(ObligationState.PROVISIONAL)
    assert list(provisional) == [individuals]
    dashboard = page(client, boss, "/dashboard/")
    counts = badges(dashboard)
    assert counts["overdue"] == "1 overdue"
    assert counts["provisional"] == "1 provisional"
    filtered = page(client, boss, "/admin/incidents/obligation/?state=provisional")
    assert f"/admin/incidents/obligation/{individuals.pk}/change/" in filtered
    assert f"/admin/incidents/obligation/{authority.pk}/change/" not in filtered
