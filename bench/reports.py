"""Report rendering benchmark (run by hand): DEBUG=1 .venv/bin/python bench/reports.py

Per report in a warm process: time, pages, bytes, peak memory (tracemalloc: Python
allocations only), for every kind and language of the founding case and for a
500-milestone case, three things run turn about:
- task: the whole task (request row, snapshot, HTML, PDF, file stored; three commits);
- render: the render of the stored snapshot (HTML, PDF with our fonts and fetcher);
- bare: a bare WeasyPrint render of the same HTML.
Targets: render / bare <= 1.2 (issue #10), task / bare <= 1.1 (issue #13).
Japanese vs English per page; growth from 10 to 500 milestones; how many times WeasyPrint
lays out each page (counter(pages) in the footer must not make it lay out twice). Uses a
throw-away SQLite database and media folder (--postgres: a throw-away database on the
PostgreSQL at 127.0.0.1:5432, as in production, when it is reachable).

    DEBUG=1 .venv/bin/python bench/reports.py --no-growth

stops after the table (and the Japanese vs English comparison).

    DEBUG=1 .venv/bin/python bench/reports.py --queue

measures the queue instead: a redis-server of its own (on a free port) and a worker with
the default settings (prefork, concurrency 2, prefetch 1, late acks); reports requested
one at a time, each against a bare render of the same HTML in this process, turn about.
Queue overhead = (ready - requested) - bare render, as a share of the bare render (target
<= 10%), split into the wait before the task starts and the rest.
"""

import gc
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="taisaku-bench-"))
QUEUE_DB = f"taisaku_bench_queue_{os.getpid()}"
if "--queue" in sys.argv or "--postgres" in sys.argv:
    # The worker is another process: PostgreSQL when reachable (also asked for by --postgres)
    from bench.drill_worker_kill import pick_database

    DATABASE_URL = pick_database(None, WORK, QUEUE_DB)
else:
    DATABASE_URL = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": DATABASE_URL,
        "MEDIA_ROOT": str(WORK / "media"),
        "LOG_LEVEL": "WARNING",
    }
)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)

from incidents import founding_case  # noqa: E402
from incidents.choices import ActionCategory, MilestoneKind  # noqa: E402
from incidents.models import Action, Milestone  # noqa: E402
from reporting import rendering, services  # noqa: E402
from reporting.models import Report  # noqa: E402
from reporting.snapshot import build_snapshot  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))


def timed(fn, repeat=REPEAT):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def interleaved(*functions, repeat=REPEAT):
    """Medians and last results of functions run turn about (a shared machine's load hits
    all alike): [(median, result), ...] in the order given."""
    times: list[list[float]] = [[] for _ in functions]
    results: list = [None] * len(functions)
    for _ in range(repeat):
        for i, fn in enumerate(functions):
            start = time.perf_counter()
            results[i] = fn()
            times[i].append(time.perf_counter() - start)
    return [(statistics.median(t), r) for t, r in zip(times, results, strict=True)]


def whole_task(incident, kind, language):
    report = services.request_report(  # eager: renders now
        incident, kind, language, None, allow_gaps=True
    )
    return Report.objects.get(pk=report.pk)


def synthetic(milestones: int, actions: int):
    incident = founding_case.load(with_users=False)
    base = incident.aware_at
    assert base is not None, "the founding case knows when it was aware"
    clone = type(incident).objects.get(pk=incident.pk)
    clone.pk = None
    clone.reference = ""
    clone.title = f"合成インシデント {milestones}件"
    clone.save()
    Milestone.objects.bulk_create(
        Milestone(
            incident=clone,
            occurred_at=base + timedelta(hours=i),
            kind=MilestoneKind.OTHER,
            title=f"対応記録 {i}: 関係部署と状況を確認し、次の措置を決定した",
            public=True,
        )
        for i in range(milestones)
    )
    Action.objects.bulk_create(
        Action(incident=clone, title=f"再発防止策 {i}", category=ActionCategory.TECHNICAL)
        for i in range(actions)
    )
    return clone


