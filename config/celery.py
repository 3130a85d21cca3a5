import gc
import os

from celery import Celery
from celery.signals import task_prerun, worker_init, worker_process_init, worker_process_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("taisaku")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# WeasyPrint is imported only by processes that render (the web process never does). A
# worker imports it once in its main process, before the pool forks, and each pool process
# registers the report fonts and lays out one page at its start, so that no request pays
# for either. The fonts' folder goes with the process.
def solo_pool(worker) -> bool:
    return "solo" in getattr(worker.pool_cls, "__module__", "") or "threads" in getattr(
        worker.pool_cls, "__module__", ""
    )


# A worker process keeps its database connection from one task to the next. Celery's Django
# fixup would close it before and after every task: a new PostgreSQL connection costs 5-12 ms,
# and its first queries more while the server process loads its catalog caches, on every
# render. Instead, as Django does between requests, a connection is dropped before a task when
# it is older than CONN_MAX_AGE (DB_CONN_MAX_AGE when given, else 10 minutes in a worker) or
# has failed and no longer answers (a restarted database costs one new connection, no error).
WORKER_CONN_MAX_AGE = 600
app.conf.update(CELERY_DB_REUSE_MAX=100_000)  # the fixup's "close every N tasks": rarely


def keep_database_connections() -> None:
    from django.conf import settings

    for database in settings.DATABASES.values():
        if not os.environ.get("DB_CONN_MAX_AGE"):
            database["CONN_MAX_AGE"] = WORKER_CONN_MAX_AGE
        database["CONN_HEALTH_CHECKS"] = True


@task_prerun.connect
def recycle_database_connections(sender=None, **kwargs):
    if sender is not None and getattr(sender.request, "is_eager", False):
        return  # in-process: the caller's connection, the caller's business
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()


def freeze_heap() -> None:
    """Move the warm heap (Django, WeasyPrint, the fonts: ~200,000 objects) out of the
    garbage collector's sight: a full collection would otherwise walk it again during
    renders, and touching it would copy the pages a pool process shares with its parent."""
    gc.collect()
    gc.freeze()


def load_templates() -> None:
    """Compile every document's template and load each language's translations, once in the
    worker's main process (the pool processes inherit them): a process's first document
    would otherwise pay ~20-30 ms for the template engine and ~2-10 ms per kind."""
    from django.template.loader import get_template
    from django.utils import translation

    from reporting.choices import ReportKind
    from reporting.rendering import template_name

    for kind in ReportKind.values:
        for language in ReportKind.languages(kind):
            with translation.override(language):  # activating a language loads its catalogs
                get_template(template_name(kind, language))


@worker_init.connect
def load_weasyprint(sender=None, **kwargs):
    from reporting import pdf

    keep_database_connections()
    load_templates()
    if sender is not None and solo_pool(sender):  # no pool process: this one renders
        pdf.warm()
    freeze_heap()


@worker_process_init.connect
def warm_rendering(**kwargs):
    from reporting import pdf

    keep_database_connections()
    pdf.warm()
    freeze_heap()


@worker_process_shutdown.connect
def remove_fonts(**kwargs):
    from reporting import pdf

    pdf.close_fonts()
