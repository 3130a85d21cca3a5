"""The committee maintains its own organization (profile, sender addresses), not another's."""

import pytest

from incidents.models import Organization
from tests.helpers import change_url


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
            code="D1SP",
            representative_name_ja="代表 太郎",
            **{f"sender_addresses-{new}-address": "notice@d1-seihan-p.example"},
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    organization.refresh_from_db()
    assert organization.code == "D1SP"
    assert organization.representative_name_ja == "代表 太郎"
    assert "notice@d1-seihan-p.example" in organization.sender_addresses.values_list(
        "address", flat=True
    )
    founding.refresh_from_db()
    assert founding.reference == "INC-2022-0001"  # a given reference keeps its prefix


def test_a_bad_code_is_refused_with_a_message(client, persona, founding):
    organization = founding.organization
    client.force_login(persona["committee"])
    response = client.post(change_url(organization), form_data(organization, code="d1-sp"))
    assert response.status_code == 200
    assert "code" in response.context["adminform"].form.errors
    organization.refresh_from_db()
    assert organization.code == "INC"


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
