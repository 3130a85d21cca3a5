from datetime import UTC
from pathlib import PurePath

import icalendar
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from .downloads import checksummed_attachment
from .models import CalendarToken, Evidence, Obligation


@require_GET
@login_required
def evidence_file(request, name: str):
    """Evidence files are served only to people who may see the incident; others get 404."""
    evidence = Evidence.objects.visible_to(request.user).filter(file=name).first()
    if evidence is None or not request.user.has_perm("incidents.view_evidence"):
        raise Http404
    return checksummed_attachment(
        evidence.file, filename=PurePath(evidence.file.name).name, sha256=evidence.sha256
    )


@require_GET
def calendar_feed(request, token: str):
    """A user's deadlines as iCalendar, for legal's calendar: the secret URL is the login.

    Lists applicable, unfulfilled obligations with a due time, of incidents the token's
    user may see. A wrong or revoked token is a 404, like a page that does not exist.
    """
    user = CalendarToken.user_for(token)
    if user is None or not user.has_perm("incidents.view_obligation"):
        raise Http404
    due = (
        Obligation.objects.visible_to(user)
        .open()
        .filter(due_at__isnull=False)
        .select_related("incident")
        .order_by("due_at", "id")
    )
    response = HttpResponse(deadline_calendar(due), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="taisaku-deadlines.ics"'
    return response


def deadline_calendar(due) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Taisaku//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", gettext("Taisaku deadlines"))
    site = settings.SITE_URL.rstrip("/")
    for obligation in due:
        incident = obligation.incident
        event = icalendar.Event()
        event.add("uid", f"obligation-{obligation.pk}@taisaku")
        event.add("dtstamp", obligation.updated_at.astimezone(UTC).replace(microsecond=0))
        event.add("last-modified", obligation.updated_at.astimezone(UTC).replace(microsecond=0))
        event.add("dtstart", obligation.due_at.astimezone(UTC).replace(microsecond=0))
        summary = f"{incident.reference} {obligation.regime_label}: {obligation.label}"
        if obligation.is_provisional:
            summary = gettext("%(subject)s (provisional)") % {"subject": summary}
        event.add("summary", summary)
        due_local = timezone.localtime(obligation.due_at, incident.tzinfo)
        event.add(
            "description",
            "\n".join(
                [
                    incident.title,
                    gettext("Due: %(due)s") % {"due": due_local.strftime("%Y-%m-%d %H:%M %Z")},
                    obligation.rule_text,
                    *(
                        [
                            gettext("Provisional until these facts are known:"),
                            "; ".join(obligation.open_fact_labels),
                        ]
                        if obligation.is_provisional
                        else []
                    ),
                ]
            ),
        )
        event.add("url", site + reverse("admin:incidents_obligation_change", args=[obligation.pk]))
        calendar.add_component(event)
    return calendar.to_ical()
