"""GET /health/ and `manage.py health`: what an operator's monitor (and docker-compose) reads."""

import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from incidents import tasks as incident_tasks
from operations.models import Heartbeat
from reporting import services as report_services
from reporting import tasks as report_tasks
from reporting.models import Report


@pytest.fixture
def with_beat(settings):
    """As in production: a broker and beat (the broker here is Celery's in-memory one)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return settings


def get(client):
    response = client.get("/health/")
    return response, json.loads(response.content)


@pytest.mark.django_db
def test_without_a_broker_only_the_database_and_the_queue_are_watched(client):
    response, body = get(client)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["broker"]["mode"] == "in-process"
    assert body["checks"]["pending_reports"]["count"] == 0


@pytest.mark.django_db
def test_a_beat_that_never_ran_is_stale_then_fine_once_its_jobs_ran(client, with_beat):
    response, body = get(client)
    assert response.status_code == 503
    assert body["status"] == "stale"
    assert body["checks"]["sweep"]["ok"] is False
    assert body["checks"]["sweep"]["last_run"] is None
    assert body["checks"]["reminders"]["ok"] is False
    assert body["checks"]["broker"] == {"ok": True}

    report_tasks.sweep_stuck_reports()
    incident_tasks.send_deadline_reminders()

    response, body = get(client)
    assert response.status_code == 200, body
    assert body["checks"]["sweep"]["ok"] and body["checks"]["sweep"]["age_seconds"] <= 5
    assert body["checks"]["reminders"]["ok"]
    assert Heartbeat.objects.count() == 2


@pytest.mark.django_db
def test_a_dead_beat_is_noticed(client, with_beat):
    report_tasks.sweep_stuck_reports()
    incident_tasks.send_deadline_reminders()
    limit = with_beat.REPORT_SWEEP_INTERVAL * 3 + 30
    Heartbeat.objects.filter(job="reporting.sweep").update(
        at=timezone.now() - timedelta(seconds=limit + 5)
    )
    response, body = get(client)
    assert response.status_code == 503
    sweep = body["checks"]["sweep"]
    assert sweep["ok"] is False and sweep["age_seconds"] >= limit + 5
    assert sweep["max_age_seconds"] == limit
    assert body["checks"]["reminders"]["ok"] is True


@pytest.mark.django_db
def test_a_report_nobody_takes_care_of_is_stale_and_nothing_about_it_is_shown(
    client, founding, with_beat, settings
):
    report_tasks.sweep_stuck_reports()
    incident_tasks.send_deadline_reminders()
    # Requested, its message never sent (the test's transaction never commits): "lost".
    report = report_services.request_report(founding, "ppc-final", "ja", None, allow_gaps=True)
    response, body = get(client)
    assert response.status_code == 200
    assert body["checks"]["pending_reports"]["count"] == 1

    waited = settings.REPORT_STUCK_AFTER + settings.REPORT_SWEEP_INTERVAL * 3 + 10
    Report.objects.filter(pk=report.pk).update(
        enqueued_at=timezone.now() - timedelta(seconds=waited)
    )
    response, body = get(client)
    assert response.status_code == 503
    pending = body["checks"]["pending_reports"]
    assert pending == {
        "ok": False,
        "count": 1,
        "oldest_age_seconds": pending["oldest_age_seconds"],
        "max_age_seconds": settings.REPORT_STUCK_AFTER + settings.REPORT_SWEEP_INTERVAL * 3,
    }
    assert pending["oldest_age_seconds"] >= waited
    # Open to anyone, so it says nothing about the case.
    text = response.content.decode()
    for secret in [founding.reference, founding.title, "ppc-final"]:
        assert secret not in text


@pytest.mark.django_db
def test_an_unreachable_broker_is_stale_and_its_error_is_not_shown(
    client, with_beat, caplog, monkeypatch
):
    from kombu import Connection

    from config.celery import app

    down = "redis://user:s3cret@127.0.0.1:1/0"  # nothing listens on port 1
    monkeypatch.setattr(app, "connection_for_write", lambda **kw: Connection(down, **kw))
    response, body = get(client)
    assert response.status_code == 503
    assert body["checks"]["broker"] == {"ok": False, "error": "unreachable"}
    assert "s3cret" not in response.content.decode()
    assert any("broker unreachable" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_only_get_and_head(client):
    assert client.post("/health/").status_code == 405
    assert client.head("/health/").status_code == 200


@pytest.mark.django_db
def test_command_exit_code_follows_the_checks(with_beat, capsys):
    with pytest.raises(CommandError, match="stale: sweep, reminders"):
        call_command("health")
    assert json.loads(capsys.readouterr().out)["status"] == "stale"

    call_command("health", check=["database", "broker"])
    assert json.loads(capsys.readouterr().out)["status"] == "ok"

    report_tasks.sweep_stuck_reports()
    incident_tasks.send_deadline_reminders()
    call_command("health")
    assert json.loads(capsys.readouterr().out)["checks"]["sweep"]["ok"] is True


@pytest.mark.django_db
def test_a_stale_answer_is_a_warning_once_not_an_error_every_poll(
    client, with_beat, caplog, monkeypatch
):
    from operations import views

    monkeypatch.setattr(views, "_last_stale", frozenset())
    caplog.set_level("INFO")
    for _ in range(3):
        assert client.get("/health/").status_code == 503
    warnings = [r for r in caplog.records if r.name == "taisaku.health"]
    assert [(r.levelname, r.getMessage()) for r in warnings] == [
        ("WARNING", "Health: stale: reminders, sweep")
    ]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]

    caplog.clear()
    report_tasks.sweep_stuck_reports()
    incident_tasks.send_deadline_reminders()
    assert client.get("/health/").status_code == 200
    assert [r.getMessage() for r in caplog.records if r.name == "taisaku.health"] == [
        "Health: every check is ok again"
    ]