def layout_passes() -> tuple[int, int]:
    """(pages, pages laid out) for a 20-page document with "page N / M" footers."""
    import weasyprint.layout.page as page_layout

    calls = []
    real = page_layout.remake_page

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    html = (
        '<html><head><link rel="stylesheet" href="taisaku-asset:report.css"></head><body>'
        + "".join(f"<p>対応記録 {i}: 関係部署と状況を確認した。</p>" for i in range(600))
        + "</body></html>"
    )
    page_layout.remake_page = counting
    try:
        pdf = rendering.html_to_pdf(html)
    finally:
        page_layout.remake_page = real
    return pdf.pages, len(calls)


def main():
    if "--queue" in sys.argv:
        return queue_overhead()
    founding = founding_case.load(with_users=False)
    pages, passes = layout_passes()
    print(f"counter(pages) footer: {pages} pages laid out {passes} times (1 pass = {pages})")
    big = synthetic(500, 100)
    whole_task(founding, "ppc-final", "ja")  # warm up: fonts, templates
    # The warm heap (Django, WeasyPrint, fonts: ~200,000 objects) out of the collector's
    # sight: otherwise a full collection, at a point fixed by the allocation pattern, lands
    # on the same side of every task/bare pair and skews a kind's ratio by up to +-30%.
    gc.collect()
    gc.freeze()
    rows = []
    from reporting.choices import ReportKind

    cases = [("founding", founding, kind) for kind in ReportKind.values] + [
        ("500 milestones", big, "public-final"),
        ("500 milestones", big, "ppc-final"),
    ]
    per_page = {}
    print(
        f"{'case':16} {'kind':17} {'lang':4} {'task s':>7} {'render s':>8} {'bare s':>7} "
        f"{'render':>6} {'task':>6} {'pages':>5} {'bytes':>8} {'peak MB':>7}\n"
        f"{'':16} {'':17} {'':4} {'':>7} {'':>8} {'':>7} {'/bare':>6} {'/bare':>6}"
    )
    for label, incident, kind in cases:
        for language in ReportKind.languages(kind):
            report = whole_task(incident, kind, language)
            html = rendering.render_html(kind, language, report.snapshot)
            snapshot = report.snapshot
            (task_time, report), (render_time, _), (bare_time, _) = interleaved(
                lambda: whole_task(incident, kind, language),  # noqa: B023
                lambda: rendering.render_pdf(kind, language, snapshot),  # noqa: B023
                lambda: rendering.html_to_pdf(html),  # noqa: B023
            )
            tracemalloc.start()
            whole_task(incident, kind, language)
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            ratio = task_time / bare_time
            per_page[(label, kind, language)] = task_time / report.page_count
            rows.append((label, kind, language, task_time, bare_time, ratio))
            print(
                f"{label:16} {kind:17} {language:4} {task_time:7.3f} {render_time:8.3f} "
                f"{bare_time:7.3f} {render_time / bare_time:6.2f} {ratio:6.2f} "
                f"{report.page_count:5d} {report.size:8d} {peak:7.1f}"
            )
    print("\nJapanese vs English, seconds per page:")
    for label, _incident, kind in cases:
        if (label, kind, "ja") not in per_page:
            continue
        ja, en = per_page[(label, kind, "ja")], per_page[(label, kind, "en")]
        print(f"  {label:16} {kind:13} ja {ja:.4f} en {en:.4f} ratio {ja / en:.2f}")
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if "--no-growth" in sys.argv:
        return
    print("\nGrowth with milestones (public-final, ja, whole task):")
    points = []
    for n in (10, 50, 100, 200, 300, 500):
        incident = synthetic(n, 0)
        seconds, report = timed(
            lambda: whole_task(incident, "public-final", "ja"),  # noqa: B023
            repeat=3,
        )
        snapshot = build_snapshot(incident)
        points.append((n, seconds))
        print(
            f"  {n:4d} milestones: {seconds:.3f} s, {report.page_count} pages, "
            f"{len(snapshot['milestones'])} in snapshot"
        )
    # Linear means the marginal cost per milestone stays flat from the small end to the big one.
    by_n = dict(points)
    low = (by_n[100] - by_n[10]) / 90
    high = (by_n[500] - by_n[200]) / 300
    print(
        f"  marginal cost per milestone: 10-100 {low * 1000:.2f} ms, 200-500 "
        f"{high * 1000:.2f} ms (ratio {high / low:.2f}; ~1 = linear)"
    )


