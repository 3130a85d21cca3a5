"""Drill (run by hand): request 100 reports, SIGKILL the worker mid-run, start it again.

    .venv/bin/python bench/drill_worker_kill.py [--reports 100] [--database-url URL]

Needs Redis at 127.0.0.1:6379. The database is PostgreSQL (taisaku_drill, created and
dropped) when reachable, else a SQLite file. Expected: every report ends ready with
exactly one file, none failed. The restarted worker runs beat, whose sweeper re-sends
what the killed worker held.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pick_database(explicit: str | None, work: Path) -> str:
    if explicit:
        return explicit
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute("DROP DATABASE IF EXISTS taisaku_drill")
            c.execute("CREATE DATABASE taisaku_drill")
        return "postgres://postgres@127.0.0.1:5432/taisaku_drill"
    except Exception as exc:
        print(f"PostgreSQL not available ({exc}); using SQLite")
        return f"sqlite:///{work / 'drill.sqlite3'}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--database-url")
    parser.add_argument("--kill-after", type=int, default=20, help="kill when this many are ready")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="taisaku-drill-"))
    queue = f"taisaku-drill-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": pick_database(args.database_url, work),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "MEDIA_ROOT": str(work / "media"),
        "REPORT_QUEUE": queue,
        "REPORT_STUCK_AFTER": "15",
        "REPORT_SWEEP_INTERVAL": "5",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from incidents import founding_case
    from reporting import services
    from reporting.models import Report

    sqlite = env["DATABASE_URL"].startswith("sqlite")
    pool = ["--pool", "solo"] if sqlite else ["--concurrency", "4"]

    def start_worker(beat: bool) -> subprocess.Popen:
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "--loglevel",
            "WARNING",
            "--without-mingle",
            "--without-gossip",
            *pool,
        ]
        if beat:
            command += ["--beat", "--schedule", str(work / "beat-schedule")]
        return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)

    incident = founding_case.load(with_users=False)
    kinds = ["ppc-final", "public-final", "ppc-preliminary", "public-notice"]
    started = time.monotonic()
    ids = [
        services.request_report(incident, kinds[i % 4], ("ja", "en")[i // 4 % 2], None).pk
        for i in range(args.reports)
    ]
    print(f"requested {len(ids)} reports on queue {queue}; database {env['DATABASE_URL']}")

    worker = start_worker(beat=False)
    while Report.objects.filter(pk__in=ids, status="ready").count() < args.kill_after:
        time.sleep(0.2)
    rendering = list(
        Report.objects.filter(pk__in=ids, status="rendering").values_list("pk", flat=True)
    )
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    ready = Report.objects.filter(pk__in=ids, status="ready").count()
    print(f"SIGKILL worker (whole process group) with {ready} ready, rendering: {rendering}")

    worker = start_worker(beat=True)
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            pending = Report.objects.filter(pk__in=ids, status__in=["queued", "rendering"]).count()
            if pending == 0:
                break
            time.sleep(1)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)

    statuses = dict(Report.objects.filter(pk__in=ids).values_list("pk", "status"))
    failed = [pk for pk, status in statuses.items() if status != "ready"]
    folder = Path(env["MEDIA_ROOT"]) / "reports" / str(incident.pk)
    files = sorted(p.name for p in folder.iterdir())
    expected = sorted(Path(r.storage_name).name for r in Report.objects.filter(pk__in=ids))
    attempts = sorted(Report.objects.filter(pk__in=ids).values_list("attempts", flat=True))
    print(
        f"done in {time.monotonic() - started:.1f} s: {len(statuses) - len(failed)} ready, "
        f"{len(failed)} not ready {failed}; {len(files)} files for {len(ids)} reports; "
        f"attempts max {attempts[-1]}, reports rendered twice: {sum(a > 1 for a in attempts)}"
    )
    ok = not failed and files == expected
    print("DRILL PASSED" if ok else "DRILL FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
