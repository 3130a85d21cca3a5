"""Request -> row -> task -> PDF stored once; sweeper; retries; immutability after submission."""

import hashlib
import io
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone
from pypdf import PdfReader

from reporting import rendering, services, tasks
from reporting.models import Report, ReportLocked
from reporting.services import ReportError
from reporting.snapshot import build_snapshot

from .conftest import pdf_text

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


def request(founding, kind="ppc-final", language="ja", capture=None, user=None):
    with capture(execute=True):
        return services.request_report(founding, kind, language, user, allow_gaps=True)


def test_request_renders_on_commit(founding, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = services.request_report(founding, "ppc-final", "ja", None, allow_gaps=True)
    report.refresh_from_db()
    assert report.status == "queued" and report.version == 1 and len(callbacks) == 1
    callbacks[0]()
    report.refresh_from_db()
    assert report.status == "ready"
    content = report.file.read()
    assert report.file.name == f"reports/{founding.pk}/ppc-final-ja-v1.pdf"
    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert report.size == len(content)
    assert report.page_count == len(PdfReader(io.BytesIO(content)).pages)
    assert report.started_at <= report.finished_at and report.attempts == 1
    assert report.snapshot["incident"]["reference"] == founding.reference
    assert "令和4年2月3日" in pdf_text(content)


def test_versions_count_per_incident_kind_and_language(
    founding, media_root, django_capture_on_commit_callbacks
):
    c = django_capture_on_commit_callbacks
    versions = [
        request(founding, "ppc-final", "ja", c).version,
        request(founding, "ppc-final", "ja", c).version,
        request(founding, "ppc-final", "en", c).version,
        request(founding, "public-final", "ja", c).version,
    ]
    assert versions == [1, 2, 1, 1]
    files = sorted(p.name for p in (media_root / "reports" / str(founding.pk)).iterdir())
    assert files == [
        "ppc-final-en-v1.pdf",
        "ppc-final-ja-v1.pdf",
        "ppc-final-ja-v2.pdf",
        "public-final-ja-v1.pdf",
    ]


def test_unknown_kind_or_language_is_refused(founding):
    with pytest.raises(ReportError):
        services.request_report(founding, "gdpr-art33", "ja", None)
    with pytest.raises(ReportError):
        services.request_report(founding, "ppc-final", "de", None)
    assert not Report.objects.exists()


def test_redelivered_message_never_makes_a_second_file(
    founding, media_root, django_capture_on_commit_callbacks
):
    report = request(founding, capture=django_capture_on_commit_callbacks)
    report.refresh_from_db()
    before = (report.sha256, report.finished_at, report.file.name)
    with mock.patch.object(rendering, "render_pdf") as render:
        tasks.render_report.delay(report.pk)
        tasks.render_report.delay(report.pk)
    render.assert_not_called()
    report.refresh_from_db()
    assert (report.sha256, report.finished_at, report.file.name) == before
    assert len(list((media_root / "reports" / str(founding.pk)).iterdir())) == 1


def test_two_deliveries_rendering_at_once_store_one_file(founding, media_root):
    report = services.request_report(
        founding, "ppc-final", "en", None, allow_gaps=True
    )  # no commit: not sent
    pdf = rendering.render_pdf("ppc-final", "en", build_snapshot(founding))
    first = services.store(report.pk, pdf)
    other = rendering.RenderedPDF(content=b"%PDF-other", pages=1)
    second = services.store(report.pk, other)
    assert first.sha256 == second.sha256 == pdf.sha256
    assert report.__class__.objects.get(pk=report.pk).file.read() == pdf.content
    assert len(list((media_root / "reports" / str(founding.pk)).iterdir())) == 1


def test_leftover_file_of_a_dead_attempt_is_replaced(
    founding, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        report = services.request_report(founding, "public-final", "en", None, allow_gaps=True)
    leftover = media_root / report.storage_name
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half a PDF")
    tasks.render_report.delay(report.pk)
    report.refresh_from_db()
    assert report.status == "ready" and report.file.name == report.storage_name
    assert leftover.read_bytes().startswith(b"%PDF")
    assert len(list(leftover.parent.iterdir())) == 1


def test_transient_errors_are_retried_then_succeed(
    founding, media_root, django_capture_on_commit_callbacks
):
    real = rendering.render_pdf
    calls = []

    def flaky(*args):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return real(*args)

    with mock.patch.object(rendering, "render_pdf", side_effect=flaky):
        report = request(founding, capture=django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert report.status == "ready" and len(calls) == 3 and report.error == ""


def test_bounded_retries_end_in_a_readable_failure(
    founding, media_root, django_capture_on_commit_callbacks
):
    with mock.patch.object(rendering, "render_pdf", side_effect=OSError("disk full")) as render:
        report = request(founding, capture=django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert render.call_count == tasks.MAX_RETRIES + 1
    assert report.status == "failed" and report.error == "OSError: disk full"
    assert report.finished_at is not None and not report.file


def test_a_broken_template_fails_at_once(founding, media_root, django_capture_on_commit_callbacks):
    with mock.patch.object(rendering, "render_pdf", side_effect=ValueError("bad")) as render:
        report = request(founding, capture=django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert render.call_count == 1 and report.status == "failed" and "bad" in report.error
    tasks.render_report.delay(report.pk)  # a failed report is not retried by a re-delivery
    report.refresh_from_db()
    assert report.status == "failed"


def test_sweeper_resends_stuck_reports(
    founding, media_root, django_capture_on_commit_callbacks, settings
):
    settings.REPORT_STUCK_AFTER = 60
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost the message
        lost = services.request_report(founding, "ppc-final", "ja", None, allow_gaps=True)
        died = services.request_report(founding, "ppc-final", "en", None, allow_gaps=True)
        fresh = services.request_report(founding, "public-final", "ja", None, allow_gaps=True)
    old = timezone.now() - timedelta(minutes=5)
    Report.objects.filter(pk__in=[lost.pk, died.pk]).update(enqueued_at=old)
    Report.objects.filter(pk=died.pk).update(status="rendering", started_at=old, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        resent = tasks.sweep_stuck_reports.delay().get()
    assert sorted(resent) == sorted([lost.pk, died.pk])
    statuses = dict(Report.objects.values_list("pk", "status"))
    assert statuses == {lost.pk: "ready", died.pk: "ready", fresh.pk: "queued"}


def test_sweeper_gives_up_on_a_report_that_kills_its_worker(
    founding, media_root, django_capture_on_commit_callbacks, settings
):
    settings.REPORT_STUCK_AFTER = 60
    with django_capture_on_commit_callbacks(execute=False):
        report = services.request_report(founding, "ppc-final", "ja", None, allow_gaps=True)
    old = timezone.now() - timedelta(minutes=5)
    Report.objects.filter(pk=report.pk).update(
        status="rendering", started_at=old, enqueued_at=old, attempts=5
    )
    assert services.sweep() == []
    report.refresh_from_db()
    assert report.status == "failed"
    assert "5 attempts" in report.error or "5回試行" in report.error


# Immutability after submission ------------------------------------------------------------


@pytest.fixture
def submitted(founding, media_root, django_capture_on_commit_callbacks):
    report = request(founding, capture=django_capture_on_commit_callbacks)
    return services.mark_submitted(
        report, user=None, to="個人情報保護委員会", reference="PPC-2022-123", with_gaps=True
    )


def test_submitted_report_cannot_change(submitted, django_capture_on_commit_callbacks):
    original = submitted.file.read()
    submitted.error = "edited"
    with pytest.raises(ReportLocked):
        submitted.save()
    with pytest.raises(ReportLocked):
        Report.objects.filter(pk=submitted.pk).update(sha256="0" * 64)
    with pytest.raises(ReportLocked):
        submitted.delete()
    with pytest.raises(ReportLocked):
        services.mark_submitted(submitted, user=None, to="someone else")
    tasks.render_report.delay(submitted.pk)
    submitted.refresh_from_db()
    assert submitted.error == "" and submitted.authority_reference == "PPC-2022-123"
    assert submitted.file.read() == original
    correction = request(submitted.incident, capture=django_capture_on_commit_callbacks)
    assert correction.version == 2


def test_only_ready_reports_can_be_submitted(founding, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        report = services.request_report(founding, "ppc-final", "ja", None, allow_gaps=True)
    with pytest.raises(ReportError):
        services.mark_submitted(report, user=None, to="PPC")
