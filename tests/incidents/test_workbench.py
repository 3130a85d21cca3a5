"""The committee's workbench: navigation, history in Japanese, cases entered after the fact."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from incidents.choices import IncidentStatus
from tests.conftest import jst
from tests.incidents.test_admin import change_url, login

pytestmark = pytest.mark.django_db
TABS = ["case", "facts", "timeline", "investigation", "evidence", "actions", "clocks"]


# --- Navigation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "lands_on"),
    [
        ("executive", "/dashboard/"),
        ("auditor", "/dashboard/"),
        ("committee", None),
        ("legal", None),
        ("admin", None),
    ],
)
def test_readers_land_on_the_dashboard_after_login(client, persona, name, lands_on):
    # As the browser does: the login form names the admin's index as where to go next.
    response = client.post(
        reverse("admin:login"),
        {"username": name, "password": "taisaku-demo", "next": reverse("admin:index")},
        follow=True,
    )
    assert response.status_code == 200
    landed = response.redirect_chain[-1][0] if response.redirect_chain else None
    if lands_on:
        assert landed == lands_on
    else:
        assert landed == reverse("admin:index")
    # A login that names nowhere to go lands in the same place.
    client.logout()
    response = client.post(
        reverse("admin:login"), {"username": name, "password": "taisaku-demo"}, follow=True
    )
    assert response.redirect_chain[-1][0] == (lands_on or reverse("admin:index"))
    # The admin index stays reachable for them on purpose.
    if lands_on:
        assert client.get(reverse("admin:index") + "?admin=1").status_code == 200


def test_the_admin_header_links_to_the_dashboard(client, persona, founding):
    login(client, persona["committee"], "ja")
    page = client.get(change_url(founding)).content.decode()
    header = page.split('id="user-tools"')[1].split("</div>")[0]
    assert 'href="/dashboard/"' in header and "ダッシュボード" in header


def test_view_on_site_opens_the_status_page(client, persona, founding):
    login(client, persona["committee"], "en")
    page = client.get(change_url(founding)).content.decode()
    status_url = reverse("incident-status", args=[founding.reference])
    link = page.split('class="viewsitelink"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert client.get(link).url.endswith(status_url)
    assert client.get(status_url).status_code == 200
    # ...and the status page links back to the case record.
    assert change_url(founding) in client.get(status_url).content.decode()


# --- Japanese everywhere -----------------------------------------------------------------


def test_history_pages_read_in_japanese(client, persona, founding):
    founding.title = founding.title + "（更新）"
    founding.save()
    login(client, persona["auditor"], "ja")
    history = reverse("admin:incidents_incident_history", args=[founding.pk])
    page = client.get(history).content.decode()
    for english in ("Changed by", "Change reason", "Changes", "Date/time", "Created", "Object"):
        assert f">{english}<" not in page and f"> {english} <" not in page, english
    assert "変更履歴" in page.split("</title>")[0]
    assert "<strong>件名:</strong>" in page  # the changed field by its label, not its name
    assert ">title:<" not in page


# --- Back-filling a past case ------------------------------------------------------------


def test_a_status_move_takes_the_time_it_happened(client, persona, make_incident):
    committee = persona["committee"]
    incident = make_incident(committee, time_zone="Asia/Tokyo")
    login(client, committee, "en")
    url = reverse("admin:incidents_incident_status", args=[incident.pk])
    before = timezone.now()
    response = client.post(
        url,
        {
            "to_status": "contained",
            "effective_at_0": "2022-02-03",
            "effective_at_1": "11:00",
            "note": "PC unplugged",
        },
        follow=True,
    )
    assert response.status_code == 200
    change = incident.status_changes.get()
    assert change.effective_at == jst(2022, 2, 3, 11)  # told in the incident's zone
    assert change.changed_at >= before  # who recorded it and when is kept too
    assert change.changed_by == committee

    # Not before the previous move, not in the future: a message, nothing recorded.
    for day in ("2022-02-01", "2999-01-01"):
        response = client.post(
            url,
            {"to_status": "investigating", "effective_at_0": day, "effective_at_1": "09:00"},
            follow=True,
        )
        incident.refresh_from_db()
        assert incident.status == IncidentStatus.CONTAINED, day
    assert incident.status_changes.count() == 1


def test_the_api_takes_the_effective_time_of_a_move(persona, make_incident):
    committee = persona["committee"]
    incident = make_incident(committee)
    api = APIClient()
    api.force_authenticate(committee)
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    response = api.post(
        f"/api/v1/incidents/{incident.pk}/transition/",
        {"to_status": "contained", "effective_at": "2022-02-03T11:00:00+09:00"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert incident.status_changes.get().effective_at == jst(2022, 2, 3, 11)
    response = api.post(
        f"/api/v1/incidents/{incident.pk}/transition/",
        {"to_status": "investigating", "effective_at": "2022-01-01T00:00:00+09:00"},
        format="json",
    )
    assert response.status_code == 400
    assert "previous" in response.json()["error"]["fields"]["effective_at"][0]
    assert incident.status_changes.count() == 1


def test_a_move_cannot_be_dated_before_the_detection(client, persona, make_incident):
    """Contained on 1 January, detected on 1 March: refused beside the field, in the admin
    and the API, in both languages; nothing recorded (else a negative duration follows)."""
    committee = persona["committee"]
    incident = make_incident(
        committee,
        time_zone="Asia/Tokyo",
        occurred_at=jst(2021, 12, 20),
        detected_at=jst(2022, 3, 1, 9),
        aware_at=jst(2022, 3, 2, 10),
    )
    url = reverse("admin:incidents_incident_status", args=[incident.pk])
    early = {"to_status": "contained", "effective_at_0": "2022-01-01", "effective_at_1": "09:00"}
    for language, text in (
        ("en", "The move cannot come before the detection (2022-03-01 09:00 JST)."),
        ("ja", "発覚日時（2022-03-01 09:00 JST）より前の日時は指定できません。"),
    ):
        login(client, committee, language)
        response = client.post(url, early)
        assert response.status_code == 200
        assert response.context["form"].errors["effective_at"] == [text]
        assert text in response.content.decode()
    api = APIClient()
    api.force_authenticate(committee)
    for language, word in (("en", "detection"), ("ja", "発覚日時")):
        api.credentials(HTTP_ACCEPT_LANGUAGE=language)
        response = api.post(
            f"/api/v1/incidents/{incident.pk}/transition/",
            {"to_status": "contained", "effective_at": "2022-01-01T09:00:00+09:00"},
            format="json",
        )
        assert response.status_code == 400, response.json()
        assert word in response.json()["error"]["fields"]["effective_at"][0]
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.DETECTED
    assert incident.contained_at is None
    assert not incident.status_changes.exists()
    # From the detection on, the move is taken.
    login(client, committee, "en")
    response = client.post(
        url, {**early, "effective_at_0": "2022-03-01", "effective_at_1": "09:00"}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CONTAINED


def test_the_founding_case_moves_carry_their_own_dates(founding):
    moves = list(founding.status_changes.values_list("to_status", "effective_at"))
    assert moves[0] == (IncidentStatus.CONTAINED, jst(2022, 2, 3, 11))
    assert moves[-1] == (IncidentStatus.CLOSED, jst(2022, 7, 13, 12))


def test_ensure_roles_creates_the_groups_for_a_new_company():
    from io import StringIO

    from django.contrib.auth.models import Group
    from django.core.management import call_command

    out = StringIO()
    call_command("ensure_roles", stdout=out)
    call_command("ensure_roles", stdout=out)  # idempotent
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "committee",
        "legal",
        "executive",
        "auditor",
    }
    assert Group.objects.get(name="legal").permissions.filter(codename="change_obligation")


def test_a_regimes_facts_are_shown_only_when_it_applies(client, persona, founding):
    login(client, persona["committee"], "en")

    def both_tabs():  # the regime's facts are on the tabs "facts" and "legal clocks"
        tabs = (client.get(change_url(founding, tab)).content.decode() for tab in TABS)
        return "".join(tabs)

    page = both_tabs()  # APPI only
    assert 'name="wrongful_purpose"' in page
    for other in ("high_risk", "significant_incident", "sec_material", "hipaa_business_associate"):
        assert f'name="{other}"' not in page, other
    assert 'name="gdpr_delay_reason_ja"' not in page  # nor their texts in either language
    founding.regimes = ["appi", "gdpr"]
    founding.save()
    page = both_tabs()
    assert 'name="high_risk"' in page and 'name="sec_material"' not in page


def test_the_first_screen_shows_status_next_deadline_and_latest_milestones(
    client, persona, make_incident
):
    committee = persona["committee"]
    incident = make_incident(
        committee, aware_at=timezone.now(), sensitive_data=True, title="Glance"
    )
    login(client, committee, "en")
    page = client.get(change_url(incident)).content.decode()
    glance = page.split('class="taisaku-glance"')[1].split("</div>")[0]
    assert "Detected" in glance
    assert "Preliminary report to the PPC" in glance  # the earliest open deadline
    assert "Latest milestones" in glance