def queue_overhead():
    import signal
    import subprocess

    from django.conf import settings

    from bench.drill_worker_kill import drop_database, free_port, start_redis

    repeat = int(os.environ.get("BENCH_QUEUE_REPEAT", "20"))
    port = free_port()
    redis = start_redis(port, WORK)
    queue = "taisaku-bench-queue"
    env = {
        **os.environ,
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "REPORT_QUEUE": queue,
        "REPORT_FONT_CACHE_DIR": str(WORK / "fonts"),
    }
    worker = subprocess.Popen(  # noqa: S603 - the default settings, as the README says
        [
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
            "--pool",
            "prefork",
            "--concurrency",
            "2",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    # This process sends to the worker's broker: the same task, not run in-process.
    from config.celery import app

    app.conf.broker_url = env["REDIS_URL"]
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REPORT_QUEUE = queue
    founding = founding_case.load(with_users=False)
    html = {}
    try:
        time.sleep(5)  # the pool processes start and warm up
        rows = []
        kinds = [("ppc-final", "ja"), ("public-final", "ja"), ("ppc-final", "en")]
        real_enqueue = services.enqueue
        for i in range(repeat):
            kind, language = kinds[i % len(kinds)]
            # Through the queue: request, the worker renders, the row says when.
            report = services.request_report(  # autocommit
                founding, kind, language, None, allow_gaps=True
            )
            while Report.objects.filter(pk=report.pk, status="ready").count() == 0:
                time.sleep(0.01)
            report = Report.objects.get(pk=report.pk)
            queued = (report.finished_at - report.requested_at).total_seconds()
            wait = (report.started_at - report.requested_at).total_seconds()
            # The same task in this process, right after: request (not sent) and render.
            services.enqueue = lambda report_id: None
            try:
                start = time.perf_counter()
                twin = services.request_report(founding, kind, language, None, allow_gaps=True)
                services.render(twin.pk)
                inline = time.perf_counter() - start
            finally:
                services.enqueue = real_enqueue
            key = (kind, language)
            if key not in html:
                html[key] = rendering.render_html(kind, language, report.snapshot)
            bare, _ = timed(lambda: rendering.html_to_pdf(html[key]), repeat=1)  # noqa: B023
            rows.append((queued, wait, inline, bare))
        rows = rows[len(kinds) :]  # the first of each kind warms this process
        queued, wait, inline, bare = (statistics.median(r[i] for r in rows) for i in range(4))
        overheads = sorted((r[0] - r[2]) / r[3] for r in rows)
        print(
            f"{len(rows)} reports one at a time, prefork concurrency 2, prefetch 1, late acks:\n"
            f"  through the queue, request -> ready p50 {queued * 1000:.0f} ms "
            f"(before the task starts {wait * 1000:.1f} ms)\n"
            f"  the same task in-process p50 {inline * 1000:.0f} ms; bare WeasyPrint render p50 "
            f"{bare * 1000:.0f} ms\n"
            f"  queue overhead (queued - in-process) / bare render: p50 "
            f"{statistics.median(overheads) * 100:.1f}%, min {overheads[0] * 100:.1f}%, "
            f"max {overheads[-1] * 100:.1f}% (target <= 10%)"
        )
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        os.killpg(redis.pid, signal.SIGTERM)
        redis.wait(timeout=10)
        drop_database(DATABASE_URL, QUEUE_DB)


if __name__ == "__main__":
    try:
        main()
    finally:
        if "--postgres" in sys.argv and "--queue" not in sys.argv:
            from bench.drill_worker_kill import drop_database

            drop_database(DATABASE_URL, QUEUE_DB)
