"""A report whose message the broker lost is sent again within a sweep or two; a second
message for a report being rendered does not render it twice."""

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from reporting import rendering, services, tasks
from reporting.models import Report


def lost_report(founding, capture, seconds_ago: int, kind="ppc-final", language="ja"):
    with capture(execute=False):  # the broker lost the message
        report = services.request_report(founding, kind, language, None, allow_gaps=True)
    Report.objects.filter(pk=report.pk).update(
        enqueued_at=timezone.now() - timedelta(seconds=seconds_ago)
    )
    return report


def test_a_lost_message_is_resent_once_the_queue_is_seen_empty(
    founding, media_root, django_capture_on_commit_callbacks, settings
):
    settings.REPORT_STUCK_AFTER, settings.REPORT_RESEND_AFTER = 360, 30
    lost = lost_report(founding, django_capture_on_commit_callbacks, 45)
    just_sent = lost_report(founding, django_capture_on_commit_callbacks, 5, language="en")

    # Messages still wait in the broker (or it cannot tell): wait for REPORT_STUCK_AFTER.
    assert services.sweep(queue_empty=False) == []
    assert services.sweep(queue_empty=None) == []
    with django_capture_on_commit_callbacks(execute=True):
        resent = services.sweep(queue_empty=True)

    assert resent == [lost.pk]
    lost.refresh_from_db()
    just_sent.refresh_from_db()
    assert lost.status == "ready" and lost.attempts == 1
    assert just_sent.status == "queued"


def test_a_second_message_leaves_a_render_in_progress_alone(
    founding, media_root, django_capture_on_commit_callbacks, settings
):
    settings.REPORT_STUCK_AFTER = 60
    report = lost_report(founding, django_capture_on_commit_callbacks, 45)
    started = timezone.now() - timedelta(seconds=10)
    Report.objects.filter(pk=report.pk).update(status="rendering", started_at=started, attempts=1)

    with mock.patch.object(rendering, "render_pdf") as render:
        tasks.render_report.delay(report.pk)
    render.assert_not_called()
    report.refresh_from_db()
    assert (report.status, report.attempts, report.started_at) == ("rendering", 1, started)

    # A render that started longer ago than REPORT_STUCK_AFTER died with its worker.
    Report.objects.filter(pk=report.pk).update(started_at=timezone.now() - timedelta(minutes=5))
    tasks.render_report.delay(report.pk)
    report.refresh_from_db()
    assert report.status == "ready" and report.attempts == 2
