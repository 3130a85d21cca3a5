"""The committee maintains its own organization (profile, sender addresses), not another's."""

import re

import pytest

from incidents import services
from incidents.models import Incident, Organization, OrganizationMembership
from tests.helpers import change_url, login, management


def form_data(organization, **changes):
    senders = list(organization.sender_addresses.order_by("pk"))
    data = {
        "code": organization.code,
        "name_ja": organization.name_ja or "",
        "name_en": organization.name_en or "",
        "address_ja": organization.address_ja or "",
        "address_en": organization.address_en or "",
        "website": organization.website,
        "copyright_notice_ja": organization.copyright_notice_ja or "",
        "copyright_notice_en": organization.copyright_notice_en or "",
        "representative_title_ja": organization.representative_title_ja or "",
        "representative_title_en": organization.representative_title_en or "",
        "representative_name_ja": organization.representative_name_ja or "",
        "representative_name_en": organization.representative_name_en or "",
        "regulator_contact_name_ja": "",
        "regulator_contact_name_en": "",
        "regulator_contact_email": "",
        "regulator_contact_phone": "",
        "public_contact_name_ja": "",
        "public_contact_name_en": "",
        "public_contact_email": "",
        "public_contact_phone": "",
        "default_regimes": list(organization.default_regimes),
        "sender_addresses-TOTAL_FORMS": str(len(senders) + 1),
        "sender_addresses-INITIAL_FORMS": str(len(senders)),
        "sender_addresses-MIN_NUM_FORMS": "0",
        "sender_addresses-MAX_NUM_FORMS": "1000",
    }
    for i, sender in enumerate(senders):
        data |= {
            f"sender_addresses-{i}-id": str(sender.pk),
            f"sender_addresses-{i}-organization": str(organization.pk),
            f"sender_addresses-{i}-address": sender.address,
            f"sender_addresses-{i}-note": sender.note,
        }
    data |= {
        f"sender_addresses-{len(senders)}-organization": str(organization.pk),
        f"sender_addresses-{len(senders)}-address": "",
        f"sender_addresses-{len(senders)}-note": "",
    }
    return data | changes


@pytest.fixture
def other_organization(founding):
    return Organization.objects.create(name_ja="別会社", name_en="Other Co.", code="OTHER")


