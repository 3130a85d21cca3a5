from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

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
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.filename,
        content_type="application/pdf",
    )
    response["X-Checksum-SHA256"] = report.sha256
    response["Cache-Control"] = "private, no-store"
    return response
