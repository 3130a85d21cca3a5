from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from .models import Evidence


@require_GET
@login_required
def evidence_file(request, name: str):
    """Evidence files are served only to people who may see the incident; others get 404."""
    evidence = Evidence.objects.visible_to(request.user).filter(file=name).first()
    if evidence is None or not request.user.has_perm("incidents.view_evidence"):
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1]
    )
    response["X-Checksum-SHA256"] = evidence.sha256
    response["Cache-Control"] = "private, no-store"
    return response
