"""A document too long to be a report fails at once, with a clear error on its row."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


@pytest.mark.parametrize(
    ("limit", "value", "words"),
    [("REPORT_MAX_PAGES", 1, "pages"), ("REPORT_MAX_HTML_CHARS", 1000, "characters")],
)
def test_too_long_a_document_fails_with_a_clear_error(
    founding, media_root, settings, django_capture_on_commit_callbacks, limit, value, words
):
    setattr(settings, limit, value)
    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(username="legal"))
    api.cookies["django_language"] = "en"
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/reports/",
            {"incident": founding.pk, "kind": "ppc-final", "language": "ja", "allow_gaps": True},
            format="json",
        )
    assert response.status_code == 202
    report = api.get(response["Location"]).json()
    assert report["status"] == "failed"
    assert "DocumentTooLarge" in report["error"] and str(value) in report["error"]
    assert report["pdf_url"] is None
    assert not list(media_root.rglob("*.pdf"))
