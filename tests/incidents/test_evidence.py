import hashlib
import os
import tracemalloc

import pytest
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from incidents import services
from incidents.choices import CustodyAction, EvidenceKind
from incidents.models import CustodyClosed, CustodyEntry, Evidence
from tests.conftest import jst

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(make_incident):
    incident = make_incident()
    return Evidence.objects.create(incident=incident, label="PC-01", kind=EvidenceKind.DEVICE)


def test_uploaded_file_gets_its_sha256_and_size(make_incident):
    incident = make_incident()
    content = "ログ 2022-02-03 接続記録\n".encode() * 1000
    evidence = Evidence.objects.create(
        incident=incident,
        label="mail.log",
        kind=EvidenceKind.LOG,
        file=SimpleUploadedFile("mail.log", content),
    )
    evidence.refresh_from_db()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.size == len(content)
    with evidence.file.open("rb") as stored:
        assert stored.read() == content


def test_hashing_a_large_file_streams_with_bounded_memory(make_incident, tmp_path):
    """A 256 MiB image is hashed and stored while Python holds only a few MiB at a time."""
    incident = make_incident()
    path = tmp_path / "disk.img"
    block = os.urandom(1024 * 1024)
    expected = hashlib.sha256()
    with path.open("wb") as out:
        for i in range(256):
            chunk = block[:-1] + bytes([i])
            out.write(chunk)
            expected.update(chunk)
    tracemalloc.start()
    try:
        with path.open("rb") as fh:
            evidence = Evidence.objects.create(
                incident=incident,
                label="disk",
                kind=EvidenceKind.DISK_IMAGE,
                file=File(fh, "disk.img"),
            )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert evidence.sha256 == expected.hexdigest()
    assert evidence.size == 256 * 1024 * 1024
    assert peak < 16 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_hash_and_size_go_together_with_a_file_in_the_database(evidence):
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.filter(pk=evidence.pk).update(sha256="0" * 64, size=3)


def test_custody_chain_is_recorded_in_order(evidence, make_user):
    user = make_user("c", "committee")
    services.record_custody(
        evidence, user=user, at=jst(2022, 2, 3, 11), action=CustodyAction.COLLECTED, to_party="IT"
    )
    services.record_custody(
        evidence, user=user, at=jst(2022, 2, 4), action=CustodyAction.TRANSFERRED, to_party="Vendor"
    )
    entries = list(evidence.custody_entries.all())
    assert [e.action for e in entries] == ["collected", "transferred"]
    assert entries[0].recorded_by == user


@pytest.mark.parametrize("disposal", [CustodyAction.DESTROYED, CustodyAction.RETURNED])
@pytest.mark.parametrize("after", [CustodyAction.STORED, CustodyAction.DESTROYED])
def test_nothing_follows_a_disposal(evidence, disposal, after):
    services.record_custody(evidence, user=None, at=jst(2022, 5, 31), action=disposal)
    with pytest.raises(CustodyClosed) as excinfo:
        services.record_custody(evidence, user=None, at=jst(2022, 6, 1), action=after)
    assert "PC-01" in str(excinfo.value)
    assert evidence.custody_entries.count() == 1


def test_the_database_holds_one_disposal_per_item(evidence):
    CustodyEntry.objects.create(evidence=evidence, at=jst(2022, 5, 31), action="destroyed")
    with pytest.raises(IntegrityError), transaction.atomic():
        CustodyEntry.objects.create(evidence=evidence, at=jst(2022, 6, 1), action="returned")


def test_disposal_shows_on_the_incident_timeline(evidence):
    incident = evidence.incident
    incident.milestones.create(occurred_at=jst(2022, 2, 3), kind="detection", title="found")
    services.record_custody(
        evidence, user=None, at=jst(2022, 5, 31), action=CustodyAction.DESTROYED, note="shredded"
    )
    entries = services.timeline(incident)
    assert [(e.kind, e.source) for e in entries] == [
        ("detection", "milestone"),
        ("evidence_disposed", "custody"),
    ]
    assert "PC-01" in entries[1].title
    assert Evidence.objects.with_disposal().get(pk=evidence.pk).disposal_action == "destroyed"


def test_disposal_shows_on_the_evidence_tab_and_the_timeline(client, persona, founding):
    client.force_login(persona["committee"])
    client.cookies["django_language"] = "en"
    page = client.get(f"/admin/incidents/incident/{founding.pk}/change/?tab=evidence")
    evidence = page.text.split('id="evidence-group"')[1].split("</form>")[0]
    assert "tab-evidence" in evidence
    assert "2022-05-31" in evidence  # its custody column: disposed, and when
    status = client.get(f"/incidents/{founding.reference}/").text
    timeline = status.split('id="timeline"')[1]
    assert "Evidence disposed" in timeline
