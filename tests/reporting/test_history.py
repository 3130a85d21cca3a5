"""Every report event is in its history with who and when, in the admin and the API."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from reporting import services
from reporting.models import Report

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


def test_report_events_with_who_and_when(founding, media_root, django_capture_on_commit_callbacks):
    legal = get_user_model().objects.get(username="legal")
    api = APIClient()
    api.force_authenticate(legal)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/reports/",
            {"incident": founding.pk, "kind": "ppc-final", "language": "ja", "allow_gaps": True},
            format="json",
        )
    assert response.status_code == 202
    report_id = response.json()["id"]
    assert response.json()["status"] in ("queued", "ready")
    submitted = api.post(
        f"/api/v1/reports/{report_id}/submit/",
        {"submitted_to": "個人情報保護委員会", "authority_reference": "PPC-1", "with_gaps": True},
        format="json",
    )
    assert submitted.status_code == 200, submitted.json()
    public = services.request_report(founding, "public-final", "en", legal, allow_gaps=True)
    services.render(public.pk)
    services.mark_published(public, user=legal, to="https://example.co.jp/news", with_gaps=True)
    failed = services.request_report(founding, "public-notice", "ja", legal, allow_gaps=True)
    services.mark_failed(failed.pk, "WeasyPrint ran out of memory")

    history = api.get(f"/api/v1/reports/{report_id}/history/")
    assert history.status_code == 200
    events = [(row["event"], row["user"]) for row in history.json()]
    assert events == [
        ("submitted", "legal"),
        ("rendered", None),
        ("rendering", None),
        ("requested", "legal"),
    ]
    assert all(row["at"] for row in history.json())
    assert "submitted_at" in history.json()[0]["changed"]
    published = api.get(f"/api/v1/reports/{public.pk}/history/").json()
    assert published[0]["event"] == "published" and published[0]["user"] == "legal"
    assert api.get(f"/api/v1/reports/{failed.pk}/history/").json()[0]["event"] == "failed"

    # The same history in the admin, for the people who may see the report.
    from django.test import Client

    client = Client()
    client.force_login(legal)
    page = client.get(reverse("admin:reporting_report_history", args=[report_id]))
    assert page.status_code == 200
    # The events by their labels in the reader's language (提出, 作成依頼), and who.
    assert ">提出<" in page.text.replace("\n", "").replace(" ", "")
    assert "submitted" not in page.text.split("<tbody>")[1]
    assert "legal" in page.text
    outsider = get_user_model().objects.get(username="outsider")
    client.force_login(outsider)
    assert (
        client.get(reverse("admin:reporting_report_history", args=[report_id])).status_code == 404
    )
    api.force_authenticate(outsider)
    assert api.get(f"/api/v1/reports/{report_id}/history/").status_code == 404
    assert Report.objects.get(pk=report_id).history.count() == 4
