"""Drill (run by hand): request reports, then SIGKILL the worker and the broker mid-run.

    .venv/bin/python bench/drill_worker_kill.py [--reports 100] [--database-url URL]

Starts everything it kills itself: a redis-server of its own on a free port (never the
shared one), a Celery worker with the default pool settings (prefork, prefetch 1, late
acks) and beat as its own process, as docker-compose runs them. The database is
PostgreSQL (a throw-away database, created and dropped) when reachable, else SQLite.

When `--kill-after` reports are ready, the worker's whole process group and the broker are
killed with SIGKILL (the broker loses every queued message: no persistence); the broker
comes back after `--outage` seconds, then the worker. Beat keeps running and must find its
way back on its own. Prints:
  lost        reports not ready at the end (expected 0)
  duplicate   reports rendered again although no render of theirs was cut short, and files
              beyond one per report (expected 0)
  recovery    seconds from the broker's return until every lost report was re-sent, and
              until all were ready (target: re-sent within 90 s)
  fonts       the size of the workers' font folders before, during and after (expected: back
              to its size before, nothing left by the killed worker)
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pick_database(explicit: str | None, work: Path, name: str) -> str:
    if explicit:
        return explicit
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')
            c.execute(f'CREATE DATABASE "{name}"')
        return f"postgres://postgres@127.0.0.1:5432/{name}"
    except Exception as exc:
        print(f"PostgreSQL not available ({exc}); using SQLite")
        return f"sqlite:///{work / 'drill.sqlite3'}"


def drop_database(url: str, name: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}"')


def folder_size(folder: Path) -> int:
    if not folder.exists():
        return 0
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def start_redis(port: int, work: Path) -> subprocess.Popen:
    redis = subprocess.Popen(  # noqa: S603
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(work),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return redis
        except OSError:
            time.sleep(0.1)
    raise SystemExit("redis-server did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--database-url")
    parser.add_argument("--kill-after", type=int, default=20, help="kill when this many are ready")
    parser.add_argument("--outage", type=float, default=10, help="seconds the broker stays down")
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="taisaku-drill-"))
    fonts = work / "fonts"
    port = free_port()
    db_name = f"taisaku_drill_{os.getpid()}"
    queue = f"taisaku-drill-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": pick_database(args.database_url, work, db_name),
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "MEDIA_ROOT": str(work / "media"),
        "REPORT_QUEUE": queue,
        "REPORT_FONT_CACHE_DIR": str(fonts),
        # Renders cut short by the kill are taken up again after this (default: 360 s).
        "REPORT_STUCK_AFTER": "15",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CELERY_BROKER_KEY_PREFIX", None)
    os.environ.update(env)
    redis = start_redis(port, work)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from incidents import founding_case
    from reporting import services
    from reporting.models import Report

    sqlite = env["DATABASE_URL"].startswith("sqlite")
    pool = ["--pool", "solo"] if sqlite else ["--concurrency", str(args.concurrency)]

    def celery(*command: str) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "config", *command, "--loglevel", "WARNING"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )

    def start_worker() -> subprocess.Popen:
        return celery("worker", "-Q", queue, "--without-mingle", "--without-gossip", *pool)

    incident = founding_case.load(with_users=False)
    kinds = ["ppc-final", "public-final", "ppc-preliminary", "public-notice"]
    fonts_before = folder_size(fonts)
    started = time.monotonic()
    ids = [
        services.request_report(
            incident, kinds[i % 4], ("ja", "en")[i // 4 % 2], None, allow_gaps=True
        ).pk
        for i in range(args.reports)
    ]
    print(
        f"requested {len(ids)} reports on queue {queue}; broker redis://127.0.0.1:{port} "
        f"(started by the drill); database {env['DATABASE_URL']}; sweep every "
        f"{settings.REPORT_SWEEP_INTERVAL} s, lost messages re-sent after "
        f"{settings.REPORT_RESEND_AFTER} s",
        flush=True,
    )
    beat = celery("beat", "--schedule", str(work / "beat-schedule"))
    worker = start_worker()
    processes = [beat, worker]
    try:
        while Report.objects.filter(pk__in=ids, status="ready").count() < args.kill_after:
            time.sleep(0.2)
        fonts_during = folder_size(fonts)
        cut_short = set(
            Report.objects.filter(pk__in=ids, status="rendering").values_list("pk", flat=True)
        )
        os.killpg(worker.pid, signal.SIGKILL)
        os.killpg(redis.pid, signal.SIGKILL)
        worker.wait()
        redis.wait()
        killed_at = datetime.now(UTC)
        ready = Report.objects.filter(pk__in=ids, status="ready").count()
        lost = set(ids) - set(
            Report.objects.filter(pk__in=ids, status="ready").values_list("pk", flat=True)
        )
        print(
            f"SIGKILL worker (process group) and broker with {ready} ready, "
            f"rendering {sorted(cut_short)}; {len(lost)} reports' messages lost with the broker",
            flush=True,
        )
        time.sleep(args.outage)
        redis = start_redis(port, work)
        back = datetime.now(UTC)
        back_monotonic = time.monotonic()
        print(f"broker back after {(back - killed_at).total_seconds():.1f} s", flush=True)
        worker = start_worker()
        processes = [beat, worker]

        resent_after = all_ready_after = None
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            if resent_after is None:
                waiting = (
                    Report.objects.filter(pk__in=lost, status="queued")
                    .filter(enqueued_at__lt=back)
                    .count()
                )
                if waiting == 0:
                    resent_after = time.monotonic() - back_monotonic
            pending = Report.objects.filter(pk__in=ids, status__in=["queued", "rendering"])
            if not pending.exists():
                all_ready_after = time.monotonic() - back_monotonic
                if resent_after is None:
                    resent_after = all_ready_after
                break
            time.sleep(0.5)
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if redis.poll() is None:
            os.killpg(redis.pid, signal.SIGTERM)
            redis.wait(timeout=10)
    fonts_after = folder_size(fonts)

    statuses = dict(Report.objects.filter(pk__in=ids).values_list("pk", "status"))
    not_ready = sorted(pk for pk, status in statuses.items() if status != "ready")
    folder = Path(env["MEDIA_ROOT"]) / "reports" / str(incident.pk)
    files = sorted(p.name for p in folder.iterdir())
    expected = sorted(Path(r.storage_name).name for r in Report.objects.filter(pk__in=ids))
    twice = sorted(
        pk
        for pk, attempts in Report.objects.filter(pk__in=ids).values_list("pk", "attempts")
        if attempts > 1 and pk not in cut_short
    )
    duplicates = len(twice) + max(0, len(files) - len(set(expected)))
    print(f"done in {time.monotonic() - started:.1f} s")
    print(f"  lost:      {len(not_ready)} {not_ready}")
    print(
        f"  duplicate: {duplicates} (rendered twice without a cut-short render: {twice}; "
        f"{len(files)} files for {len(ids)} reports)"
    )
    print(
        f"  recovery:  lost reports re-sent {resent_after:.1f} s after the broker came back, "
        f"all ready after {all_ready_after:.1f} s (target: re-sent within 90 s)"
        if resent_after is not None and all_ready_after is not None
        else "  recovery:  NOT within 600 s"
    )
    print(
        f"  fonts:     {fonts_before} bytes before, {fonts_during} during, {fonts_after} after "
        f"the workers stopped (folders left: {[p.name for p in fonts.glob('*')]})"
    )
    ok = (
        not not_ready
        and files == expected
        and duplicates == 0
        and resent_after is not None
        and resent_after <= 90
        and fonts_after == fonts_before
    )
    drop_database(env["DATABASE_URL"], db_name)
    shutil.rmtree(work, ignore_errors=True)
    print("DRILL PASSED" if ok else "DRILL FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
