"""Evidence is written once: one upload check (type, size, SHA-256) for the admin and the
API; a stored file is never replaced or cleared; a correction is a new item naming the
one it corrects, with the reason in its custody chain."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from incidents.models import Evidence, EvidenceFileLocked
from tests.helpers import api_client

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


@pytest.fixture
def stored(founding):
    """The founding case's evidence item with a file."""
    evidence = Evidence.objects.create(
        incident=founding,
        label="mail.eml",
        kind="mail",
        file=SimpleUploadedFile("mail.eml", b"original mail"),
    )
    evidence.refresh_from_db()
    return evidence


def admin_data(evidence, **extra):
    data = {
        "incident": evidence.incident_id,
        "label": evidence.label,
        "kind": evidence.kind,
        "description": "",
        "collected_by": "",
        "location": "",
        "custody_entries-TOTAL_FORMS": "0",
        "custody_entries-INITIAL_FORMS": "0",
        "custody_entries-MIN_NUM_FORMS": "0",
        "custody_entries-MAX_NUM_FORMS": "1000",
    }
    return {**data, **extra}


def test_admin_change_page_cannot_replace_or_clear_the_file(client, persona, stored):
    client.force_login(persona["committee"])
    url = reverse("admin:incidents_evidence_change", args=[stored.pk])
    page = client.get(url).text
    assert 'type="file"' not in page and "file-clear" not in page
    for attempt in [
        {"file": SimpleUploadedFile("mail.eml", b"tampered")},
        {"file-clear": "on"},
    ]:
        client.post(url, admin_data(stored, location="safe", **attempt))
        stored.refresh_from_db()
        with stored.file.open("rb") as fh:
            assert fh.read() == b"original mail"
        assert stored.sha256 == hashlib.sha256(b"original mail").hexdigest()
    assert stored.location == "safe"  # the rest of the item is still edited


def test_the_model_refuses_a_changed_file(stored):
    stored.file = SimpleUploadedFile("other.eml", b"other")
    with pytest.raises(EvidenceFileLocked):
        stored.save()
    stored.refresh_from_db()
    assert stored.sha256 == hashlib.sha256(b"original mail").hexdigest()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("big.log", b"x" * 1001, "1000 bytes"), ("run.exe", b"MZ", "zip")],
)
def test_admin_upload_is_checked_like_the_api(
    client, persona, founding, settings, name, content, message
):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1000
    client.cookies["django_language"] = "en"
    client.force_login(persona["committee"])
    before = Evidence.objects.count()
    response = client.post(
        reverse("admin:incidents_evidence_add"),
        admin_data(
            Evidence(incident=founding, label=name, kind="file"),
            file=SimpleUploadedFile(name, content),
        ),
    )
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors["file"])
    assert Evidence.objects.count() == before


def test_admin_correction_is_a_new_item_with_the_reason_in_custody(client, persona, stored):
    client.force_login(persona["committee"])
    add = reverse("admin:incidents_evidence_add")
    new = Evidence(incident=stored.incident, label="mail-corrected.eml", kind="mail")
    refused = client.post(
        add, admin_data(new, corrects=stored.pk, file=SimpleUploadedFile("m.eml", b"right"))
    )
    assert refused.status_code == 200
    assert "correction_reason" in refused.context["adminform"].form.errors
    response = client.post(
        add,
        admin_data(
            new,
            corrects=stored.pk,
            correction_reason="The wrong mail was uploaded.",
            file=SimpleUploadedFile("m.eml", b"right mail"),
        ),
    )
    assert response.status_code == 302
    correction = Evidence.objects.get(label="mail-corrected.eml")
    assert correction.corrects == stored
    assert correction.sha256 == hashlib.sha256(b"right mail").hexdigest()
    entry = correction.custody_entries.get()
    assert "The wrong mail was uploaded." in entry.note and "mail.eml" in entry.note
    assert entry.recorded_by == persona["committee"]
    stored.refresh_from_db()
    assert stored.sha256 == hashlib.sha256(b"original mail").hexdigest()
    page = client.get(reverse("admin:incidents_evidence_change", args=[stored.pk])).text
    assert "mail-corrected.eml" in page  # the old item names its correction


def test_api_correction_and_its_refusals(persona, stored, make_incident):
    api = api_client(persona["committee"])
    body = {
        "incident": stored.incident_id,
        "label": "mail-v2.eml",
        "kind": "mail",
        "corrects": stored.pk,
        "file": SimpleUploadedFile("mail.eml", b"right mail"),
    }
    missing_reason = api.post("/api/v1/evidence/", body, format="multipart")
    assert missing_reason.status_code == 400
    assert "correction_reason" in missing_reason.json()["error"]["fields"]
    body["file"] = SimpleUploadedFile("mail.eml", b"right mail")
    created = api.post(
        "/api/v1/evidence/", {**body, "correction_reason": "wrong file"}, format="multipart"
    )
    assert created.status_code == 201, created.json()
    new_id = created.json()["id"]
    custody = api.get(f"/api/v1/evidence/{new_id}/custody/").json()
    assert len(custody) == 1 and "wrong file" in custody[0]["note"]
    assert api.get(f"/api/v1/evidence/{stored.pk}/").json()["corrections"] == [new_id]
    # An outsider cannot correct (or even name) an item of a case it may not see.
    own = make_incident(members=[persona["outsider"]])
    outsider = api_client(persona["outsider"])
    hidden = outsider.post(
        "/api/v1/evidence/",
        {
            "incident": own.pk,
            "label": "x",
            "kind": "log",
            "corrects": stored.pk,
            "correction_reason": "x",
        },
        format="json",
    )
    assert hidden.status_code == 400 and "corrects" in hidden.json()["error"]["fields"]
    assert Evidence.objects.filter(incident=own).count() == 0


def test_a_corrections_reason_and_an_empty_file_field_change_nothing(persona, stored):
    api = APIClient()
    api.force_authenticate(persona["committee"])
    created = api.post(
        "/api/v1/evidence/",
        {
            "incident": stored.incident_id,
            "label": "mail-v2.eml",
            "kind": "mail",
            "corrects": stored.pk,
            "correction_reason": "wrong file",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    new_id = created.json()["id"]
    changed = api.patch(
        f"/api/v1/evidence/{new_id}/", {"correction_reason": "changed my mind"}, format="json"
    )
    assert changed.status_code == 400
    assert "correction_reason" in changed.json()["error"]["fields"]
    custody = api.get(f"/api/v1/evidence/{new_id}/custody/").json()
    assert [entry["note"] for entry in custody] == [custody[0]["note"]]
    assert "wrong file" in custody[0]["note"]

    # A form's empty file field: nothing attached, nothing cleared, no empty history entry.
    before = stored.history.count()
    empty = api.patch(f"/api/v1/evidence/{stored.pk}/", {"file": ""}, format="multipart")
    assert empty.status_code == 200, empty.content
    stored.refresh_from_db()
    assert stored.file and stored.history.count() == before
