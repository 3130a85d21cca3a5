"""Legal clocks that fail safe, through every surface: admin, API, dashboard, reminders, CLI."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from incidents import founding_case, obligations, services
from incidents.choices import FilingChannel, ObligationState
from incidents.models import Incident, IndividualNotice, Milestone, Organization
from reporting.models import Report
from tests.conftest import jst
from tests.helpers import change_url, login, management

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


def clocks(incident):
    return {(o.regime, o.stage): o for o in incident.obligations.all()}


def blank_case(api, founding, aware_at="2024-06-03T10:00:00+09:00", **facts):
    """An incident as a committee member opens it on day one: facts not yet known."""
    response = api("committee", "en").post(
        "/api/v1/incidents/",
        {
            "organization": founding.organization_id,
            "title": "Suspicious mail campaign",
            "category": "malware",
            "aware_at": aware_at,
            "members": [p.pk for p in founding.members.all()],
            **facts,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return Incident.objects.get(pk=response.json()["id"])


# --- 1. Every incident starts under a regime -------------------------------------------------


def test_admin_add_form_starts_with_the_organizations_regimes(client, persona, founding):
    founding.organization.default_regimes = ["appi", "gdpr"]
    founding.organization.save()
    login(client, persona["committee"], "en")
    page = client.get(reverse("admin:incidents_incident_add")).content.decode()
    assert 'name="regimes" value="appi"' in page
    for code in ("appi", "gdpr"):
        assert f'value="{code}"' in page
        checkbox = page.split(f'name="regimes" value="{code}"')[1].split(">")[0]
        assert "checked" in checkbox, code
    unticked = page.split('name="regimes" value="nis2"')[1].split(">")[0]
    assert "checked" not in unticked


def test_admin_add_left_without_regime_starts_under_the_defaults(client, persona, founding):
    login(client, persona["committee"], "en")
    data = {
        "organization": founding.organization.pk,
        "title_en": "Lost USB stick",
        "category": "loss_theft",
        "severity": "medium",
        "time_zone": "Asia/Tokyo",
        "aware_at_0": "2024-03-01",
        "aware_at_1": "09:30",
        "affected_count_qualifier": "unknown",
        "publication_status": "not_decided",
        **management(),
    }
    response = client.post(reverse("admin:incidents_incident_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    incident = Incident.objects.get(title_en="Lost USB stick")
    assert incident.regimes == ["appi"]
    rows = clocks(incident)
    assert rows["appi", "preliminary"].provisional
    assert rows["appi", "final"].due_at is not None


def test_admin_add_with_several_organizations_takes_the_chosen_ones_regimes(
    client, founding, make_user
):
    """Someone who sees several organizations (the superuser) is not offered another
    organization's regimes ticked in advance: left empty, the chosen one's apply."""
    gdpr_company = Organization.objects.create(
        code="EUCO", name_ja="欧州株式会社", name_en="EU Co", default_regimes=["appi", "gdpr"]
    )
    admin_user = make_user("root", is_superuser=True)
    login(client, admin_user, "en")
    page = client.get(reverse("admin:incidents_incident_add")).content.decode()
    for code in ("appi", "gdpr"):
        checkbox = page.split(f'name="regimes" value="{code}"')[1].split(">")[0]
        assert "checked" not in checkbox, code
    assert "Left empty, the incident starts under the chosen organization" in page
    data = {
        "organization": gdpr_company.pk,
        "title_en": "Misdirected mail",
        "category": "misdelivery",
        "severity": "medium",
        "time_zone": "Asia/Tokyo",
        "aware_at_0": "2024-03-01",
        "aware_at_1": "09:30",
        "affected_count_qualifier": "unknown",
        "publication_status": "not_decided",
        **management(),
    }
    response = client.post(reverse("admin:incidents_incident_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    incident = Incident.objects.get(title_en="Misdirected mail")
    assert incident.regimes == ["appi", "gdpr"]
    assert {o.regime for o in incident.obligations.all()} == {"appi", "gdpr"}
    # Ticked by hand, the choice stands.
    response = client.post(
        reverse("admin:incidents_incident_add"),
        {**data, "title_en": "Only Japan", "regimes": ["appi"]},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Incident.objects.get(title_en="Only Japan").regimes == ["appi"]
    # In Japanese too.
    login(client, admin_user, "ja")
    page = client.get(reverse("admin:incidents_incident_add")).content.decode()
    assert "選択した組織の既定の制度" in page


def test_api_and_service_open_incidents_under_the_organizations_regimes(api, founding):
    founding.organization.default_regimes = ["gdpr"]
    founding.organization.save()
    incident = blank_case(api, founding)
    assert incident.regimes == ["gdpr"]
    assert set(clocks(incident)) == {("gdpr", "authority"), ("gdpr", "individuals")}
    # The service every command uses.
    other = services.open_incident(
        organization=founding.organization, user=None, title="t", category="malware"
    )
    assert other.regimes == ["gdpr"]


def test_the_founding_case_loader_has_its_appi_clocks(founding):
    rows = clocks(founding)
    assert rows["appi", "final"].applies and not rows["appi", "final"].provisional
    assert founding.local(rows["appi", "final"].due_at).strftime("%Y-%m-%d") == "2022-04-04"
    assert founding_case.load().pk == founding.pk


def test_an_organization_needs_a_default_regime(api, persona, founding, client):
    organization = Organization(name_ja="空の会社", default_regimes=[])
    with pytest.raises(Exception, match="regime"):
        organization.full_clean()


# --- 2. Unknown is not no --------------------------------------------------------------------


def test_every_fact_unknown_gives_provisional_preliminary_and_final_reports(api, founding):
    incident = blank_case(api, founding)
    rows = api("legal", "en").get(f"/api/v1/obligations/?incident={incident.pk}").json()["results"]
    by_stage = {row["stage"]: row for row in rows}
    for stage in ("preliminary", "final"):
        row = by_stage[stage]
        assert row["applies"] and row["provisional"]
        assert row["open_facts"] == ["sensitive", "financial", "wrongful-purpose", "over-1000"]
    # Promptly, about 3-5 days (day 1 = 3 June); 30 days (the earlier of 30/60): 2 July.
    assert by_stage["preliminary"]["due_at"].startswith("2024-06-07T23:59:59")
    assert by_stage["final"]["due_at"].startswith("2024-07-02T23:59:59")
    # Long past: overdue wins over provisional.
    assert by_stage["final"]["state"] == "overdue"


def test_a_provisional_clock_still_running_shows_as_provisional(api, founding):
    incident = blank_case(api, founding, aware_at=timezone.now().isoformat())
    rows = api("legal", "en").get(f"/api/v1/obligations/?incident={incident.pk}").json()["results"]
    assert {row["stage"]: row["state"] for row in rows} == {
        "preliminary": "provisional",
        "final": "provisional",
        "individuals": "provisional",
    }


def test_provisional_obligations_are_reminded(api, founding, persona):
    persona["legal"].email = "legal@example.com"
    persona["legal"].save()
    incident = blank_case(api, founding)
    preliminary = clocks(incident)["appi", "preliminary"]
    run = obligations.send_deadline_reminders(preliminary.due_at - timedelta(hours=23))
    assert run.sent >= 1
    message = next(m for m in mail.outbox if "速報" in m.subject or "preliminary" in m.subject)
    assert "暫定" in message.subject or "provisional" in message.subject
    assert persona["legal"].email in message.to


def test_answering_no_to_every_fact_clears_the_clocks_with_the_reason(api, founding):
    incident = blank_case(api, founding)
    response = api("committee", "en").patch(
        f"/api/v1/incidents/{incident.pk}/",
        {
            "sensitive_data": False,
            "financial_damage_risk": False,
            "wrongful_purpose": False,
            "affected_count": 12,
            "affected_count_qualifier": "exact",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    for (_regime, _stage), row in clocks(incident).items():
        assert not row.applies and not row.provisional
        assert "Art. 7" in row.reason_not_applicable


def test_the_admin_and_the_board_show_what_is_provisional(client, api, persona, founding):
    incident = blank_case(api, founding)
    login(client, persona["legal"], "en")
    page = client.get(change_url(incident, "clocks")).content.decode()
    assert "Provisional until these facts are known" in page
    assert "Possibly done with a wrongful purpose" in page
    board = client.get(reverse("dashboard")).content.decode()
    assert "provisional" in board.lower()
    status = client.get(reverse("incident-status", args=[incident.reference])).content.decode()
    assert "Provisional until known" in status


def test_the_admin_offers_not_yet_known_for_every_deciding_fact(client, persona, founding):
    login(client, persona["committee"], "en")
    page = client.get(change_url(founding, "facts")).content.decode()
    select = page.split('name="sensitive_data"')[1].split("</select>")[0]
    assert "Not yet known" in select and "Yes" in select and "No" in select


# --- Warnings: an incident without a clock is never silent -----------------------------------


def test_an_incident_without_regime_warns_everywhere(client, api, persona, founding):
    incident = blank_case(api, founding)
    response = api("committee", "en").patch(
        f"/api/v1/incidents/{incident.pk}/", {"regimes": []}, format="json"
    )
    assert response.status_code == 200
    assert any("No regime" in w for w in response.json()["warnings"])
    login(client, persona["committee"], "en")
    assert "No regime is ticked" in client.get(change_url(incident)).content.decode()
    status = client.get(reverse("incident-status", args=[incident.reference])).content.decode()
    assert "No regime is ticked" in status
    board = client.get(reverse("dashboard")).content.decode()
    assert "no running legal clock" in board and incident.reference in board


# --- 5. Times that do not exist or exist twice -----------------------------------------------


def test_the_add_form_reads_times_in_the_zone_it_chooses(client, persona, founding):
    login(client, persona["committee"], "en")
    data = {
        "organization": founding.organization.pk,
        "title_en": "New York office",
        "category": "malware",
        "severity": "medium",
        "time_zone": "America/New_York",
        "aware_at_0": "2024-03-10",
        "aware_at_1": "02:30",
        "affected_count_qualifier": "unknown",
        "publication_status": "not_decided",
        "regimes": ["appi"],
        **management(),
    }
    response = client.post(reverse("admin:incidents_incident_add"), data)
    assert response.status_code == 200
    assert "01:59 EST" in " ".join(response.context["adminform"].form.errors["aware_at"])
    assert not Incident.objects.filter(title_en="New York office").exists()
    response = client.post(reverse("admin:incidents_incident_add"), {**data, "aware_at_1": "09:00"})
    assert response.status_code == 302
    incident = Incident.objects.get(title_en="New York office")
    assert incident.local(incident.aware_at).strftime("%Y-%m-%d %H:%M %Z") == "2024-03-10 09:00 EDT"


def test_admin_refuses_a_time_in_the_dst_gap_naming_the_instants(client, persona, make_incident):
    committee = persona["committee"]
    incident = make_incident(members=[committee], time_zone="America/New_York", regimes=["gdpr"])
    login(client, committee, "en")
    data = {
        "organization": incident.organization_id,
        "title_ja": incident.title_ja or "",
        "title_en": incident.title_en or "",
        "category": incident.category,
        "severity": incident.severity,
        "time_zone": "America/New_York",
        "aware_at_0": "2024-03-10",
        "aware_at_1": "02:30",
        "affected_count_qualifier": "unknown",
        "publication_status": "not_decided",
        "regimes": ["gdpr"],
        "members": [committee.pk],
        **management(),
    }
    response = client.post(change_url(incident), data)
    assert response.status_code == 200
    error = " ".join(response.context["adminform"].form.errors["aware_at"])
    assert "does not exist" in error and "01:59 EST" in error and "03:00 EDT" in error
    incident.refresh_from_db()
    assert incident.aware_at is None


def test_api_reads_naive_times_in_the_incidents_zone(api, founding):
    response = api("committee", "en").post(
        "/api/v1/incidents/",
        {
            "organization": founding.organization_id,
            "title": "New York office",
            "category": "malware",
            "time_zone": "America/New_York",
            "aware_at": "2024-03-10T02:30:00",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "01:59 EST" in response.json()["error"]["fields"]["aware_at"][0]
    response = api("committee", "en").post(
        "/api/v1/incidents/",
        {
            "organization": founding.organization_id,
            "title": "New York office",
            "category": "malware",
            "time_zone": "America/New_York",
            "aware_at": "2024-03-10T09:00:00",
        },
        format="json",
    )
    assert response.status_code == 201
    incident = Incident.objects.get(pk=response.json()["id"])
    assert incident.local(incident.aware_at).strftime("%H:%M %Z") == "09:00 EDT"


def test_api_refuses_an_ambiguous_naive_time(api, founding):
    incident = blank_case(api, founding, time_zone="America/New_York")
    response = api("committee", "en").patch(
        f"/api/v1/incidents/{incident.pk}/",
        {"contained_at": "2024-11-03T01:30:00"},
        format="json",
    )
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["contained_at"][0]
    assert "happens twice" in message and "05:30 UTC" in message and "06:30 UTC" in message
    # With its offset it is one instant, and accepted.
    response = api("committee", "en").patch(
        f"/api/v1/incidents/{incident.pk}/",
        {"contained_at": "2024-11-03T01:30:00-05:00"},
        format="json",
    )
    assert response.status_code == 200


# --- 6. Facts that contradict each other -----------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        pytest.param({"aware_at": "2022-08-01T09:00:00+09:00"}, "aware_at", id="aware-after-close"),
        pytest.param({"occurred_at": "1900-01-01T00:00:00Z"}, "occurred_at", id="before-1970"),
        pytest.param({"contained_at": "2101-01-02T00:00:00Z"}, "contained_at", id="after-2100"),
        pytest.param(
            {"occurred_at": "2022-02-01T00:00:00+09:00", "contained_at": "2022-01-01T00:00+09:00"},
            "contained_at",
            id="contained-before-it-occurred",
        ),
        pytest.param(
            {"handling_ended_at": "2022-02-01T00:00:00+09:00"},
            "handling_ended_at",
            id="handling-ended-before-awareness",
        ),
        pytest.param(
            {"sec_material": False, "materiality_determined_on": "2022-02-10"},
            "materiality_determined_on",
            id="not-material-but-determined",
        ),
        pytest.param({"appi_encrypted": True}, "appi_exemption_reason", id="exemption-no-reason"),
    ],
)
def test_contradicting_facts_are_refused_and_nothing_changes(api, founding, facts, field):
    def stored():  # read in one language: a request leaves its own language active
        with translation.override("ja"):
            return Incident.objects.filter(pk=founding.pk).values().get()

    before = stored()
    response = api("committee", "en").patch(
        f"/api/v1/incidents/{founding.pk}/", {**facts, "change_reason": "test"}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert stored() == before


def test_changing_awareness_after_a_filing_needs_a_reason_and_keeps_the_filing(api, founding):
    url = f"/api/v1/incidents/{founding.pk}/"
    response = api("committee", "en").patch(
        url, {"aware_at": "2022-02-02T18:00:00+09:00"}, format="json"
    )
    assert response.status_code == 400
    assert "change_reason" in response.json()["error"]["fields"]
    # Knowing of it earlier than it was found is refused: the detection moves with it.
    response = api("committee", "en").patch(
        url,
        {"aware_at": "2022-02-02T18:00:00+09:00", "change_reason": "Log shows an alert on 2 Feb."},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["aware_at"] == [
        "Awareness cannot precede the detection."
    ]
    response = api("committee", "en").patch(
        url,
        {
            "detected_at": "2022-02-02T18:00:00+09:00",
            "aware_at": "2022-02-02T18:00:00+09:00",
            "change_reason": "Log shows an alert on 2 Feb.",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    founding.refresh_from_db()
    assert founding.history.first().history_change_reason == "Log shows an alert on 2 Feb."
    preliminary = clocks(founding)["appi", "preliminary"]
    assert preliminary.fulfilled_at == jst(2022, 2, 3, 15)  # the filing stays
    # The 60-day clock now starts on 2 February: day 60 is Saturday 2 April -> Monday 4 April.
    final = clocks(founding)["appi", "final"]
    assert founding.local(final.due_at).strftime("%Y-%m-%d") == "2022-04-04"


# --- 7. Filings connect ----------------------------------------------------------------------


def test_a_regulator_report_milestone_fulfils_the_one_open_clock(api, founding):
    incident = blank_case(api, founding, wrongful_purpose=True)
    response = api("committee", "en").post(
        "/api/v1/milestones/",
        {
            "incident": incident.pk,
            "occurred_at": "2024-06-04T15:00:00+09:00",
            "kind": "regulator_report",
            "title": "個人情報保護委員会に報告(速報)",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    preliminary = clocks(incident)["appi", "preliminary"]
    assert response.json()["obligation"] == preliminary.pk
    assert response.json()["obligation_label"]
    assert preliminary.fulfilled_at == jst(2024, 6, 4, 15)
    assert preliminary.state_at() == ObligationState.FULFILLED


def test_when_several_clocks_fit_the_milestone_asks_which(api, founding):
    incident = blank_case(api, founding, regimes=["appi", "gdpr"], wrongful_purpose=True)
    body = {
        "incident": incident.pk,
        "occurred_at": "2024-06-04T15:00:00+09:00",
        "kind": "regulator_report",
        "title": "Reported",
    }
    response = api("committee", "en").post("/api/v1/milestones/", body, format="json")
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["obligation"][0]
    assert "Several" in message and "PPC" in message and "Art. 33" in message
    assert not Milestone.objects.filter(incident=incident).exists()
    gdpr = clocks(incident)["gdpr", "authority"]
    response = api("committee", "en").post(
        "/api/v1/milestones/", {**body, "obligation": gdpr.pk}, format="json"
    )
    assert response.status_code == 201
    gdpr.refresh_from_db()
    assert gdpr.fulfilled_at is not None
    assert clocks(incident)["appi", "preliminary"].fulfilled_at is None


def test_submitting_a_report_without_naming_the_clock_fulfils_the_one_that_fits(
    api, founding, persona, django_capture_on_commit_callbacks
):
    incident = blank_case(api, founding, sensitive_data=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = api("legal", "en").post(
            "/api/v1/reports/",
            {"incident": incident.pk, "kind": "ppc-preliminary", "language": "ja"},
            format="json",
        )
    assert response.status_code == 202, response.json()
    report = Report.objects.get(pk=response.json()["id"])
    assert report.status == "ready"
    response = api("legal", "en").post(
        f"/api/v1/reports/{report.pk}/submit/",
        {"submitted_to": "個人情報保護委員会"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    preliminary = clocks(incident)["appi", "preliminary"]
    assert preliminary.fulfilled_by_report_id == report.pk


def test_recording_the_notice_to_individuals_fulfils_it(api, founding):
    incident = blank_case(api, founding, sensitive_data=True)
    sent = {
        "incident": incident.pk,
        "sent_at": "2024-06-10T10:00:00+09:00",
        "channel": "email",
        "people_reached": 340,
    }
    response = api("legal", "en").post("/api/v1/individual-notices/", sent, format="json")
    assert response.status_code == 201, response.json()
    individuals = clocks(incident)["appi", "individuals"]
    assert individuals.fulfilled_at == jst(2024, 6, 10, 10)
    assert individuals.channel == FilingChannel.EMAIL
    assert "340" in individuals.filing_note
    # Readers may see it, not record it; outsiders do not see it at all.
    assert (
        api("executive", "en").post("/api/v1/individual-notices/", sent, format="json").status_code
        == 403
    )
    assert (
        api("outsider", "en")
        .get(f"/api/v1/individual-notices/{IndividualNotice.objects.get().pk}/")
        .status_code
        == 404
    )


def test_several_open_notices_ask_for_the_regimes(api, founding):
    incident = blank_case(
        api, founding, regimes=["appi", "gdpr"], sensitive_data=True, high_risk=True
    )
    sent = {
        "incident": incident.pk,
        "sent_at": "2024-06-10T10:00:00+09:00",
        "channel": "letter",
        "people_reached": 20,
    }
    response = api("legal", "en").post("/api/v1/individual-notices/", sent, format="json")
    assert response.status_code == 400
    assert "regimes" in response.json()["error"]["fields"]
    assert not IndividualNotice.objects.exists()
    response = api("legal", "en").post(
        "/api/v1/individual-notices/", {**sent, "regimes": ["appi", "gdpr"]}, format="json"
    )
    assert response.status_code == 201
    rows = clocks(incident)
    assert rows["appi", "individuals"].fulfilled_at and rows["gdpr", "individuals"].fulfilled_at


def test_a_filed_obligation_is_no_longer_provisional(api, founding):
    incident = blank_case(api, founding)
    preliminary = clocks(incident)["appi", "preliminary"]
    response = api("legal", "en").post(
        f"/api/v1/obligations/{preliminary.pk}/file/",
        {"at": "2024-06-04T10:00:00+09:00", "channel": "web_form"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["provisional"] is False
    assert response.json()["state"] == "fulfilled"


def test_an_incident_whose_reminders_reach_nobody_says_so(api, founding, persona, client):
    response = api("committee", "en").post(
        "/api/v1/incidents/",
        {"organization": founding.organization_id, "title": "Alone", "category": "malware"},
        format="json",
    )
    assert response.status_code == 201
    assert any("reach nobody" in w for w in response.json()["warnings"])
    incident = Incident.objects.get(pk=response.json()["id"])
    login(client, persona["committee"], "en")
    assert "reach nobody" in client.get(change_url(incident)).content.decode()
    incident.members.add(persona["legal"])  # the demo's legal persona has an address
    response = api("committee", "en").get(f"/api/v1/incidents/{incident.pk}/")
    assert not any("reach nobody" in w for w in response.json()["warnings"])


def test_an_api_time_out_of_range_gets_the_range_message(api, founding):
    response = api("committee", "en").patch(
        f"/api/v1/incidents/{founding.pk}/",
        {"occurred_at": "0001-01-01T00:00:00Z"},
        format="json",
    )
    assert response.status_code == 400
    assert "1970-01-01" in response.json()["error"]["fields"]["occurred_at"][0]


def test_a_notice_in_the_future_is_refused(api, founding):
    incident = blank_case(api, founding, sensitive_data=True)
    future = (timezone.now() + timedelta(days=1)).isoformat()
    response = api("legal", "en").post(
        "/api/v1/individual-notices/",
        {"incident": incident.pk, "sent_at": future, "channel": "email", "people_reached": 1},
        format="json",
    )
    assert response.status_code == 400
    assert clocks(incident)["appi", "individuals"].fulfilled_at is None


def test_the_calendar_marks_provisional_deadlines(client, api, persona, founding):
    from incidents.models import CalendarToken

    incident = blank_case(api, founding)
    token = CalendarToken.issue(persona["legal"])
    body = client.get(reverse("calendar-feed", args=[token])).content.decode()
    unfolded = body.replace("\r\n ", "")
    line = next(
        row
        for row in unfolded.splitlines()
        if row.startswith("SUMMARY") and incident.reference in row
    )
    assert "暫定" in line or "provisional" in line
