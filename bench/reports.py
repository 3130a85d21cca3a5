"""Report rendering benchmark (run by hand): DEBUG=1 .venv/bin/python bench/reports.py

Per report in a warm process: time, pages, bytes, peak memory (tracemalloc: Python
allocations only), for every kind and language of the founding case and for a
500-milestone case, three things run turn about:
- request: what the web process does when a document is asked for (the readiness check on
  the snapshot it takes, the row; one commit), before the task is queued;
- task: the Celery task a worker runs for it (services.render: the row locked and marked
  rendering, HTML, PDF, file stored; two commits);
- render: the render of the stored snapshot (HTML, PDF with our fonts and fetcher);
- bare: a bare WeasyPrint render of the same HTML.
Targets: render / bare <= 1.2 (issue #10), task / bare <= 1.1 (issue #13); "paired +task"
is 1 + the median, over the rounds, of (task - bare) / bare of the same round (steadier than
the ratio of two medians on a shared machine); (request + task) / bare is printed beside
them: what the whole way from the click to the file costs.
Japanese vs English per page; growth from 10 to 500 milestones; how many times WeasyPrint
lays out each page (counter(pages) in the footer must not make it lay out twice). Uses a
throw-away SQLite database and media folder (--postgres: a throw-away database on the
PostgreSQL at 127.0.0.1:5432, as in production, when it is reachable).

    DEBUG=1 .venv/bin/python bench/reports.py --no-growth

stops after the table (and the Japanese vs English comparison).

    DEBUG=1 .venv/bin/python bench/reports.py --queue

measures the queue instead: a redis-server of its own (on a free port) and a worker with
the documented defaults (config/celery.py and settings: prefork, one process per core,
prefetch 1, late acks; BENCH_WORKER_ARGS adds options to try others); BENCH_QUEUE_REPEAT
reports (default 30) requested one at a time, turn about with the same request and task in
this process (its render not sent) and a bare WeasyPrint render of the same HTML. "Ready" is
when the worker's transaction storing the PDF committed, as noted by the worker
(bench/_queue_trace.py, which also wakes this process with an event: no polling of the
database takes CPU from the render). Queue overhead = (ready - request) - (the same in
this process), as a share of the bare render (target <= 10%); the first of each kind warms
this process and is left out. `--trace` prints where the time goes, step by step.
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


def request_then_task(incident, kind, language) -> tuple[float, float, Report]:
    """(request seconds, task seconds, the report): the request as the web process makes it
    (not sent to a queue), then the task's work as a worker does it."""
    real_enqueue = services.enqueue
    services.enqueue = lambda report_id: None
    try:
        start = time.perf_counter()
        report = services.request_report(incident, kind, language, None, allow_gaps=True)
        requested = time.perf_counter()
        services.render(report.pk)
        done = time.perf_counter()
    finally:
        services.enqueue = real_enqueue
    return requested - start, done - requested, report


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


def under_every_regime(incident):
    """The founding case is an APPI case; under the GDPR too, so that every kind of document
    (the Art. 33 notification included) may be requested of it and measured."""
    from incidents.services import save_incident

    if "gdpr" not in incident.regimes:
        incident.regimes = [*incident.regimes, "gdpr"]
        save_incident(incident, user=None)
    return incident


