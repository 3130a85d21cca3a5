"""API benchmark (run by hand): PostgreSQL, gunicorn, load from wrk in a second process.

    DEBUG=1 .venv/bin/python bench/api.py [--incidents 10000] [--milestones 200000] [--seconds 10]
                                          [--deep-only]

Builds (once) a database `taisaku_bench` with that many incidents and milestones, serves it
with gunicorn on 127.0.0.1:8765 and measures, for each endpoint, median and p95 latency and
requests per second with wrk (apt-get install wrk), as a committee member who is on every
incident (the need-to-know join is part of the cost). The trivial authenticated
/api/v1/ping/ is the baseline: the ratio says what our queries and serializers cost.
Report requests go to a Redis broker with no worker, so only the request is measured.

Deep pages: the first and the last page of the incident list and of one incident's
milestones, requested turn about (one request each, repeated) so a shared machine's load
weighs on both alike; prints p50 of each and deep / first (target <= 1.5). Needs no wrk.
The database is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/taisaku_bench).
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/taisaku_bench")
DB_NAME = DB_URL.rsplit("/", 1)[1]
PORT = int(os.environ.get("BENCH_PORT", "8765"))
ENV = {
    "DATABASE_URL": DB_URL,
    "REDIS_URL": "redis://127.0.0.1:6379/9",
    "SECRET_KEY": "bench-" + "k" * 50,
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "DB_CONN_MAX_AGE": "60",
    "API_THROTTLE_USER": "100000000/min",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_SSL_REDIRECT": "0",
    "LOG_LEVEL": "WARNING",
}
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %f %d %d\\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.requests / (summary.duration / 1e6),
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.timeout))
end
"""
POST_LUA = """
wrk.method = "POST"
wrk.body = '{"incident": %d, "kind": "ppc-final", "language": "en", "allow_gaps": true}'
wrk.headers["Content-Type"] = "application/json"
"""


