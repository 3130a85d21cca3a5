"""End to end with a real Celery worker on Redis (TAISAKU_E2E_REDIS_URL, under a key prefix
of the test's own: see tests/conftest.py's e2e_broker).

The worker is a separate process, so it must see the test database: PostgreSQL, or
SQLite in a file (TEST_DATABASE_NAME=var/test-e2e.sqlite3).
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from config.celery import app as celery_app
from reporting import services
from reporting.models import Report
from reporting.tasks import render_report
from tests.conftest import subprocess_database_url

from .conftest import pdf_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_real_worker_renders_a_requested_report(
    founding, tmp_path, settings, monkeypatch, e2e_broker
):
    url = subprocess_database_url()
    if url is None:
        pytest.skip(
            "the test database is SQLite in memory, which a worker process cannot see: "
            "run with TEST_DATABASE_NAME=var/test-e2e.sqlite3 or DATABASE_URL=postgres://..."
        )
    queue = f"taisaku-e2e-{uuid.uuid4().hex[:8]}"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.REPORT_QUEUE = queue
    env = {
        **os.environ,
        "DATABASE_URL": url,
        **e2e_broker.env,
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "SECRET_KEY": "e2e",
        "REPORT_QUEUE": queue,
    }
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    conf = celery_app.conf
    saved = conf.task_always_eager
    conf.task_always_eager = False
    broker = celery_app.connection_for_write(
        e2e_broker.url, transport_options=e2e_broker.transport_options
    )

    def enqueue(report_id):  # the same task, sent explicitly to Redis (not the test's broker)
        render_report.apply_async((report_id,), queue=queue, connection=broker)

    monkeypatch.setattr(services, "enqueue", enqueue)
    try:
        report = services.request_report(  # autocommit
            founding,
            "public-final",
            "ja",
            None,
            document_date="2022-07-13",
            allow_gaps=True,
            allow_current_text=True,  # recorded later: its text as it reads now
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            report = Report.objects.get(pk=report.pk)
            if report.status in ("ready", "failed"):
                break
            assert worker.poll() is None, worker.stdout.read().decode()
            time.sleep(0.5)
        assert report.status == "ready", report.error or "timed out"
        text = "".join(pdf_text(Path(settings.MEDIA_ROOT, report.file.name).read_bytes()).split())
        assert "【お客様へのお願い】" in text and "令和4年7月13日現在" in text
    finally:
        conf.task_always_eager = saved
        broker.release()
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