def main():
    if "--queue" in sys.argv:
        return queue_overhead()
    founding = under_every_regime(founding_case.load(with_users=False))
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
        f"{'case':16} {'kind':17} {'lang':4} {'req ms':>6} {'task s':>7} {'render s':>8} "
        f"{'bare s':>7} {'render':>6} {'task':>6} {'paired':>6} {'req+task':>8} {'pages':>5} "
        f"{'bytes':>8} {'peak MB':>7}\n"
        f"{'':16} {'':17} {'':4} {'':>6} {'':>7} {'':>8} {'':>7} {'/bare':>6} {'/bare':>6} "
        f"{'+task':>6} {'/bare':>8}"
    )
    for label, incident, kind in cases:
        for language in ReportKind.languages(kind):
            report = whole_task(incident, kind, language)
            html = rendering.render_html(kind, language, report.snapshot)
            snapshot = report.snapshot
            requests: list[float] = []
            tasks: list[float] = []
            renders: list[float] = []
            bares: list[float] = []
            for _ in range(REPEAT):  # turn about: a shared machine's load hits all alike
                request_time, task_time, _report = request_then_task(incident, kind, language)
                requests.append(request_time)
                tasks.append(task_time)
                start = time.perf_counter()
                rendering.render_pdf(kind, language, snapshot)
                renders.append(time.perf_counter() - start)
                start = time.perf_counter()
                rendering.html_to_pdf(html)
                bares.append(time.perf_counter() - start)
            request_time, task_time, render_time, bare_time = (
                statistics.median(times) for times in (requests, tasks, renders, bares)
            )
            both = statistics.median(r + t for r, t in zip(requests, tasks, strict=True))
            # The task's cost beyond WeasyPrint, pair by pair (a task and the bare render of
            # the same round): what the ratio of two medians blurs when the load moves.
            paired = statistics.median((t - b) / b for t, b in zip(tasks, bares, strict=True))
            report = Report.objects.get(pk=_report.pk)
            tracemalloc.start()
            whole_task(incident, kind, language)
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            ratio = task_time / bare_time
            per_page[(label, kind, language)] = task_time / report.page_count
            rows.append((label, kind, language, task_time, bare_time, ratio))
            print(
                f"{label:16} {kind:17} {language:4} {request_time * 1000:6.1f} {task_time:7.3f} "
                f"{render_time:8.3f} {bare_time:7.3f} {render_time / bare_time:6.2f} "
                f"{ratio:6.2f} {1 + paired:6.2f} {both / bare_time:8.2f} {report.page_count:5d} "
                f"{report.size:8d} "
                f"{peak:7.1f}"
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


STAGES = (  # (label, from, to) in the notes of bench/_queue_trace.py
    ("commit -> apply_async", "enqueue", "publish"),
    ("apply_async (publish)", "publish", "published"),
    ("broker -> worker receives", "published", "received"),
    ("worker -> pool process", "received", "prerun"),
    ("task start -> render (DB reads, row)", "prerun", "render"),
    ("render (WeasyPrint + HTML)", "render", "rendered"),
    ("store (file, row, commit)", "store", "stored"),
    ("after store -> task end", "stored", "postrun"),
)


def read_trace(path: Path) -> dict[str, dict[str, float]]:
    notes: dict[str, dict[str, float]] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            report_id, event, at = line.split()
            notes.setdefault(report_id, {}).setdefault(event, float(at))
    return notes


def queue_overhead():
    import signal
    import subprocess

    import redis as redis_client
    from django.conf import settings

    from bench import _queue_trace
    from bench.drill_worker_kill import drop_database, free_port, start_redis

    repeat = int(os.environ.get("BENCH_QUEUE_REPEAT", "30"))
    trace = "--trace" in sys.argv
    port = free_port()
    redis = start_redis(port, WORK)
    queue = "taisaku-bench-queue"
    trace_file = WORK / "queue-trace.txt"
    env = {
        **os.environ,
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "REPORT_QUEUE": queue,
        "REPORT_FONT_CACHE_DIR": str(WORK / "fonts"),
        # The worker pushes a report's id here once its task has ended, so that this
        # process waits for it on an event instead of polling the database (which would
        # take CPU from the render on a small machine).
        "QUEUE_TRACE_DONE": "taisaku-bench-done",
        # Each step's time, noted by the worker and by this process (bench/_queue_trace.py):
        # "ready" is when the worker's transaction that stored the file committed.
        "QUEUE_TRACE_FILE": str(trace_file),
    }
    os.environ.update({k: env[k] for k in ("QUEUE_TRACE_DONE", "QUEUE_TRACE_FILE")})
    # The project's app (config.celery, its settings unchanged) with the tracing receivers;
    # the worker's pool settings are the documented defaults, nothing given on the command
    # line but the queue.
    worker = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "bench._queue_trace",
            "worker",
            "-Q",
            queue,
            "--loglevel",
            "WARNING",
            "--without-mingle",
            "--without-gossip",
            *os.environ.get("BENCH_WORKER_ARGS", "").split(),
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
    _queue_trace.install()
    done = redis_client.Redis.from_url(env["REDIS_URL"])
    founding = founding_case.load(with_users=False)
    html = {}
    try:
        time.sleep(8)  # the pool processes start and warm up
        rows = []
        traced = []
        kinds = [("ppc-final", "ja"), ("public-final", "ja"), ("ppc-final", "en")]
        real_enqueue = services.enqueue
        for i in range(repeat):
            kind, language = kinds[i % len(kinds)]
            if i == len(kinds):
                # Warm: this process's heap out of the collector's sight, as the worker's
                # (config/celery.py), so that neither side pays full collections the other
                # does not.
                gc.collect()
                gc.freeze()
            # Through the queue: request, the worker renders, the row says when.
            sent = time.time()
            report = services.request_report(  # autocommit
                founding, kind, language, None, allow_gaps=True
            )
            popped = done.blpop(["taisaku-bench-done"], timeout=120)
            assert popped is not None and int(popped[1]) == report.pk, popped
            report = Report.objects.get(pk=report.pk)
            assert report.status == "ready", report.status
            notes = read_trace(trace_file)[str(report.pk)]
            queued = notes["stored"] - sent  # request_report called -> ready row committed
            wait = notes["prerun"] - sent
            # The same task in this process, right after: request (not sent) and render.
            services.enqueue = lambda report_id: None
            try:
                start = time.perf_counter()
                twin = services.request_report(founding, kind, language, None, allow_gaps=True)
                _queue_trace._current["report"] = twin.pk
                _queue_trace.note(twin.pk, "prerun")
                services.render(twin.pk)
                inline = time.perf_counter() - start
                _queue_trace._current.pop("report", None)
            finally:
                services.enqueue = real_enqueue
            key = (kind, language)
            if key not in html:
                html[key] = rendering.render_html(kind, language, report.snapshot)
            bare, _ = timed(lambda: rendering.html_to_pdf(html[key]), repeat=1)  # noqa: B023
            rows.append((queued, wait, inline, bare))
            traced.append((str(report.pk), str(twin.pk)))
        rows = rows[len(kinds) :]  # the first of each kind warms this process
        traced = traced[len(kinds) :]
        queued, wait, inline, bare = (statistics.median(r[i] for r in rows) for i in range(4))
        overheads = sorted((r[0] - r[2]) / r[3] for r in rows)
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"{len(rows)} reports one at a time, worker with the documented defaults "
            f"{os.environ.get('BENCH_WORKER_ARGS', '')}:\n"
            f"  through the queue, request -> ready p50 {queued * 1000:.0f} ms "
            f"(before the task starts {wait * 1000:.1f} ms)\n"
            f"  the same task in-process p50 {inline * 1000:.0f} ms; bare WeasyPrint render p50 "
            f"{bare * 1000:.0f} ms\n"
            f"  queue overhead (queued - in-process) / bare render: p50 "
            f"{statistics.median(overheads) * 100:.1f}%, min {overheads[0] * 100:.1f}%, "
            f"max {overheads[-1] * 100:.1f}% (target <= 10%)\n"
            f"  load average (1, 5, 15 min): {load}"
        )
        # The same difference without the two renders (WeasyPrint's time swings by tens of
        # percent on a loaded machine, on either side): what the queue itself adds, and how
        # the render in the pool process compared with the one in this process.
        notes = read_trace(trace_file)

        def render_time(report_id: str) -> float:
            return notes[report_id]["rendered"] - notes[report_id]["render"]

        outside = sorted(
            ((r[0] - render_time(q)) - (r[2] - render_time(t))) / r[3]
            for r, (q, t) in zip(rows, traced, strict=True)
        )
        in_pool = sorted(render_time(q) / render_time(t) for q, t in traced)
        print(
            f"  outside the render (queued - in-process, renders taken out) / bare render: p50 "
            f"{statistics.median(outside) * 100:.1f}%, min {outside[0] * 100:.1f}%, "
            f"max {outside[-1] * 100:.1f}%\n"
            f"  render in the pool process / render in this process: p50 "
            f"{statistics.median(in_pool):.3f} (min {in_pool[0]:.2f}, max {in_pool[-1]:.2f})"
        )
        if trace:
            print("  where the time goes, p50 ms (queued | in-process twin):")
            for label, first, last in STAGES:

                def span(report_id, first=first, last=last):
                    n = notes.get(report_id, {})
                    return (n[last] - n[first]) * 1000 if first in n and last in n else None

                queued_ms = [x for x in (span(q) for q, _ in traced) if x is not None]
                twin_ms = [x for x in (span(t) for _, t in traced) if x is not None]
                nan = float("nan")
                q50 = statistics.median(queued_ms) if queued_ms else nan
                t50 = statistics.median(twin_ms) if twin_ms else nan
                print(f"    {label:38} {q50:8.1f} | {t50:8.1f}")
            connects = [
                (n["db_connected"] - n["db_connect"]) * 1000
                for q, _ in traced
                if "db_connect" in (n := notes.get(q, {}))
            ]
            print(
                f"    DB connections opened by the task: {len(connects)} of {len(traced)} tasks"
                + (f", p50 {statistics.median(connects):.1f} ms" if connects else "")
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