def setup_django():
    os.environ.update(ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database():
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname=%s", [DB_NAME]).fetchone()
        if not exists:
            c.execute(f'CREATE DATABASE "{DB_NAME}"')


def populate(n_incidents: int, n_milestones: int) -> tuple[str, int]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from knox.models import AuthToken

    from incidents.models import Incident, Milestone, Organization
    from incidents.roles import ensure_roles

    call_command("migrate", verbosity=0)
    groups = ensure_roles()
    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_staff": True})
    user.groups.set([groups["committee"]])
    org, _ = Organization.objects.get_or_create(name_ja="ベンチ株式会社")
    have = Incident.objects.filter(organization=org).count()
    if have < n_incidents:
        print(f"creating {n_incidents - have} incidents …", flush=True)
        base = datetime(2020, 1, 1, tzinfo=UTC)
        rows = [
            Incident(
                organization=org,
                reference=f"{org.code}-B-{i:06d}",
                title=f"Incident {i}",
                category="malware",
                severity=random.choice(["low", "medium", "high", "critical"]),
                aware_at=base + timedelta(hours=i),
            )
            for i in range(have, n_incidents)
        ]
        Incident.objects.bulk_create(rows, batch_size=2000)
        through = Incident.members.through
        ids = Incident.objects.filter(organization=org).values_list("pk", flat=True)
        through.objects.bulk_create(
            [through(incident_id=pk, user_id=user.pk) for pk in ids],
            batch_size=5000,
            ignore_conflicts=True,
        )
    incident_ids = list(Incident.objects.filter(organization=org).values_list("pk", flat=True))
    have = Milestone.objects.filter(incident__organization=org).count()
    if have < n_milestones:
        print(f"creating {n_milestones - have} milestones …", flush=True)
        base = datetime(2020, 1, 1, tzinfo=UTC)
        batch = []
        for i in range(have, n_milestones):
            batch.append(
                Milestone(
                    incident_id=incident_ids[i % len(incident_ids)],
                    occurred_at=base + timedelta(minutes=i),
                    kind="other",
                    title=f"Milestone {i}",
                )
            )
            if len(batch) == 10000:
                Milestone.objects.bulk_create(batch)
                batch = []
        Milestone.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    AuthToken.objects.filter(user=user).delete()
    _, token = AuthToken.objects.create(user=user)
    return token, incident_ids[len(incident_ids) // 2]


def wait_for_server():
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/admin/login/", timeout=1)  # noqa: S310
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


def run_wrk(url: str, token: str, seconds: int, script: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script + LUA)
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            "-c4",
            f"-d{seconds}s",
            "-s",
            fh.name,
            "-H",
            f"Authorization: Token {token}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    p50, p95, rps, count, errors = line.split()[1:]
    return {
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "rps": float(rps),
        "requests": int(count),
        "errors": int(errors),
    }


def get_json(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


def deep_pages(base: str, token: str, incident_id: int, rounds: int) -> None:
    """First page against the last one, turn about."""
    import statistics

    lists = {
        "incident list": f"{base}/incidents/",
        "milestone list (all incidents)": f"{base}/milestones/",
    }
    print(f"\ndeep pages ({rounds} rounds, first and last page turn about; target <= 1.5):")
    for name, first in lists.items():
        page = get_json(first, token)
        pages = -(-page["count"] // max(1, len(page["results"])))
        if pages <= 1:
            print(f"  {name}: a single page")
            continue
        depth = pages - 1
        last = f"{first}{'&' if '?' in first else '?'}page={pages}"
        times: dict[str, list[float]] = {"first": [], "last": []}
        for _ in range(rounds):
            for key, target in (("first", first), ("last", last)):
                start = time.perf_counter()
                get_json(target, token)
                times[key].append(time.perf_counter() - start)
        p50 = {key: statistics.median(values) * 1000 for key, values in times.items()}
        print(
            f"  {name:28} first p50 {p50['first']:6.1f} ms, last (page {depth + 1}) p50 "
            f"{p50['last']:6.1f} ms: ratio {p50['last'] / p50['first']:.2f}"
        )
        if "milestone" in name:
            timeline_by_cursor(first, token, pages, rounds)


def timeline_by_cursor(first: str, token: str, pages: int, rounds: int) -> None:
    """The same timeline walked by cursor (?cursor=): its last page is the one whose cursor
    the page before it hands out (the position of its last row), built here from that row
    rather than by following 4,000 next links."""
    import base64
    import statistics
    from urllib.parse import quote, urlencode

    before_last = get_json(f"{first}?page={pages - 1}", token)["results"][-1]["occurred_at"]
    cursor = base64.b64encode(urlencode({"p": before_last}).encode()).decode()
    urls = {"first": f"{first}?cursor=", "last": f"{first}?cursor={quote(cursor)}"}
    assert get_json(urls["last"], token)["next"] is None, "the crafted cursor is not the last page"
    times: dict[str, list[float]] = {"first": [], "last": []}
    for _ in range(rounds):
        for key, target in urls.items():
            start = time.perf_counter()
            get_json(target, token)
            times[key].append(time.perf_counter() - start)
    p50 = {key: statistics.median(values) * 1000 for key, values in times.items()}
    print(
        f"  {'  … by cursor':28} first p50 {p50['first']:6.1f} ms, last p50 "
        f"{p50['last']:6.1f} ms: ratio {p50['last'] / p50['first']:.2f}"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--milestones", type=int, default=200_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--deep-only", action="store_true", help="only the deep-page ratios")
    args = parser.parse_args()
    if shutil.which("wrk") is None and not args.deep_only:
        raise SystemExit("wrk is not installed: apt-get install wrk (or use --deep-only)")
    ensure_database()
    setup_django()
    token, incident_id = populate(args.incidents, args.milestones)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **ENV},
        start_new_session=True,
    )
    try:
        wait_for_server()
        base = f"http://127.0.0.1:{PORT}/api/v1"
        deep_pages(base, token, incident_id, args.rounds)
        if args.deep_only:
            return
        cases = {
            "ping (baseline)": (f"{base}/ping/", ""),
            "incident list": (f"{base}/incidents/", ""),
            "one incident's milestones": (f"{base}/milestones/?incident={incident_id}", ""),
            "report request": (f"{base}/reports/", POST_LUA % incident_id),
        }
        results = {}
        for name, (url, script) in cases.items():
            run_wrk(url, token, 2, script)  # warm up
            results[name] = run_wrk(url, token, args.seconds, script)
        baseline = results["ping (baseline)"]["p50_ms"]
        print(
            f"\n{args.incidents} incidents, {args.milestones} milestones; "
            f"gunicorn -w {args.workers}; "
            f"wrk -t1 -c4 -d{args.seconds}s"
        )
        print(
            f"{'endpoint':28} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'x ping':>7} {'errors':>6}"
        )
        for name, r in results.items():
            print(
                f"{name:28} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['rps']:8.0f} "
                f"{r['p50_ms'] / baseline:7.1f} {r['errors']:6d}"
            )
        print(json.dumps(results))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
        from reporting.models import Report

        Report.objects.filter(incident__organization__name_ja="ベンチ株式会社").delete()


if __name__ == "__main__":
    main()
