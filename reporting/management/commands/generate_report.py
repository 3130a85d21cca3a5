import shutil
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from incidents.models import Incident
from reporting import services
from reporting.choices import ReportKind, ReportLanguage, ReportStatus
from reporting.models import Report


class Command(BaseCommand):
    help = "Request a report for an incident; with --wait (or --output) wait until it is ready."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="Incident reference, e.g. ACME-2024-0003.")
        parser.add_argument("--kind", required=True, help=", ".join(ReportKind.values))
        parser.add_argument("--lang", required=True, help=", ".join(ReportLanguage.values))
        parser.add_argument("--output", help="Copy the PDF here when it is ready.")
        parser.add_argument("--wait", action="store_true", help="Wait until ready or failed.")
        parser.add_argument("--timeout", type=float, default=300, help="Seconds to wait.")

    def handle(self, *args, reference, kind, lang, output, wait, timeout, **options):
        try:
            services.check_kind_and_language(kind, lang)
        except services.ReportError as exc:
            raise CommandError(str(exc)) from None
        incident = Incident.objects.filter(reference=reference).first()  # unique
        if incident is None:
            raise CommandError(f"No incident with reference “{reference}”.")
        report = services.request_report(incident, kind, lang, None)
        self.stdout.write(f"Requested {report} (id {report.pk}).")
        if not (wait or output):
            return
        deadline = time.monotonic() + timeout
        report.refresh_from_db()
        while report.status in ReportStatus.pending():
            if time.monotonic() > deadline:
                raise CommandError(f"Still {report.status} after {timeout:.0f} s: {report}")
            time.sleep(0.5)
            report = Report.objects.get(pk=report.pk)
        if report.status == ReportStatus.FAILED:
            raise CommandError(f"Rendering failed: {report.error}")
        path = Path(report.file.path)
        if output:
            try:
                Path(output).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, output)
            except OSError as exc:
                raise CommandError(
                    f"{report} is ready at {path}, but could not be copied to {output}: {exc}"
                ) from None
            path = Path(output)
        self.stdout.write(
            self.style.SUCCESS(f"Ready: {path} ({report.page_count} pages, sha256 {report.sha256})")
        )
