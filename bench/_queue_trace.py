"""Timestamps along a report's way through the queue, for `bench/reports.py --queue --trace`.

The worker is started with `celery -A bench._queue_trace worker ...`: the project's own
Celery app (config.celery, every setting unchanged) with signal receivers and wrappers that
note, per report, when each step began and ended. The sending side (the bench process)
calls `install()` too. Every note is one line `<report id> <event> <unix time>` appended to
the file named by QUEUE_TRACE_FILE (one write per line: processes do not interleave);
clocks are the machine's one wall clock. When a task has finished (its transaction
committed) its report id is pushed to the Redis list QUEUE_TRACE_DONE, so the bench waits
for "ready" on an event (BLPOP) rather than by polling the database; the figures
themselves come from the row's timestamps and these notes, never from the wait.
"""

import os
import time

from config.celery import app  # noqa: F401 - the app the worker runs

_installed = False


def note(report_id, event: str, at: float | None = None) -> None:
    path = os.environ.get("QUEUE_TRACE_FILE")
    if not path or report_id is None:
        return
    line = f"{report_id} {event} {at if at is not None else time.time():.6f}\n".encode()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


_current: dict[str, object] = {}


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    from celery.signals import (
        after_task_publish,
        before_task_publish,
        task_postrun,
        task_prerun,
        task_received,
    )
    from django.db.backends.base import base as db_base

    from reporting import rendering, services

    def report_of(args) -> object:
        return args[0] if args else None

    @before_task_publish.connect(weak=False)
    def _before_publish(sender=None, body=None, headers=None, **kwargs):
        if sender == "reporting.tasks.render_report" and isinstance(body, tuple):
            note(report_of(body[0]), "publish")

    @after_task_publish.connect(weak=False)
    def _after_publish(sender=None, body=None, **kwargs):
        if sender == "reporting.tasks.render_report" and isinstance(body, tuple):
            note(report_of(body[0]), "published")

    @task_received.connect(weak=False)
    def _received(sender=None, request=None, **kwargs):
        if request is not None and request.name == "reporting.tasks.render_report":
            note(report_of(request.args), "received")

    @task_prerun.connect(weak=False)
    def _prerun(sender=None, args=None, **kwargs):
        if sender is not None and sender.name == "reporting.tasks.render_report":
            _current["report"] = report_of(args)
            note(_current["report"], "prerun")

    @task_postrun.connect(weak=False)
    def _postrun(sender=None, args=None, **kwargs):
        if sender is not None and sender.name == "reporting.tasks.render_report":
            report_id = report_of(args)
            note(report_id, "postrun")
            _current.pop("report", None)
            done = os.environ.get("QUEUE_TRACE_DONE")
            if done:
                with app.connection_for_write() as conn:
                    conn.default_channel.client.rpush(done, str(report_id))

    real_connect = db_base.BaseDatabaseWrapper.connect

    def connect(self, *args, **kwargs):
        started = time.time()
        try:
            return real_connect(self, *args, **kwargs)
        finally:
            note(_current.get("report"), "db_connect", started)
            note(_current.get("report"), "db_connected")

    db_base.BaseDatabaseWrapper.connect = connect  # type: ignore[method-assign]

    real_enqueue = services.enqueue

    def enqueue(report_id):
        note(report_id, "enqueue")
        return real_enqueue(report_id)

    services.enqueue = enqueue

    real_render_pdf = rendering.render_pdf

    def render_pdf(*args, **kwargs):
        report_id = _current.get("report")
        note(report_id, "render")
        try:
            return real_render_pdf(*args, **kwargs)
        finally:
            note(report_id, "rendered")

    rendering.render_pdf = render_pdf

    real_store = services.store

    def store(report_id, pdf):
        note(report_id, "store")
        try:
            return real_store(report_id, pdf)
        finally:
            note(report_id, "stored")

    services.store = store


if os.environ.get("QUEUE_TRACE_FILE") or os.environ.get("QUEUE_TRACE_DONE"):
    import django

    django.setup()
    install()