def test_committee_edits_its_own_organization_and_sender_addresses(client, persona, founding):
    organization = founding.organization
    client.force_login(persona["committee"])
    assert client.get(change_url(organization)).status_code == 200
    new = len(organization.sender_addresses.all())
    response = client.post(
        change_url(organization),
        form_data(
            organization,
            representative_name_ja="代表 太郎",
            **{f"sender_addresses-{new}-address": "notice@d1-seihan-p.example"},
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    organization.refresh_from_db()
    assert organization.representative_name_ja == "代表 太郎"
    assert "notice@d1-seihan-p.example" in organization.sender_addresses.values_list(
        "address", flat=True
    )


def test_the_code_is_fixed_once_the_organization_has_an_incident(client, persona, founding, api):
    """NKK -> NKKX after its incidents would free NKK for another company, and the
    references NKK-... would no longer say whose they are."""
    organization = founding.organization
    login(client, persona["committee"])
    page = client.get(change_url(organization)).content.decode()
    assert 'name="code"' not in page  # shown, not editable
    assert "インシデントが登録された組織のコードは変更できません" in page
    response = client.post(change_url(organization), form_data(organization, code="D1SP"))
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.code == "INC"
    answer = api("committee", "ja").patch(
        f"/api/v1/organizations/{organization.pk}/", {"code": "D1SP"}, format="json"
    )
    assert answer.status_code == 400
    assert "変更できません" in answer.json()["error"]["fields"]["code"][0]
    organization.refresh_from_db()
    assert organization.code == "INC"
    same = api("committee").patch(
        f"/api/v1/organizations/{organization.pk}/",
        {"code": "INC", "address_ja": "東京"},
        format="json",
    )
    assert same.status_code == 200, same.json()


def test_a_new_organization_code_can_still_be_changed(client, persona, newcomer):
    user, acme = newcomer
    login(client, user)
    assert 'name="code"' in client.get(change_url(acme)).content.decode()
    response = client.post(change_url(acme), form_data(acme, code="ACMEX"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    acme.refresh_from_db()
    assert acme.code == "ACMEX"


def test_a_bad_code_is_refused_with_a_message(client, newcomer):
    user, organization = newcomer  # an organization with no incident yet: its code is open
    client.force_login(user)
    response = client.post(change_url(organization), form_data(organization, code="d1-sp"))
    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors
    organization.refresh_from_db()
    assert organization.code == "ACME"


def test_committee_cannot_see_or_edit_another_organization(
    client, persona, founding, other_organization
):
    client.force_login(persona["committee"])
    # Hidden answers as missing: the same 404 page, nothing changed.
    page = client.get(change_url(other_organization))
    assert page.status_code == 404 and "別会社" not in page.content.decode()
    missing = client.get(
        change_url(other_organization).replace(f"/{other_organization.pk}/", "/987654/")
    )
    assert missing.content == page.content
    response = client.post(
        change_url(other_organization), form_data(other_organization, name_ja="乗っ取り")
    )
    assert response.status_code == 404
    other_organization.refresh_from_db()
    assert other_organization.name_ja == "別会社"
    listing = client.get("/admin/incidents/organization/").content.decode()
    assert "別会社" not in listing and founding.organization.name_ja in listing


def test_committee_cannot_create_an_organization(client, persona, founding):
    client.force_login(persona["committee"])
    assert client.get("/admin/incidents/organization/add/").status_code == 403
    before = Organization.objects.count()
    client.post("/admin/incidents/organization/add/", {"name_ja": "新会社", "code": "NEW"})
    assert Organization.objects.count() == before


@pytest.mark.parametrize("name", ["executive", "auditor", "legal"])
def test_other_roles_only_read_the_organization(client, persona, founding, name):
    organization = founding.organization
    client.force_login(persona[name])
    client.post(change_url(organization), form_data(organization, representative_name="x"))
    organization.refresh_from_db()
    assert organization.representative_name != "x"


# --- People belong to an organization ----------------------------------------------------


@pytest.fixture
def newcomer(founding):
    """A committee member of another company, on no incident yet, linked to it."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    acme = Organization.objects.create(name_ja="アクメ株式会社", name_en="Acme K.K.", code="ACME")
    user = get_user_model().objects.create_user("newcomer", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="committee"))
    OrganizationMembership.objects.create(organization=acme, user=user)
    return user, acme


def test_a_member_on_no_incident_sees_and_edits_their_organization_only(client, founding, newcomer):
    user, acme = newcomer
    other = founding.organization  # another company's, whose incident they are not on
    client.force_login(user)
    listing = client.get("/admin/incidents/organization/").content.decode()
    assert "アクメ株式会社" in listing and other.name_ja not in listing
    assert client.get(change_url(other)).status_code == 404
    response = client.post(change_url(acme), form_data(acme, representative_name_ja="阿久 芽"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    acme.refresh_from_db()
    assert acme.representative_name_ja == "阿久 芽"
    response = client.post(change_url(other), form_data(other, representative_name_ja="x"))
    assert response.status_code == 404
    # ...and belonging to the organization shows none of its incidents.
    theirs = services.open_incident(
        organization=acme, user=None, title="他の人の事案", category="malware"
    )
    assert theirs.reference not in client.get("/admin/incidents/incident/").content.decode()


def test_the_api_shows_a_member_the_same_organizations_as_the_admin(founding, newcomer):
    """One rule (Organization.objects.visible_to): the API used to show only organizations
    of one's incidents, so a member on no incident yet saw none."""
    from rest_framework.test import APIClient

    user, acme = newcomer
    api = APIClient()
    api.force_authenticate(user)
    listing = api.get("/api/v1/organizations/").json()
    assert [row["id"] for row in listing["results"]] == [acme.pk]
    assert api.get(f"/api/v1/organizations/{acme.pk}/").status_code == 200
    hidden = api.get(f"/api/v1/organizations/{founding.organization.pk}/")
    missing = api.get("/api/v1/organizations/999999/")
    assert hidden.status_code == missing.status_code == 404


def test_a_member_on_no_incident_opens_their_organizations_first_incident(
    client, founding, newcomer
):
    user, acme = newcomer
    client.force_login(user)
    client.cookies["django_language"] = "en"
    add = client.get("/admin/incidents/incident/add/")
    assert add.status_code == 200
    choices = dict(add.context["adminform"].form.fields["organization"].choices)
    assert [str(label) for key, label in choices.items() if key] == [str(acme)]
    assert add.context["adminform"].form.initial["organization"] == acme.pk  # the only one
    data = {
        "organization": acme.pk,
        "title_ja": "アクメ初の事案",
        "category": "malware",
        "severity": "medium",
        "time_zone": "Asia/Tokyo",
        "affected_count_qualifier": "unknown",
        "publication_status": "not_decided",
        "regimes": ["appi"],
        **management(),
    }
    response = client.post("/admin/incidents/incident/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    incident = Incident.objects.get(title_ja="アクメ初の事案")
    assert incident.organization == acme and incident.reference.startswith("ACME-")
    assert list(incident.members.all()) == [user]
    # Not for a company they do not belong to.
    response = client.post(
        "/admin/incidents/incident/add/",
        data | {"organization": founding.organization.pk, "title_ja": "他社の事案"},
    )
    assert response.status_code == 200
    assert "organization" in response.context["adminform"].form.errors
    assert not Incident.objects.filter(title_ja="他社の事案").exists()


def test_the_administrator_says_who_belongs_to_an_organization_on_the_persons_page(
    client, persona, founding
):
    from tests.incidents.test_incident_page import form_as_posted

    outsider = persona["outsider"]
    url = f"/admin/auth/user/{outsider.pk}/change/"
    client.force_login(persona["admin"])
    client.cookies["django_language"] = "ja"
    page = client.get(url).content.decode()
    assert "所属する組織" in page
    data = form_as_posted(page, "user_form") | {
        "organization_memberships-TOTAL_FORMS": "1",
        "organization_memberships-0-organization": str(founding.organization.pk),
        "organization_memberships-0-user": str(outsider.pk),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(Organization.objects.visible_to(outsider)) == [founding.organization]
    # The committee cannot say who belongs where.
    client.force_login(persona["committee"])
    assert client.get(url).status_code == 403


def test_another_organizations_people_are_not_offered_as_members(client, persona, make_user):
    """A committee member of ACME picks ACME's people: D1's names are neither listed nor
    accepted (they would then see ACME's case)."""
    from incidents.access import visible_users

    acme = Organization.objects.create(code="ACME", name_ja="アクメ株式会社", name_en="ACME")
    acme_committee = make_user("acme_committee", "committee")
    acme_legal = make_user("acme_legal", "legal")
    for user in (acme_committee, acme_legal):
        OrganizationMembership.objects.create(organization=acme, user=user)
    offered = set(visible_users(acme_committee).values_list("username", flat=True))
    assert offered == {"acme_committee", "acme_legal"}

    client.force_login(acme_committee)
    page = client.get("/admin/incidents/incident/add/").content.decode()
    assert "acme_legal" in page
    for name in ("committee", "legal", "executive"):
        assert f">{name}</option>" not in page
    # The founding company's committee is not offered ACME's people either.
    assert "acme_legal" not in set(
        visible_users(persona["committee"]).values_list("username", flat=True)
    )


def test_the_regimes_new_incidents_start_under_are_ticked_on_the_organization(client, persona):
    """README step 2: tick GDPR when it applies; the next incident starts under it."""
    admin = persona["admin"]
    client.force_login(admin)
    organization = Organization.objects.get()
    page = client.get(change_url(organization)).content.decode()
    assert 'name="default_regimes" value="gdpr"' in page
    response = client.post(
        change_url(organization), form_data(organization, default_regimes=["appi", "gdpr"])
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    organization.refresh_from_db()
    assert organization.default_regimes == ["appi", "gdpr"]
    refused = client.post(change_url(organization), form_data(organization, default_regimes=[]))
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["default_regimes"]


def test_the_first_organization_is_offered_inc(client, roles, django_user_model):
    """README step 2, on a fresh database: the add form offers the code INC."""
    admin = django_user_model.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    page = client.get("/admin/incidents/organization/add/").content.decode()
    assert 'name="code" value="INC"' in page


def test_a_new_organization_starts_under_the_appi(client, persona, founding):
    """The README's default: the add form ticks the APPI, so a save as offered succeeds."""
    login(client, persona["admin"])
    page = client.get("/admin/incidents/organization/add/")
    form = page.context["adminform"].form
    assert form["default_regimes"].value() == ["appi"]
    html = page.content.decode()
    box = re.search(r'<input type="checkbox" name="default_regimes" value="appi"[^>]*>', html)
    assert box and "checked" in box.group(0)
    data = {
        key: value
        for key, value in form_data(founding.organization).items()
        if not key.startswith("sender_addresses-")
    }
    data |= {"code": "NEWCO", "name_ja": "新会社", "name_en": "New Co."}
    data |= management(["sender_addresses"])
    data["default_regimes"] = form["default_regimes"].value()  # what the browser sends
    response = client.post("/admin/incidents/organization/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Organization.objects.get(code="NEWCO").default_regimes == ["appi"]
