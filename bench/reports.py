"""Report rendering benchmark (run by hand): DEBUG=1 .venv/bin/python bench/reports.py

Per report in a warm process: time, pages, bytes, peak memory (tracemalloc: Python
allocations only); the whole task (data -> snapshot -> HTML -> PDF -> stored) against a
bare WeasyPrint render of the same HTML; Japanese vs English per page; growth from 10 to
500 milestones. Uses a throw-away SQLite database and media folder.
"""

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
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{WORK / 'bench.sqlite3'}",
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


def whole_task(incident, kind, language):
    report = services.request_report(incident, kind, language, None)  # eager: renders now
    return Report.objects.get(pk=report.pk)


def synthetic(milestones: int, actions: int):
    incident = founding_case.load(with_users=False)
    base = incident.aware_at
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


def main():
    founding = founding_case.load(with_users=False)
    big = synthetic(500, 100)
    whole_task(founding, "ppc-final", "ja")  # warm up: fonts, templates
    rows = []
    cases = [
        ("founding", founding, "public-final"),
        ("founding", founding, "ppc-final"),
        ("500 milestones", big, "public-final"),
        ("500 milestones", big, "ppc-final"),
    ]
    per_page = {}
    print(
        f"{'case':16} {'kind':13} {'lang':4} {'task s':>7} {'bare s':>7} {'ratio':>5} "
        f"{'pages':>5} {'bytes':>8} {'peak MB':>7}"
    )
    for label, incident, kind in cases:
        for language in ("ja", "en"):
            task_time, report = timed(lambda: whole_task(incident, kind, language))  # noqa: B023
            html = rendering.render_html(kind, language, report.snapshot)
            bare_time, _pdf = timed(lambda: rendering.html_to_pdf(html))  # noqa: B023
            tracemalloc.start()
            whole_task(incident, kind, language)
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
            ratio = task_time / bare_time
            per_page[(label, kind, language)] = task_time / report.page_count
            rows.append((label, kind, language, task_time, bare_time, ratio))
            print(
                f"{label:16} {kind:13} {language:4} {task_time:7.3f} {bare_time:7.3f} "
                f"{ratio:5.2f} {report.page_count:5d} {report.size:8d} {peak:7.1f}"
            )
    print("\nJapanese vs English, seconds per page:")
    for label, _incident, kind in cases:
        ja, en = per_page[(label, kind, "ja")], per_page[(label, kind, "en")]
        print(f"  {label:16} {kind:13} ja {ja:.4f} en {en:.4f} ratio {ja / en:.2f}")
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


if __name__ == "__main__":
    main()
