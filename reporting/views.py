from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from incidents.downloads import checksummed_attachment

from .choices import ReportStatus
from .models import Report


@require_GET
@login_required
def report_pdf(request, pk: int):
    """A report's PDF, only for people who may see its incident; others get 404."""
    report = (
        Report.objects.visible_to(request.user)
        .select_related("incident")
        .filter(pk=pk, status=ReportStatus.READY)
        .first()
    )
    if report is None or not report.file or not request.user.has_perm("reporting.view_report"):
        raise Http404
    return checksummed_attachment(
        report.file, filename=report.filename, sha256=report.sha256, content_type="application/pdf"
    )
