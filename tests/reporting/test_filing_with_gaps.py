"""A document generated with gaps fulfils an obligation only when the person recording its
submission says it went out with them (API and admin), and the reports' lists tell such a
version from a complete one by its date and its gaps."""

import pytest

from reporting import services
from reporting.models import Report
from reporting.readiness import readiness

from ..helpers import api_client, change_url
from .conftest import half_recorded

pytestmark = pytest.mark.django_db


@pytest.fixture
def half(make_incident, member):
    """Complete enough for a 速報, not for a 確報 (nine items missing)."""
    return half_recorded(make_incident, member)


def generate(incident, kind, day, capture, user=None) -> Report:
    with capture(execute=True):
        report = services.request_report(
            incident, kind, "ja", user, document_date=day, allow_gaps=True
        )
    report.refresh_from_db()
    assert report.status == "ready", report.error
    return report


def test_a_final_report_with_gaps_fulfils_its_clock_only_when_confirmed(
    half, member, media_root, django_capture_on_commit_callbacks
):
    report = generate(half, "ppc-final", "2022-03-01", django_capture_on_commit_callbacks)
    final = half.obligations.get(regime="appi", stage="final")
    api = api_client(member, "en")
    url = f"/api/v1/reports/{report.pk}/submit/"
    refused = api.post(url, {"submitted_to": "PPC", "obligation": final.pk}, format="json")
    assert refused.status_code == 400, refused.content
    (message,) = refused.json()["error"]["fields"]["with_gaps"]
    assert message.startswith("This document was generated with items missing: ")
    assert "Cause" in message and "Measures" in message, message
    final.refresh_from_db()
    report.refresh_from_db()
    assert final.fulfilled_at is None and report.submitted_at is None
    # Said explicitly, it is recorded as before: the obligation fulfilled by this report.
    done = api.post(
        url, {"submitted_to": "PPC", "obligation": final.pk, "with_gaps": True}, format="json"
    )
    assert done.status_code == 200, done.content
    final.refresh_from_db()
    assert final.fulfilled_by_report_id == report.pk
    assert done.json()["submitted_to"] == "PPC"


def test_a_report_generated_complete_needs_no_confirmation(
    half, member, media_root, django_capture_on_commit_callbacks
):
    # Gaps allowed, but the 速報 lacked nothing: nothing to confirm.
    report = generate(half, "ppc-preliminary", None, django_capture_on_commit_callbacks)
    assert report.allow_gaps
    done = api_client(member).post(
        f"/api/v1/reports/{report.pk}/submit/", {"submitted_to": "PPC"}, format="json"
    )
    assert done.status_code == 200, done.content
    assert half.obligations.get(regime="appi", stage="preliminary").fulfilled_at is not None


def test_admin_submission_of_a_report_with_gaps_needs_the_box_ticked(
    half, member, client, media_root, django_capture_on_commit_callbacks
):
    report = generate(half, "ppc-final", "2022-03-01", django_capture_on_commit_callbacks)
    client.force_login(member)
    action = {
        "action": "mark_submitted",
        "_selected_action": [report.pk],
        "submitted_to": "個人情報保護委員会",
    }
    refused = client.post("/admin/reporting/report/", action, follow=True)
    shown = [(m.level_tag, str(m)) for m in refused.context["messages"]]
    assert len(shown) == 1 and shown[0][0] == "error", shown
    assert "不足する項目があるまま作成されています" in shown[0][1] and "原因" in shown[0][1]
    report.refresh_from_db()
    assert report.submitted_at is None
    assert half.obligations.get(regime="appi", stage="final").fulfilled_at is None
    done = client.post("/admin/reporting/report/", {**action, "with_gaps": "on"}, follow=True)
    assert [m.level_tag for m in done.context["messages"]] == ["success"]
    report.refresh_from_db()
    assert report.submitted_at is not None
    assert half.obligations.get(regime="appi", stage="final").fulfilled_by_report_id == report.pk


def test_the_reports_lists_show_each_versions_date_and_gaps(
    half,
    member,
    client,
    media_root,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    # The 速報 as of today lacks nothing; the 確報 dated back lacks items of the form and the
    # narratives as of its date (the case was recorded later).
    complete = generate(half, "ppc-preliminary", None, django_capture_on_commit_callbacks)
    gapped = generate(half, "ppc-final", "2022-03-01", django_capture_on_commit_callbacks)
    # As many items as readiness finds missing in the snapshot the report was rendered from
    # (an item once, however many of its facts are missing).
    missing = readiness("ppc-final", "ja", gapped.snapshot).missing
    lacking = len({gap.label for gap in missing})
    assert lacking >= 10
    said = f"不足{lacking}項目"
    client.force_login(member)
    with django_assert_max_num_queries(12):
        listing = client.get("/admin/reporting/report/").content.decode()
    tab = client.get(change_url(half, "reports")).content.decode()
    for page in (listing, tab):
        assert complete.document_date.isoformat() in page and "2022-03-01" in page
        assert "不足のまま作成" in page  # the column
        assert page.count(said) == 1, (said, page.count(said))
        assert "原因" in page[page.index(said) - 400 : page.index(said)]
        # One row says it, the other does not: the complete row's cell is empty.
        assert page.count("項目</span>") == 1
    detail = client.get(f"/admin/reporting/report/{gapped.pk}/change/").content.decode()
    assert said in detail
