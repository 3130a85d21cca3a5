"""Dashboard benchmark (run by hand): .venv/bin/python bench/dashboard.py

Server time of /dashboard/ and /incidents/<reference>/ through Django's whole stack
(middleware, sessions, templates; the test client, no network), on PostgreSQL at
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/taisaku_bench): two
databases, <name>_small with 100 incidents and <name>_large with 10,000 incidents,
200,000 milestones, 50,000 actions and 30,000 obligations (created afresh; `--reuse` keeps
them from a previous run). The two are measured turn about, request by request (the
connection switches database between requests), so the load of a shared machine weighs on
both alike. Prints median and p95 of each page for an executive who is a member of every
incident and for the auditor (sees all), the query count, and p50 at 10,000 over p50 at
100 (target: at most 2).
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

DATABASE_URL = configure("postgres://postgres@127.0.0.1:5432/taisaku_bench")
BASE = urlparse(DATABASE_URL).path.lstrip("/")
NAMES = {"small": f"{BASE}_small", "large": f"{BASE}_large"}
os.environ["DATABASE_URL"] = DATABASE_URL.rsplit("/", 1)[0] + "/" + NAMES["small"]
recreate_databases(DATABASE_URL, list(NAMES.values()), reuse="--reuse" in sys.argv)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from incidents import founding_case  # noqa: E402
from incidents.models import Action, Incident, Milestone, Obligation, Organization  # noqa: E402
from tests.dashboard.factories import populate  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
LARGE = int(os.environ.get("BENCH_INCIDENTS", "10000"))
SHAPE = {"milestones": 20, "actions": 5, "obligations": 3}


def use(name: str) -> None:
    """Point the default connection at one of the two databases (between requests)."""
    connection.close()
    connection.settings_dict["NAME"] = NAMES[name]


def prepare(name: str, count: int) -> str:
    """Migrate and fill one database (unless reused); the status page's path."""
    use(name)
    call_command("migrate", verbosity=0)
    organization = Organization.objects.filter(name_ja="ベンチ株式会社").first()
    if organization is None or Incident.objects.count() < count:
        founding_case.load()
        executive = get_user_model().objects.get(username="executive")
        organization = Organization.objects.create(name_ja="ベンチ株式会社")
        started = time.perf_counter()
        for start in range(0, count - 1, 2000):
            populate(
                min(2000, count - 1 - start),
                organization=organization,
                start=start,
                members=[executive],
                **SHAPE,
            )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have by then
        print(
            f"{name}: populated in {time.perf_counter() - started:.0f} s: "
            f"{Incident.objects.count()} incidents, {Milestone.objects.count()} milestones, "
            f"{Action.objects.count()} actions, {Obligation.objects.count()} obligations",
            flush=True,
        )
    target = Incident.objects.filter(organization=organization).earliest("pk")
    return f"/incidents/{target.reference}/?org={organization.pk}"


def percentile(times, q):
    times = sorted(times)
    return times[min(len(times) - 1, round(q * (len(times) - 1)))]


from django.contrib.auth import get_user_model  # noqa: E402


def main():
    paths = {"small": prepare("small", 100), "large": prepare("large", LARGE)}
    clients = {}
    for name in NAMES:
        use(name)
        for username in ["executive", "auditor"]:
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            clients[name, username] = client
    results = {}
    for username in ["executive", "auditor"]:
        for page in ["dashboard", "status"]:
            times = {"small": [], "large": []}
            queries = {}
            for name in NAMES:  # warm
                use(name)
                client = clients[name, username]
                path = "/dashboard/" if page == "dashboard" else paths[name]
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(path).status_code == 200
                queries[name] = len(captured)
            for _ in range(REPEAT):
                for name in NAMES:
                    use(name)
                    client = clients[name, username]
                    path = "/dashboard/" if page == "dashboard" else paths[name]
                    start = time.perf_counter()
                    response = client.get(path)
                    times[name].append(time.perf_counter() - start)
                    assert response.status_code == 200, (path, response.status_code)
            for name in NAMES:
                p50 = statistics.median(times[name]) * 1000
                p95 = percentile(times[name], 0.95) * 1000
                results[name, username, page] = p50
                print(
                    f"{name:>6} {username:>9} {page:>9}: p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  "
                    f"{queries[name]} queries",
                    flush=True,
                )
    print("p50 ratio, 10,000 over 100 incidents, measured turn about (target <= 2):")
    for username in ["executive", "auditor"]:
        for page in ["dashboard", "status"]:
            ratio = results["large", username, page] / results["small", username, page]
            print(f"  {username:>9} {page:>9}: {ratio:.2f}")


if __name__ == "__main__":
    main()
