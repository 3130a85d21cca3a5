import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken
from rest_framework.test import APIClient

from incidents.models import CustodyEntry, Evidence, Incident, Milestone
from reporting.models import Report
from tests.conftest import jst

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


def error(response):
    body = response.json()["error"]
    assert body["status"] == response.status_code
    return body


def test_field_errors_come_back_as_400_with_messages(api, founding):
    response = api("committee").post(
        "/api/v1/incidents/",
        {
            "title": "",
            "category": "volcano",
            "organization": founding.organization_id,
            "affected_count": 5,
        },
        format="json",
    )
    assert response.status_code == 400
    body = error(response)
    assert body["code"] == "invalid"
    assert set(body["fields"]) >= {"title", "category"}
    assert Incident.objects.count() == 1


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"affected_count": 5, "affected_count_qualifier": "unknown"}, "affected_count_qualifier"),
        ({"affected_count_qualifier": "exact"}, "affected_count"),
        ({"time_zone": "Mars/Base"}, "time_zone"),
        (
            {"occurred_at": "2022-02-05T00:00:00Z", "detected_at": "2022-02-03T00:00:00Z"},
            "detected_at",
        ),
    ],
)
def test_model_rules_are_400_too(api, founding, facts, field):
    response = api("committee").post(
        "/api/v1/incidents/",
        {"title": "x", "category": "malware", "organization": founding.organization_id, **facts},
        format="json",
    )
    assert response.status_code == 400
    assert field in error(response)["fields"]
    assert not Incident.objects.filter(title="x").exists()


