"""A worker process keeps its database connection between tasks (config/celery.py), and still
drops one that is too old or no longer answers before the next task."""

import time

import pytest
from celery.fixups.django import DjangoWorkerFixup
from django.db import connection

from config.celery import app, keep_database_connections, recycle_database_connections
from reporting.tasks import render_report

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker_connection(monkeypatch):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("an in-memory SQLite database is never closed (and no worker can see it)")
    # What the worker's init does, on this connection's settings only (restored after).
    for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        monkeypatch.setitem(connection.settings_dict, key, connection.settings_dict[key])
    monkeypatch.delenv("DB_CONN_MAX_AGE", raising=False)
    keep_database_connections()
    connection.close()
    connection.ensure_connection()
    yield connection
    connection.close()


def run_task_signals(fixup: DjangoWorkerFixup) -> None:
    """What Celery does around a task in a worker: our receiver, then its Django fixup's."""
    recycle_database_connections(sender=render_report)
    fixup.on_task_prerun(sender=render_report)
    with connection.cursor() as cursor:  # the task reads
        cursor.execute("SELECT 1")
    fixup.on_task_postrun(sender=render_report)


def test_the_connection_is_kept_from_one_task_to_the_next(worker_connection):
    fixup = DjangoWorkerFixup(app)
    raw = worker_connection.connection
    for _ in range(3):
        run_task_signals(fixup)
        assert worker_connection.connection is raw, "the task reconnected"


def test_a_connection_older_than_its_max_age_is_replaced_before_a_task(worker_connection):
    fixup = DjangoWorkerFixup(app)
    raw = worker_connection.connection
    worker_connection.close_at = time.monotonic() - 1
    run_task_signals(fixup)
    assert worker_connection.connection is not None
    assert worker_connection.connection is not raw


def test_a_connection_that_no_longer_answers_is_replaced_before_a_task(worker_connection):
    fixup = DjangoWorkerFixup(app)
    raw = worker_connection.connection
    raw.close()  # the database went away under it (a restart)
    run_task_signals(fixup)  # the health check finds it dead: no error
    assert worker_connection.connection is not raw
