"""Notes and counts sent to actions (not model serializers) have the same limits as the
model's columns: a clear 400 or form error, nothing stored."""

import pytest

from incidents.limits import NOTE_MAX_LENGTH
from incidents.models import IndividualNotice, StatusChange
from reporting import services as report_services
from tests.helpers import api_client

LONG = "x" * (NOTE_MAX_LENGTH + 1)


def test_a_status_move_with_a_note_too_long_is_refused(persona, founding):
    before = StatusChange.objects.count()
    response = api_client(persona["committee"]).post(
        f"/api/v1/incidents/{founding.pk}/transition/",
        {"to_status": "recovering", "note": LONG},
        format="json",
    )
    assert response.status_code == 400
    assert "note" in response.json()["error"]["fields"]
    assert StatusChange.objects.count() == before


def test_the_admin_status_form_refuses_a_note_too_long(client, persona, founding):
    client.force_login(persona["committee"])
    before = StatusChange.objects.count()
    response = client.post(
        f"/admin/incidents/incident/{founding.pk}/status/",
        {"to_status": "investigating", "note": LONG},  # the closed case reopened
    )
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    # The banner says to correct the errors, not to pick another status.
    assert "下記のエラーを修正してください。" in response.text
    assert "変更可能なステータスから選択してください。" not in response.text
    assert StatusChange.objects.count() == before


def test_a_filing_note_too_long_is_refused(persona, founding):
    obligation = founding.obligations.get(regime="appi", stage="final")
    response = api_client(persona["legal"]).post(
        f"/api/v1/obligations/{obligation.pk}/file/",
        {"at": "2022-03-01T10:00:00+09:00", "channel": "web_form", "note": LONG},
        format="json",
    )
    assert response.status_code == 400
    assert "note" in response.json()["error"]["fields"]
    obligation.refresh_from_db()
    assert obligation.fulfilled_at is None


@pytest.mark.parametrize("people", [10**30, 2**63, 2**31])
def test_a_notice_sent_to_more_people_than_the_column_holds_is_400(persona, founding, people):
    report = report_services.request_report(
        founding, "individual-notice", "ja", persona["legal"], allow_gaps=True
    )
    response = api_client(persona["legal"]).post(
        f"/api/v1/reports/{report.pk}/sent/",
        {"sent_at": "2022-03-01T00:00:00Z", "channel": "email", "people_reached": people},
        format="json",
    )
    assert response.status_code == 400
    assert "people_reached" in response.json()["error"]["fields"]
    assert not IndividualNotice.objects.exists()


def test_a_submission_time_at_the_year_limit_says_the_range(persona, founding):
    report = report_services.request_report(founding, "ppc-final", "ja", None, allow_gaps=True)
    response = api_client(persona["legal"]).post(
        f"/api/v1/reports/{report.pk}/submit/",
        {"submitted_to": "PPC", "submitted_at": "9999-12-31T00:00:00Z"},
        format="json",
    )
    assert response.status_code == 400
    assert "1970-01-01" in str(response.json()["error"]["fields"]["submitted_at"])
    report.refresh_from_db()
    assert report.submitted_at is None


def test_a_status_move_dated_in_the_future_is_a_field_error(persona, founding):
    before = StatusChange.objects.count()
    response = api_client(persona["committee"]).post(
        f"/api/v1/incidents/{founding.pk}/transition/",
        {"to_status": "recovering", "effective_at": "2099-01-01T00:00:00+09:00"},
        format="json",
    )
    assert response.status_code == 400
    assert "effective_at" in response.json()["error"]["fields"]
    assert StatusChange.objects.count() == before
