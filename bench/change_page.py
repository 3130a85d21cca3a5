"""Incident change page benchmark (run by hand): .venv/bin/python bench/change_page.py

Server time of the admin's change page of the founding case (every tab filled: 10
milestones, an engagement with findings, evidence with custody, actions, obligations,
reports) through Django's whole stack (middleware, sessions, templates; the test client,
no network) for the committee member, on PostgreSQL at BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/taisaku_bench_change, created afresh; `--reuse` keeps it),
with 10,000 incidents, 200,000 milestones, 50,000 actions and 30,000 obligations of which
the committee member is a member (the selects and searchable selects that could grow with
them). Prints p50, p95 and the query count. Target: p50 at most 150 ms.

The page opens on its first tab (each tab is its own address, ?tab=...); `--tabs` also times
every tab's page, so the heaviest one is known too.
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._environment import configure, recreate_databases  # noqa: E402

DATABASE_URL = configure("postgres://postgres@127.0.0.1:5432/taisaku_bench_change")
recreate_databases(
    DATABASE_URL, [urlparse(DATABASE_URL).path.lstrip("/")], reuse="--reuse" in sys.argv
)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from incidents import founding_case  # noqa: E402
from incidents.models import Incident, Milestone, Organization  # noqa: E402
from tests.dashboard.factories import populate  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
TABS = ["case", "facts", "timeline", "investigation", "evidence", "actions", "clocks", "reports"]
TABS += ["scope"]
COUNT = int(os.environ.get("BENCH_INCIDENTS", "10000"))
SHAPE = {"milestones": 20, "actions": 5, "obligations": 3}


def prepare() -> Incident:
    call_command("migrate", verbosity=0)
    founding = founding_case.load()
    if Incident.objects.count() < COUNT:
        committee = get_user_model().objects.get(username="committee")
        organization = Organization.objects.create(name_ja="ベンチ株式会社", code="BENCH")
        started = time.perf_counter()
        for start in range(0, COUNT - 1, 2000):
            populate(
                min(2000, COUNT - 1 - start),
                organization=organization,
                start=start,
                members=[committee],
                **SHAPE,
            )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(
            f"populated in {time.perf_counter() - started:.0f} s: "
            f"{Incident.objects.count()} incidents, {Milestone.objects.count()} milestones",
            flush=True,
        )
    return founding


def p50(client, path: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    founding = prepare()
    client = Client()
    client.force_login(get_user_model().objects.get(username="committee"))
    client.cookies["django_language"] = "ja"
    path = f"/admin/incidents/incident/{founding.pk}/change/"
    for _ in range(3):  # warm
        response = client.get(path)
        assert response.status_code == 200, response.status_code
    if "--tabs" in sys.argv:
        for tab in TABS:
            size = len(client.get(f"{path}?tab={tab}").content) / 1024
            print(
                f"  ?tab={tab}: p50 {p50(client, f'{path}?tab={tab}', REPEAT // 2):.0f} ms, "
                f"{size:.0f} KiB",
                flush=True,
            )
    captured = []

    def record(execute, sql, params, many, context):
        captured.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(path)
    size = len(response.content)
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    count = Incident.objects.count()
    print(
        f"change page at {count} incidents: p50 {statistics.median(times):.0f} ms, "
        f"p95 {p95:.0f} ms, {len(captured)} queries, {size / 1024:.0f} KiB "
        f"({REPEAT} requests; shared 2-core machine: figures vary with its load)"
    )
    if "--queries" in sys.argv:
        for sql in captured:
            print(sql[:160])


if __name__ == "__main__":
    main()
