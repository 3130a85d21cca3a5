"""Need-to-know across organizations: an org-wide role (the auditor) sees every incident of
the organizations they belong to and nothing of another's; one who belongs to none sees the
whole installation (a single company that never links people to it); the superuser sees all.

Another organization's incident answers as a missing one: 404 in the API, the admin, the
status page, the exports; absent from every list, the dashboard and the choices."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from incidents.access import visible_users
from incidents.models import Incident, Organization, OrganizationMembership
from incidents.services import open_incident
from tests.helpers import api_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


@pytest.fixture
def other(founding, persona, make_user):
    """Another company on the same installation, with its own committee and incident."""
    organization = Organization.objects.create(
        name_ja="他社株式会社", name_en="Other K.K.", code="OTHER"
    )
    member = make_user("other-committee", "committee")
    OrganizationMembership.objects.create(organization=organization, user=member)
    incident = open_incident(
        organization=organization,
        user=member,
        title="他社の事案",
        category="malware",
        members=[member],
    )
    return {"organization": organization, "incident": incident, "member": member}


@pytest.fixture
def auditor(persona, founding):
    """The founding company's auditor: belongs to the company, a member of no incident."""
    user = persona["auditor"]
    OrganizationMembership.objects.get_or_create(organization=founding.organization, user=user)
    return user


def hidden_everywhere(client, user, incident: Incident, missing_pk: int) -> None:
    api = api_client(user)
    for pk in (incident.pk, missing_pk):
        assert api.get(f"/api/v1/incidents/{pk}/").status_code == 404
        assert api.get(f"/api/v1/incidents/{pk}/stix/").status_code == 404
        assert api.get(f"/api/v1/incidents/{pk}/misp/").status_code == 404
    listed = api.get("/api/v1/incidents/").json()["results"]
    assert incident.pk not in {row["id"] for row in listed}
    assert incident.reference not in api.get("/api/v1/milestones/").text
    client.force_login(user)
    for key in (incident.reference, "NOPE-2099-0001"):
        assert client.get(reverse("incident-status", args=[key])).status_code == 404
    for pk in (incident.pk, missing_pk):
        change = reverse("admin:incidents_incident_change", args=[pk])
        # The admin sends a missing object to its index with a message: the same for both.
        assert client.get(change).status_code in (302, 404)
    hidden = client.get(reverse("admin:incidents_incident_change", args=[incident.pk]))
    missing = client.get(reverse("admin:incidents_incident_change", args=[missing_pk]))
    assert hidden.status_code == missing.status_code
    assert incident.reference not in client.get(reverse("admin:incidents_incident_changelist")).text
    assert incident.title not in client.get(reverse("dashboard")).text


def test_an_auditor_sees_only_their_own_organizations_incidents(client, founding, auditor, other):
    visible = Incident.objects.visible_to(auditor)
    assert founding in visible
    assert other["incident"] not in visible
    hidden_everywhere(client, auditor, other["incident"], missing_pk=987654)
    # Their own company's case, though they are a member of none: the whole record.
    api = api_client(auditor)
    assert api.get(f"/api/v1/incidents/{founding.pk}/").status_code == 200
    client.force_login(auditor)
    assert client.get(reverse("incident-status", args=[founding.reference])).status_code == 200


def test_an_auditor_sees_only_their_own_organizations(client, founding, auditor, other):
    assert list(Organization.objects.visible_to(auditor)) == [founding.organization]
    api = api_client(auditor)
    codes = {row["code"] for row in api.get("/api/v1/organizations/").json()["results"]}
    assert codes == {founding.organization.code}
    assert api.get(f"/api/v1/organizations/{other['organization'].pk}/").status_code == 404
    # Nor the other company's people in any choice.
    assert other["member"] not in visible_users(auditor)


def test_an_auditor_of_both_organizations_sees_both(founding, auditor, other):
    OrganizationMembership.objects.create(organization=other["organization"], user=auditor)
    visible = Incident.objects.visible_to(auditor)
    assert {founding, other["incident"]} <= set(visible)
    assert visible.count() == len(set(visible))  # each incident once, whatever the joins


def test_an_auditor_who_is_a_member_of_another_companys_incident_sees_that_one(
    founding, auditor, other
):
    other["incident"].members.add(auditor)
    assert other["incident"] in Incident.objects.visible_to(auditor)


def test_an_auditor_who_belongs_to_no_organization_sees_the_whole_installation(
    persona, founding, other
):
    auditor = persona["auditor"]
    assert not auditor.organization_memberships.exists()
    assert {founding, other["incident"]} <= set(Incident.objects.visible_to(auditor))
    assert other["organization"] in Organization.objects.visible_to(auditor)


