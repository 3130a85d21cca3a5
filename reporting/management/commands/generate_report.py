import os
import shutil
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from incidents.models import Incident
from reporting import services
from reporting.choices import ReportKind, ReportLanguage, ReportStatus
from reporting.models import Report
from reporting.readiness import RECORDED_LATER


class Command(BaseCommand):
    help = "Request a report for an incident; with --wait (or --output) wait until it is ready."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="Incident reference, e.g. ACME-2024-0003.")
        parser.add_argument("--kind", required=True, help=", ".join(ReportKind.values))
        parser.add_argument("--lang", required=True, help=", ".join(ReportLanguage.values))
        parser.add_argument("--output", help="Copy the PDF here when it is ready.")
        parser.add_argument("--wait", action="store_true", help="Wait until ready or failed.")
        parser.add_argument("--timeout", type=float, default=300, help="Seconds to wait.")
        parser.add_argument(
            "--date",
            help="The date the document bears and speaks as of, YYYY-MM-DD "
            "(default: today in the incident's time zone).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only list what the document still lacks; exit code 1 when it is not ready.",
        )
        parser.add_argument(
            "--allow-gaps",
            action="store_true",
            help="Generate the document although items are missing (they print as gaps; "
            "in a PPC final report, as to be reported later).",
        )
        parser.add_argument(
            "--allow-current-text",
            action="store_true",
            help="For a case recorded after the document's date: print its narratives and "
            "assessed facts as they read now (check first that they say nothing known only "
            "later) instead of as gaps. It does not allow other missing items.",
        )

    def handle(
        self,
        *args,
        reference,
        kind,
        lang,
        output,
        wait,
        timeout,
        date,
        check,
        allow_gaps,
        allow_current_text,
        **options,
    ):
        try:
            services.check_kind_and_language(kind, lang)
        except services.ReportError as exc:
            raise CommandError(str(exc)) from None
        # As typed: inc-2022-0001 names INC-2022-0001 (references are capitals only).
        incident = Incident.objects.filter(reference=reference.strip().upper()).first()
        if incident is None:
            raise CommandError(
                _("No incident with reference “%(reference)s”.") % {"reference": reference}
            )
        try:
            day = services.document_date_for(incident, date)
        except ValidationError as exc:
            raise CommandError(f"--date: {' '.join(exc.messages)}") from None
        try:
            services.check_applies(incident, kind)
        except ValidationError as exc:
            raise CommandError(f"--kind: {' '.join(exc.messages)}") from None
        if check:
            self.print_readiness(services.check_readiness(incident, kind, lang, document_date=day))
            return
        if output:
            check_output(output)  # before anything is requested
        try:
            report = services.request_report(
                incident,
                kind,
                lang,
                None,
                document_date=day,
                allow_gaps=allow_gaps,
                allow_current_text=allow_current_text,
            )
        except services.NotReady as exc:
            self.print_readiness(exc.readiness, out=self.stderr)
            message = _(
                "Not ready: record what is missing, or pass --allow-gaps to generate it "
                "with the gaps printed as gaps."
            )
            if any(gap.item == RECORDED_LATER for gap in exc.readiness.missing):
                message += " " + _(
                    "--allow-current-text prints the narratives as they read now instead, "
                    "once you have checked them."
                )
            raise CommandError(message) from None
        # What --allow-gaps let through, as the document prints it (its snapshot): each line
        # a gap of the document.
        overridden = services.gaps_of(report)
        if overridden:
            self.stderr.write(
                _("Generated with %(count)d item(s) missing, printed as gaps:")
                % {"count": len(overridden)}
            )
            for gap in overridden:
                self.stderr.write(gap_line(gap))
        self.stdout.write(
            _("Requested %(report)s (id %(id)d).") % {"report": report, "id": report.pk}
        )
        if not (wait or output):
            return
        deadline = time.monotonic() + timeout
        report.refresh_from_db()
        while report.status in ReportStatus.pending():
            if time.monotonic() > deadline:
                raise CommandError(
                    _("Still %(status)s after %(seconds).0f s: %(report)s")
                    % {
                        "status": report.get_status_display(),
                        "seconds": timeout,
                        "report": report,
                    }
                )
            time.sleep(0.5)
            report = Report.objects.get(pk=report.pk)
        if report.status == ReportStatus.FAILED:
            raise CommandError(_("Rendering failed: %(error)s") % {"error": report.error})
        path = Path(report.file.path)
        if output:
            try:
                Path(output).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, output)
            except OSError as exc:
                raise CommandError(
                    _(
                        "%(report)s is ready at %(path)s, but could not be copied to "
                        "%(output)s: %(error)s"
                    )
                    % {"report": report, "path": path, "output": output, "error": exc}
                ) from None
            path = Path(output)
        self.stdout.write(
            self.style.SUCCESS(
                _("Ready: %(path)s (%(pages)d pages, sha256 %(sha256)s)")
                % {"path": path, "pages": report.page_count, "sha256": report.sha256}
            )
        )

    def print_readiness(self, result, out=None) -> None:
        """One line per gap; exit code 1 (CommandError) when the document is not ready."""
        out = out or self.stdout
        for gap in result.gaps:
            out.write(gap_line(gap))
        if out is self.stdout:
            if result.ready:
                self.stdout.write(
                    self.style.SUCCESS(
                        _("Ready: %(kind)s (%(language)s).")
                        % {"kind": result.kind, "language": result.language}
                    )
                )
            else:
                raise CommandError(
                    _("Not ready: %(count)d item(s) missing for %(kind)s (%(language)s).")
                    % {
                        "count": len(result.missing),
                        "kind": result.kind,
                        "language": result.language,
                    }
                )


def gap_line(gap) -> str:
    """One gap on one line: state, item, label and detail (tab-separated)."""
    return f"{gap.state}\t{gap.item}\t{gap.label}: {gap.detail}"


def check_output(output: str) -> None:
    """--output names a file that can be written: not a folder, not under a file; else a
    CommandError before the report is requested."""
    path = Path(output)
    if output.endswith(("/", os.sep)) or path.is_dir():
        raise CommandError(
            _("--output %(output)s is a folder: name the PDF file, e.g. %(example)s")
            % {"output": output, "example": path / "report.pdf"}
        )
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise CommandError(
                    _("--output %(output)s: %(parent)s is a file, not a folder")
                    % {"output": output, "parent": parent}
                )
            if not os.access(parent, os.W_OK | os.X_OK):
                raise CommandError(
                    _("--output %(output)s: %(parent)s cannot be written to")
                    % {"output": output, "parent": parent}
                )
            break
