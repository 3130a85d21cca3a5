import os

from celery import Celery
from celery.signals import worker_init, worker_process_init, worker_process_shutdown

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


@worker_init.connect
def load_weasyprint(sender=None, **kwargs):
    from reporting import pdf

    if sender is not None and solo_pool(sender):  # no pool process: this one renders
        pdf.warm()


@worker_process_init.connect
def warm_rendering(**kwargs):
    from reporting import pdf

    pdf.warm()


@worker_process_shutdown.connect
def remove_fonts(**kwargs):
    from reporting import pdf

    pdf.close_fonts()