def test_the_superuser_sees_every_organization(persona, founding, auditor, other):
    admin = persona["admin"]
    OrganizationMembership.objects.create(organization=founding.organization, user=admin)
    assert {founding, other["incident"]} <= set(Incident.objects.visible_to(admin))
    assert other["member"] in visible_users(admin)


def test_a_committee_member_of_one_company_sees_nothing_of_the_others(
    client, founding, persona, other
):
    hidden_everywhere(client, other["member"], founding, missing_pk=987654)
    assert list(Organization.objects.visible_to(other["member"])) == [other["organization"]]
    assert get_user_model().objects.get(username="committee") not in visible_users(other["member"])


@pytest.fixture
def on_other_case(persona, other):
    """The founding company's committee member, named on the other company's incident."""
    other["incident"].members.add(persona["committee"])
    return persona["committee"]


def test_an_organization_seen_through_an_incident_is_read_not_changed(
    client, on_other_case, other, founding
):
    organization = other["organization"]
    api = api_client(on_other_case, "en")
    assert api.get(f"/api/v1/organizations/{organization.pk}/").status_code == 200
    patched = api.patch(
        f"/api/v1/organizations/{organization.pk}/",
        {"representative_name_en": "Mallory"},
        format="json",
    )
    assert patched.status_code == 403
    assert "organizations you belong to" in str(patched.json())
    own = api.patch(
        f"/api/v1/organizations/{founding.organization_id}/",
        {"representative_name_en": "Taro Yamada"},
        format="json",
    )
    assert own.status_code == 200
    client.force_login(on_other_case)
    url = reverse("admin:incidents_organization_change", args=[organization.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.text
    posted = client.post(url, {"name_ja": "乗っ取り", "name_en": "Taken"})
    assert posted.status_code == 403
    organization.refresh_from_db()
    assert organization.name_en == "Other K.K." and not organization.representative_name_en


def test_an_incident_is_opened_only_under_ones_own_organization(
    client, on_other_case, other, founding
):
    api = api_client(on_other_case, "en")
    body = {"title": "Laptop lost", "category": "loss_theft"}
    refused = api.post(
        "/api/v1/incidents/", {**body, "organization": other["organization"].pk}, format="json"
    )
    assert refused.status_code == 400
    assert "belong to" in str(refused.json()["error"]["fields"]["organization"])
    assert not Incident.objects.filter(title="Laptop lost").exists()
    opened = api.post(
        "/api/v1/incidents/", {**body, "organization": founding.organization_id}, format="json"
    )
    assert opened.status_code == 201
    client.force_login(on_other_case)
    add = client.get(reverse("admin:incidents_incident_add")).text
    assert "他社株式会社" not in add
    assert founding.organization.name_ja in add


def test_an_incident_stays_with_its_organization(client, persona, founding, other):
    admin = persona["admin"]
    api = api_client(admin, "en")
    moved = api.patch(
        f"/api/v1/incidents/{founding.pk}/",
        {"organization": other["organization"].pk},
        format="json",
    )
    assert moved.status_code == 400
    assert "stays with the organization" in str(moved.json()["error"]["fields"]["organization"])
    founding.refresh_from_db()
    assert founding.organization_id != other["organization"].pk
    client.force_login(admin)
    page = client.get(reverse("admin:incidents_incident_change", args=[founding.pk])).text
    assert 'name="organization"' not in page


def test_an_incident_is_not_shared_with_another_companys_people(persona, founding, other):
    """Someone who works on both companies' cases sees the people of both; they still name
    on one company's incident only that company's people (and those already on it)."""
    member = other["member"]
    founding.members.add(member)  # on the founding company's case too: sees its people
    api = api_client(member, "en")
    url = f"/api/v1/incidents/{other['incident'].pk}/"
    legal = persona["legal"]  # the founding company's
    refused = api.patch(url, {"members": [member.pk, legal.pk]}, format="json")
    assert refused.status_code == 400
    assert "legal" in str(refused.json()["error"]["fields"]["members"])
    assert legal not in other["incident"].members.all()
    colleague = get_user_model().objects.create_user("other-legal", is_staff=True)
    OrganizationMembership.objects.create(organization=other["organization"], user=colleague)
    colleague.groups.add(*legal.groups.all())
    taken = api.patch(url, {"members": [member.pk, colleague.pk]}, format="json")
    assert taken.status_code == 200, taken.json()
    assert set(other["incident"].members.all()) == {member, colleague}
