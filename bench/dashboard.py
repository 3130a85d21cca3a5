"""Dashboard benchmark (run by hand): .venv/bin/python bench/dashboard.py

Server time of /dashboard/ and /incidents/<reference>/ through Django's whole stack
(middleware, sessions, templates; the test client, no network), on PostgreSQL at
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/taisaku_bench, dropped
and created afresh). First with 100 incidents, then with 10,000 incidents, 200,000
milestones, 50,000 actions and 30,000 obligations. Prints median and p95 of each page
for an executive who is a member of every incident and for the auditor (sees all), the
query count, and p50 at 10,000 over p50 at 100 (target: at most 3).
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/taisaku_bench"
)
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "testserver",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "DATABASE_URL": DATABASE_URL,
        "LOG_LEVEL": "WARNING",
    }
)
os.environ.pop("REDIS_URL", None)

import psycopg  # noqa: E402

url = urlparse(DATABASE_URL)
dbname = url.path.lstrip("/")
with psycopg.connect(
    host=url.hostname, port=url.port or 5432, user=url.username, dbname="postgres", autocommit=True
) as admin:
    admin.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
    admin.execute(f'CREATE DATABASE "{dbname}"')

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

call_command("migrate", verbosity=0)

from django.contrib.auth import get_user_model  # noqa: E402

from incidents import founding_case  # noqa: E402
from incidents.models import Incident, Organization  # noqa: E402
from tests.dashboard.factories import populate  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
LARGE = int(os.environ.get("BENCH_INCIDENTS", "10000"))


def measure(client, path):
    client.get(path)  # warm
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times) * 1000, p95 * 1000, len(captured)


def run(label, clients, status_path):
    results = {}
    for who, client in clients.items():
        for page, path in [("dashboard", "/dashboard/"), ("status", status_path)]:
            p50, p95, queries = measure(client, path)
            results[who, page] = p50
            print(
                f"{label:>16} {who:>9} {page:>9}: p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
                f"{queries} queries",
                flush=True,
            )
    return results


def main():
    founding_case.load()
    User = get_user_model()
    executive, auditor = (
        User.objects.get(username="executive"),
        User.objects.get(username="auditor"),
    )
    clients = {}
    for user in [executive, auditor]:
        client = Client()
        client.force_login(user)
        clients[user.username] = client
    organization = Organization.objects.create(name_ja="ベンチ株式会社")
    shape = {"members": [executive], "milestones": 20, "actions": 5, "obligations": 3}

    ids = populate(99, organization=organization, **shape)
    target = Incident.objects.get(pk=ids[0])
    status_path = f"/incidents/{target.reference}/?org={organization.pk}"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have by then
    small = run(f"{Incident.objects.count()} incidents", clients, status_path)

    started = time.perf_counter()
    for start in range(100, LARGE, 2000):
        populate(min(2000, LARGE - start), organization=organization, start=start, **shape)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would have by then
    from incidents.models import Action, Milestone, Obligation

    print(
        f"populated in {time.perf_counter() - started:.0f} s: {Incident.objects.count()} "
        f"incidents, {Milestone.objects.count()} milestones, {Action.objects.count()} actions, "
        f"{Obligation.objects.count()} obligations",
        flush=True,
    )
    large = run(f"{Incident.objects.count()} incidents", clients, status_path)
    print("p50 ratio, large over small (target <= 3):")
    for key in small:
        print(f"  {key[0]:>9} {key[1]:>9}: {large[key] / small[key]:.2f}")


if __name__ == "__main__":
    main()