def test_create_assigns_reference_and_membership(api, persona, founding):
    response = api("committee").post(
        "/api/v1/incidents/",
        {
            "title": "Ransomware on file server",
            "category": "ransomware",
            "organization": founding.organization_id,
            "aware_at": "2024-05-01T09:00:00+09:00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["reference"] == "INC-2024-0001"
    incident = Incident.objects.get(pk=response.json()["id"])
    assert list(incident.members.all()) == [persona["committee"]]


def test_refused_status_move_is_409_and_changes_nothing(api, founding):
    response = api("committee").post(
        f"/api/v1/incidents/{founding.pk}/transition/", {"to_status": "recovering"}, format="json"
    )
    assert response.status_code == 409
    assert (
        "cannot become" in error(response)["message"] or "できません" in error(response)["message"]
    )
    founding.refresh_from_db()
    assert founding.status == "closed"


def test_reopen_through_the_api_is_recorded(api, persona, founding):
    response = api("committee").post(
        f"/api/v1/incidents/{founding.pk}/transition/",
        {"to_status": "investigating", "note": "new spoofed mails"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "investigating"
    change = founding.status_changes.last()
    assert (change.changed_by, change.note) == (persona["committee"], "new spoofed mails")


def test_custody_after_destruction_is_409(api, founding):
    evidence = founding.evidence.get()
    before = CustodyEntry.objects.count()
    response = api("committee").post(
        f"/api/v1/evidence/{evidence.pk}/custody/",
        {"at": "2022-06-01T10:00:00+09:00", "action": "transferred"},
        format="json",
    )
    assert response.status_code == 409
    assert CustodyEntry.objects.count() == before


def test_evidence_upload_hashes_and_download_returns_the_bytes(api, founding):
    content = b"2022-02-03 10:01 outbound 203.0.113.5:8080\n" * 100
    response = api("committee").post(
        "/api/v1/evidence/",
        {
            "incident": founding.pk,
            "label": "fw.log",
            "kind": "log",
            "file": SimpleUploadedFile("fw.log", content),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["size"] == len(content)
    download = api("legal").get(f"/api/v1/evidence/{body['id']}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["X-Checksum-SHA256"] == body["sha256"]
    # The file is never replaced.
    again = api("committee").patch(
        f"/api/v1/evidence/{body['id']}/",
        {"file": SimpleUploadedFile("fw.log", b"tampered")},
        format="multipart",
    )
    assert again.status_code == 400
    assert "file" in error(again)["fields"]


def test_upload_limits_answer_413_and_415(api, founding, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1000
    too_big = api("committee").post(
        "/api/v1/evidence/",
        {
            "incident": founding.pk,
            "label": "big.log",
            "kind": "log",
            "file": SimpleUploadedFile("big.log", b"x" * 1001),
        },
        format="multipart",
    )
    assert too_big.status_code == 413
    assert "1000" in error(too_big)["message"] or "0 MB" in error(too_big)["message"]
    wrong_type = api("committee").post(
        "/api/v1/evidence/",
        {
            "incident": founding.pk,
            "label": "run.exe",
            "kind": "file",
            "file": SimpleUploadedFile("run.exe", b"MZ"),
        },
        format="multipart",
    )
    assert wrong_type.status_code == 415
    assert "zip" in error(wrong_type)["message"]
    assert not Evidence.objects.filter(label__in=["big.log", "run.exe"]).exists()


def test_milestone_cannot_point_at_another_incidents_rows(api, founding, make_incident, persona):
    other = make_incident(members=[persona["committee"]])
    response = api("committee").post(
        "/api/v1/milestones/",
        {
            "incident": other.pk,
            "occurred_at": "2024-01-01T00:00:00Z",
            "kind": "other",
            "title": "x",
            "engagement": founding.engagements.get().pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "engagement" in error(response)["fields"]


def test_filters_and_ordering(api, founding):
    client = api("legal")
    body = client.get(f"/api/v1/milestones/?incident={founding.pk}&kind=vendor_finding").json()
    assert body["count"] == 3
    body = client.get("/api/v1/milestones/?ordering=-occurred_at").json()
    assert body["results"][0]["kind"] == "final_report_published"
    assert client.get("/api/v1/incidents/?status=closed").json()["count"] == 1
    assert client.get("/api/v1/incidents/?status=detected").json()["count"] == 0
    assert client.get("/api/v1/actions/?status=done").json()["count"] == 2


def test_history_is_readable_by_the_auditor(api, founding):
    body = api("auditor").get(f"/api/v1/incidents/{founding.pk}/history/").json()
    assert body and body[-1]["type"] == "created"


# Tokens ---------------------------------------------------------------------------


def test_issue_token_prints_a_working_token_and_users_revoke_it(persona, founding, capsys):
    call_command("issue_token", "legal")
    token = capsys.readouterr().out.strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/incidents/").json()["count"] == 1
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/incidents/").status_code == 401
    assert not AuthToken.objects.filter(user=persona["legal"]).exists()


def test_issue_token_for_an_unknown_user_fails_clearly(db):
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("issue_token", "ghost")


def test_a_garbage_token_is_401(founding):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token nonsense")
    response = client.get("/api/v1/incidents/")
    assert response.status_code == 401
    assert error(response)["message"]


def test_schema_and_docs_need_a_login(client, persona):
    assert client.get("/api/schema/").status_code in (401, 403)
    client.force_login(persona["legal"])
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/incidents/{id}/transition/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert "Content-Security-Policy" in docs


# Query counts ---------------------------------------------------------------------


def grow(incident, n):
    engagement = incident.engagements.create(vendor="V", requested_at=jst(2022, 2, 4))
    for i in range(n):
        Milestone.objects.create(
            incident=incident, occurred_at=jst(2022, 3, 1), kind="other", title=f"m{i}"
        )
        engagement.findings.create(reported_at=jst(2022, 3, 2), kind="other")
        Evidence.objects.create(incident=incident, label=f"e{i}", kind="log")
        incident.actions.create(title=f"a{i}", category="technical")
    Report.objects.create(incident=incident, kind="ppc-final", language="ja", version=1)
    Report.objects.create(incident=incident, kind="ppc-final", language="en", version=1)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/incidents/",
        "/api/v1/milestones/",
        "/api/v1/engagements/",
        "/api/v1/findings/",
        "/api/v1/evidence/",
        "/api/v1/actions/",
        "/api/v1/organizations/",
        "/api/v1/obligations/",
        "/api/v1/reports/",
    ],
)
def test_list_query_counts_do_not_grow_with_rows(api, persona, make_incident, url):
    client = api("committee")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    grow(make_incident(members=[persona["committee"]], aware_at=jst(2024, 1, 5)), 2)
    count()  # warm the per-user permission cache
    small = count()
    for _ in range(5):
        grow(make_incident(members=[persona["committee"]], aware_at=jst(2024, 1, 5)), 8)
    assert count() == small


# Reports --------------------------------------------------------------------------


def test_report_request_poll_download_and_submit(api, founding, django_capture_on_commit_callbacks):
    legal = api("legal")
    with django_capture_on_commit_callbacks(execute=True):
        response = legal.post(
            "/api/v1/reports/",
            {"incident": founding.pk, "kind": "ppc-final", "language": "ja", "allow_gaps": True},
            format="json",
        )
    assert response.status_code == 202
    assert response["Location"].endswith(f"/api/v1/reports/{response.json()['id']}/")
    report = legal.get(response["Location"]).json()
    assert report["status"] == "ready" and report["version"] == 1
    pdf = legal.get(report["pdf_url"])
    content = b"".join(pdf.streaming_content)
    assert content.startswith(b"%PDF")
    assert pdf["X-Checksum-SHA256"] == hashlib.sha256(content).hexdigest() == report["sha256"]

    final = founding.obligations.get(regime="appi", stage="final")
    filing = {
        "submitted_to": "個人情報保護委員会",
        "authority_reference": "PPC-2022-123",
        "obligation": final.pk,
    }
    # A 確報 generated with 追って報告 gaps fulfils the final report's clock only when the
    # person recording it says it went out with them; the refusal names them.
    unconfirmed = legal.post(f"/api/v1/reports/{report['id']}/submit/", filing, format="json")
    assert unconfirmed.status_code == 400
    (message,) = error(unconfirmed)["fields"]["with_gaps"]
    assert "不足する項目があるまま作成されています" in message and "概要" in message, message
    final.refresh_from_db()
    assert final.fulfilled_at is None and final.fulfilled_by_report_id is None
    assert legal.get(f"/api/v1/reports/{report['id']}/").json()["submitted_at"] is None
    submitted = legal.post(
        f"/api/v1/reports/{report['id']}/submit/", {**filing, "with_gaps": True}, format="json"
    )
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["authority_reference"] == "PPC-2022-123"
    final.refresh_from_db()
    assert final.fulfilled_by_report_id == report["id"]
    assert final.authority_reference == "PPC-2022-123"

    again = legal.post(
        f"/api/v1/reports/{report['id']}/submit/", {"submitted_to": "elsewhere"}, format="json"
    )
    assert again.status_code == 409
    assert error(again)["code"] == "conflict"


def test_a_report_that_is_not_ready_cannot_be_submitted(api, founding):
    report = Report.objects.create(incident=founding, kind="ppc-final", language="en", version=1)
    response = api("legal").post(
        f"/api/v1/reports/{report.pk}/submit/", {"submitted_to": "PPC"}, format="json"
    )
    assert response.status_code == 400
    assert "ready" in error(response)["message"] or "作成完了" in error(response)["message"]
    assert api("legal").get(f"/api/v1/reports/{report.pk}/download/").status_code == 404


def test_an_incident_is_reached_by_its_reference_too(api, founding):
    by_id = api("committee").get(f"/api/v1/incidents/{founding.pk}/")
    by_reference = api("committee").get(f"/api/v1/incidents/{founding.reference}/")
    assert by_reference.status_code == 200
    assert by_reference.json() == by_id.json()
    as_typed = api("committee").get(f"/api/v1/incidents/{founding.reference.lower()}/")
    assert as_typed.status_code == 200 and as_typed.json() == by_id.json()
    history = api("committee").get(f"/api/v1/incidents/{founding.reference}/history/")
    assert history.status_code == 200 and history.json()
    hidden = api("outsider").get(f"/api/v1/incidents/{founding.reference}/")
    missing = api("outsider").get("/api/v1/incidents/INC-1999-0001/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_sender_addresses_sent_to_the_api_are_refused_not_ignored(api, founding):
    """The addresses are kept in the admin: a PATCH naming them is a 400 saying so (not a
    200 that changes nothing); the answer of a GET sent back as it is still passes."""
    organization = founding.organization
    url = f"/api/v1/organizations/{organization.pk}/"
    before = sorted(organization.sender_addresses.values_list("address", flat=True))
    assert before  # the founding company has some
    for language, word in (("en", "in the admin"), ("ja", "管理画面")):
        response = api("committee", language).patch(
            url, {"sender_addresses": [*before, "ceo@example.jp"]}, format="json"
        )
        assert response.status_code == 400, response.json()
        assert word in response.json()["error"]["fields"]["sender_addresses"][0]
    assert sorted(organization.sender_addresses.values_list("address", flat=True)) == before
    answer = api("committee").get(url).json()
    again = api("committee").put(url, answer, format="json")
    assert again.status_code == 200, again.json()
    renamed = api("committee").patch(
        url, {"name_en": "Renamed", "sender_addresses": before[::-1]}, format="json"
    )
    assert renamed.status_code == 200, renamed.json()


def test_an_invalid_item_of_a_list_says_which_item_in_words(api, founding):
    response = api("committee", "en").patch(
        f"/api/v1/incidents/{founding.reference}/",
        {"personal_data_items": ["name", "email"]},
        format="json",
    )
    assert response.status_code == 400
    assert error(response)["fields"] == {
        "personal_data_items": ['Item 2: "email" is not a valid choice.']
    }
    founding.refresh_from_db()
    assert "email" not in founding.personal_data_items
