"""An item recorded without a file (a device, a paper log) may get its file later, once:
checked like every upload, and the chain of custody says who attached it, when, and its
SHA-256. A stored file is still never replaced."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents.models import Evidence
from tests.helpers import api_client

from .test_evidence_write_once import admin_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def fileless(founding):
    return Evidence.objects.create(incident=founding, label="PC-02", kind="device")


def test_api_attaches_a_file_once_with_a_custody_entry(persona, fileless):
    api = api_client(persona["committee"])
    url = f"/api/v1/evidence/{fileless.pk}/"
    response = api.patch(url, {"file": SimpleUploadedFile("image.log", b"disk image")})
    assert response.status_code == 200, response.content
    fileless.refresh_from_db()
    digest = hashlib.sha256(b"disk image").hexdigest()
    assert fileless.sha256 == digest
    entry = fileless.custody_entries.get()
    assert entry.recorded_by == persona["committee"] and digest in entry.note
    again = api.patch(url, {"file": SimpleUploadedFile("other.log", b"other")})
    assert again.status_code == 400
    fileless.refresh_from_db()
    assert fileless.sha256 == digest and fileless.custody_entries.count() == 1


def test_api_refuses_a_disallowed_file_attached_later(persona, fileless):
    api = api_client(persona["committee"])
    response = api.patch(
        f"/api/v1/evidence/{fileless.pk}/", {"file": SimpleUploadedFile("x.exe", b"MZ")}
    )
    assert response.status_code == 415
    fileless.refresh_from_db()
    assert not fileless.file and not fileless.custody_entries.exists()


def test_admin_attaches_a_file_once_with_a_custody_entry(client, persona, fileless):
    client.force_login(persona["committee"])
    url = reverse("admin:incidents_evidence_change", args=[fileless.pk])
    data = admin_data(fileless, file=SimpleUploadedFile("image.log", b"disk image"))
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    fileless.refresh_from_db()
    entry = fileless.custody_entries.get()
    assert entry.recorded_by == persona["committee"]
    assert hashlib.sha256(b"disk image").hexdigest() in entry.note
