"""Scope benchmark (run by hand): .venv/bin/python bench/scope.py

Server time of the scope's lists and exports through Django's whole stack (the test client,
no network) on PostgreSQL at BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/taisaku_scope_bench, dropped and created afresh).
One incident first holds 100 indicators and 100 assets (3 checks each); then, through the
import services (CSV, all or nothing), 10,000 indicators and 1,000 assets. Prints the import
times, p50/p95 and query count of each request at both sizes, and p50 large over p50 small
(target: at most 3).
"""

import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._environment import configure, recreate_databases  # noqa: E402

DATABASE_URL = configure("postgres://postgres@127.0.0.1:5432/taisaku_scope_bench")
recreate_databases(DATABASE_URL, [urlparse(DATABASE_URL).path.lstrip("/")])

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

call_command("migrate", verbosity=0)

from django.contrib.auth import get_user_model  # noqa: E402

from incidents import founding_case  # noqa: E402
from scope import services  # noqa: E402
from scope.models import Asset, Check, Indicator  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
TYPES = ["ipv4", "domain", "url", "sha256", "md5", "email-sender", "filename", "ipv6"]


def value(kind: str, i: int) -> str:
    return {
        "ipv4": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
        "ipv6": f"2001:db8::{i:x}",
        "domain": f"host{i}.spoof.example",
        "url": f"hxxp://dl{i}.evil[.]example/invoice_{i}.doc",
        "sha256": f"{i:064x}",
        "md5": f"{i:032x}",
        "email-sender": f"Sender{i}@Spoof{i % 97}.example",
        "filename": f"請求書_{i}.doc",
    }[kind]


def indicators_csv(start: int, stop: int) -> str:
    tlps = ["clear", "green", "amber", "red"]
    lines = ["type,value,tlp,first_seen,last_seen"]
    for i in range(start, stop):
        kind = TYPES[i % len(TYPES)]
        lines.append(f"{kind},{value(kind, i)},{tlps[i % 4]},2022-02-03,2022-03-17")
    return "\n".join(lines) + "\n"


def assets_csv(start: int, stop: int) -> str:
    lines = ["kind,name,owner,role"]
    for i in range(start, stop):
        lines.append(f"{'host' if i % 10 else 'server'},PC-{i:05d},部署{i % 20},suspected")
    return "\n".join(lines) + "\n"


def add_checks(incident, since_id: int) -> None:
    base = datetime(2022, 3, 15, tzinfo=UTC)
    Check.objects.bulk_create(
        Check(
            asset_id=pk,
            tool="EmoCheck",
            result="infected" if pk % 150 == 0 and n == 2 else "clean",
            checked_at=base + timedelta(days=n, minutes=pk % 600),
        )
        for pk in Asset.objects.filter(incident=incident, pk__gt=since_id).values_list(
            "pk", flat=True
        )
        for n in range(3)
    )


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


def run(label, client, paths):
    results = {}
    for name, path in paths.items():
        p50, p95, queries = measure(client, path)
        results[name] = p50
        print(
            f"{label:>26} {name:>16}: p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  {queries} queries",
            flush=True,
        )
    return results


def main():
    incident = founding_case.load()
    User = get_user_model()
    committee = User.objects.get(username="committee")
    client = Client()
    client.force_login(committee)
    pk = incident.pk
    paths = {
        "indicators list": f"/api/v1/indicators/?incident={pk}",
        "indicators p.2": f"/api/v1/indicators/?incident={pk}&page=2",
        "assets list": f"/api/v1/assets/?incident={pk}",
        "checks list": f"/api/v1/checks/?asset__incident={pk}",
        "STIX export": f"/api/v1/incidents/{pk}/stix/",
        "MISP export": f"/api/v1/incidents/{pk}/misp/",
        "status page": f"/incidents/{incident.reference}/",
        "admin indicators": f"/admin/scope/indicator/?incident={pk}",
        "admin assets": f"/admin/scope/asset/?incident={pk}",
    }

    services.import_indicators_csv(incident, indicators_csv(0, 100), user=committee)
    services.import_assets_csv(incident, assets_csv(0, 100), user=committee)
    add_checks(incident, 0)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    small = run(f"{Indicator.objects.count()} ind./{Asset.objects.count()} assets", client, paths)

    last_asset = Asset.objects.order_by("-pk").values_list("pk", flat=True).first()
    started = time.perf_counter()
    result = services.import_indicators_csv(incident, indicators_csv(100, 10_000), user=committee)
    took_ind = time.perf_counter() - started
    started = time.perf_counter()
    services.import_assets_csv(incident, assets_csv(100, 1_000), user=committee)
    took_assets = time.perf_counter() - started
    add_checks(incident, last_asset)
    print(
        f"imported {result.created} indicators in {took_ind:.1f} s and 900 assets in "
        f"{took_assets:.1f} s (CSV, validated, de-duplicated, with history rows)",
        flush=True,
    )
    started = time.perf_counter()
    again = services.import_indicators_csv(incident, indicators_csv(0, 10_000), user=committee)
    print(
        f"re-import of all 10,000: {again.created} added, {again.merged} merged in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    large = run(f"{Indicator.objects.count()} ind./{Asset.objects.count()} assets", client, paths)
    print("p50 ratio, large over small (target <= 3):")
    for name in small:
        print(f"  {name:>16}: {large[name] / small[name]:.2f}")


if __name__ == "__main__":
    main()
