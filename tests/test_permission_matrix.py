"""One table: persona x page or endpoint x method -> status, for the API (every endpoint and
action), the admin (lists, prefilled add pages, change, history, delete), files, the
dashboard, the status page and the calendar.

The personas: a committee member, legal, an executive (members of the founding incident),
an auditor (every incident, read-only) and the outsider, a committee member who is not a
member of the incident. Need-to-know: what a persona may not see answers as a missing
object does (404 in the API, on pages and in the admin, prefilled add pages included),
never 403, which would confirm that it exists; what it may see but not change answers 403.
"""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from incidents.models import CalendarToken, Evidence, IndividualNotice, UnresolvedItem
from reporting.models import Report
from reporting.snapshot import build_snapshot
from tests.helpers import api_client

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

PERSONAS = ["committee", "legal", "executive", "auditor", "outsider"]


def objects(founding):
    evidence = founding.evidence.get()
    evidence.file.save("pc.log", SimpleUploadedFile("pc.log", b"log"), save=False)
    evidence.sha256, evidence.size = Evidence._digest(evidence.file)
    evidence.save()
    engagement = founding.engagements.get()
    report = make_ready_report(founding)
    notice_report = make_ready_report(founding, kind="individual-notice")
    unresolved = UnresolvedItem.objects.create(
        incident=founding, item="people", reason_ja="特定できず", reason_en="Not determined"
    )
    notice = IndividualNotice.objects.create(
        incident=founding,
        sent_at=founding.aware_at + timedelta(days=10),
        channel="email",
        people_reached=120,
    )
    return {
        "notice_report": notice_report.pk,
        "unresolved": unresolved.pk,
        "notice": notice.pk,
        "obligation": founding.obligations.get(regime="appi", stage="final").pk,
        "report": report.pk,
        "incident": founding.pk,
        "organization": founding.organization_id,
        "milestone": founding.milestones.first().pk,
        "engagement": engagement.pk,
        "finding": engagement.findings.first().pk,
        "evidence": evidence.pk,
        "action": founding.actions.first().pk,
    }


def make_ready_report(incident, kind="ppc-final"):
    content = b"%PDF-1.4 matrix"
    report = Report(
        incident=incident,
        kind=kind,
        language="ja",
        version=1,
        status="ready",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        page_count=1,
    )
    if kind == "individual-notice":  # its plain-text body is rendered from the snapshot
        report.snapshot = build_snapshot(incident)
    report.file.save(report.storage_name, ContentFile(content), save=False)
    report.save()
    return report


def payloads(ids):
    return {
        "report": {
            "incident": ids["incident"],
            "kind": "ppc-final",
            "language": "en",
            "allow_gaps": True,
        },
        "filing": {"at": "2022-03-01T10:00:00+09:00", "channel": "web_form"},
        "submission": {"submitted_to": "個人情報保護委員会", "obligation": ids["obligation"]},
        "incident": {
            "title": "Laptop lost",
            "category": "loss_theft",
            "organization": ids["organization"],
        },
        "milestone": {
            "incident": ids["incident"],
            "occurred_at": "2022-02-09T10:00:00+09:00",
            "kind": "public_notice_update",
            "title": "追記",
        },
        "engagement": {
            "incident": ids["incident"],
            "vendor": "Forensics K.K.",
            "requested_at": "2022-02-10T10:00:00+09:00",
        },
        "finding": {
            "engagement": ids["engagement"],
            "reported_at": "2022-06-01T10:00:00+09:00",
            "kind": "other",
        },
        "evidence": {"incident": ids["incident"], "label": "proxy.log", "kind": "log"},
        "action": {"incident": ids["incident"], "title": "MFA", "category": "technical"},
        "organization": {"name_ja": "新会社"},
        "unresolved": {
            "incident": ids["incident"],
            "item": "cause",
            "reason_ja": "ログが残っておらず特定できず",
        },
        "individual notice": {
            "incident": ids["incident"],
            "sent_at": "2022-03-01T10:00:00+09:00",
            "channel": "letter",
            "people_reached": 40,
        },
        "sent": {"sent_at": "2022-03-01T10:00:00+09:00", "channel": "email", "people_reached": 40},
    }


# (name, method, url, body) -> statuses for committee, legal, executive, auditor, outsider
MATRIX = [
    # incidents
    ("incident list", "get", "/api/v1/incidents/", None, (200, 200, 200, 200, 200)),
    ("incident read", "get", "/api/v1/incidents/{incident}/", None, (200, 200, 200, 200, 404)),
    (
        "incident history",
        "get",
        "/api/v1/incidents/{incident}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "milestone history",
        "get",
        "/api/v1/milestones/{milestone}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "engagement history",
        "get",
        "/api/v1/engagements/{engagement}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "finding history",
        "get",
        "/api/v1/findings/{finding}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "evidence history",
        "get",
        "/api/v1/evidence/{evidence}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "action history",
        "get",
        "/api/v1/actions/{action}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "obligation history",
        "get",
        "/api/v1/obligations/{obligation}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "organization history",
        "get",
        "/api/v1/organizations/{organization}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    ("incident create", "post", "/api/v1/incidents/", "incident", (201, 403, 403, 403, 400)),
    (
        "incident update",
        "patch",
        "/api/v1/incidents/{incident}/",
        {"severity": "critical"},
        (200, 403, 403, 403, 404),
    ),
    (
        "incident transition",
        "post",
        "/api/v1/incidents/{incident}/transition/",
        {"to_status": "investigating"},
        (200, 403, 403, 403, 404),
    ),
    ("incident delete", "delete", "/api/v1/incidents/{incident}/", None, (403, 403, 403, 403, 403)),
    # organizations
    ("organization list", "get", "/api/v1/organizations/", None, (200, 200, 200, 200, 200)),
    (
        "organization read",
        "get",
        "/api/v1/organizations/{organization}/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "organization create",
        "post",
        "/api/v1/organizations/",
        "organization",
        (403, 403, 403, 403, 403),
    ),
    (
        "organization update",
        "patch",
        "/api/v1/organizations/{organization}/",
        {"website": "https://x.example"},
        (200, 403, 403, 403, 404),
    ),
    # milestones
    ("milestone list", "get", "/api/v1/milestones/", None, (200, 200, 200, 200, 200)),
    ("milestone read", "get", "/api/v1/milestones/{milestone}/", None, (200, 200, 200, 200, 404)),
    ("milestone create", "post", "/api/v1/milestones/", "milestone", (201, 403, 403, 403, 400)),
    (
        "milestone update",
        "patch",
        "/api/v1/milestones/{milestone}/",
        {"public": False},
        (200, 403, 403, 403, 404),
    ),
    (
        "milestone delete",
        "delete",
        "/api/v1/milestones/{milestone}/",
        None,
        (204, 403, 403, 403, 404),
    ),
    # engagements and findings
    ("engagement list", "get", "/api/v1/engagements/", None, (200, 200, 200, 200, 200)),
    (
        "engagement read",
        "get",
        "/api/v1/engagements/{engagement}/",
        None,
        (200, 200, 200, 200, 404),
    ),
    ("engagement create", "post", "/api/v1/engagements/", "engagement", (201, 403, 403, 403, 400)),
    (
        "engagement update",
        "patch",
        "/api/v1/engagements/{engagement}/",
        {"scope": "all"},
        (200, 403, 403, 403, 404),
    ),
    ("finding list", "get", "/api/v1/findings/", None, (200, 200, 200, 200, 200)),
    ("finding read", "get", "/api/v1/findings/{finding}/", None, (200, 200, 200, 200, 404)),
    ("finding create", "post", "/api/v1/findings/", "finding", (201, 403, 403, 403, 400)),
    (
        "finding update",
        "patch",
        "/api/v1/findings/{finding}/",
        {"conclusion": "ok"},
        (200, 403, 403, 403, 404),
    ),
    # evidence and custody
    ("evidence list", "get", "/api/v1/evidence/", None, (200, 200, 200, 200, 200)),
    ("evidence read", "get", "/api/v1/evidence/{evidence}/", None, (200, 200, 200, 200, 404)),
    (
        "evidence download",
        "get",
        "/api/v1/evidence/{evidence}/download/",
        None,
        (200, 200, 200, 200, 404),
    ),
    ("evidence create", "post", "/api/v1/evidence/", "evidence", (201, 403, 403, 403, 400)),
    (
        "evidence update",
        "patch",
        "/api/v1/evidence/{evidence}/",
        {"location": "safe"},
        (200, 403, 403, 403, 404),
    ),
    (
        "custody read",
        "get",
        "/api/v1/evidence/{evidence}/custody/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "custody append",
        "post",
        "/api/v1/evidence/{evidence}/custody/",
        {"at": "2022-06-01T10:00:00+09:00", "action": "stored"},
        (409, 403, 403, 403, 404),
    ),
    ("evidence file url", "get", "/files/{evidence_file}", None, (200, 200, 200, 200, 404)),
    # actions
    ("action list", "get", "/api/v1/actions/", None, (200, 200, 200, 200, 200)),
    ("action read", "get", "/api/v1/actions/{action}/", None, (200, 200, 200, 200, 404)),
    ("action create", "post", "/api/v1/actions/", "action", (201, 403, 403, 403, 400)),
    (
        "action update",
        "patch",
        "/api/v1/actions/{action}/",
        {"owner": "CISO"},
        (200, 403, 403, 403, 404),
    ),
    ("action delete", "delete", "/api/v1/actions/{action}/", None, (204, 403, 403, 403, 404)),
    # obligations (legal records filings)
    ("obligation list", "get", "/api/v1/obligations/", None, (200, 200, 200, 200, 200)),
    (
        "obligation read",
        "get",
        "/api/v1/obligations/{obligation}/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "obligation filing",
        "post",
        "/api/v1/obligations/{obligation}/file/",
        "filing",
        (403, 200, 403, 403, 403),
    ),
    (
        "obligation update",
        "patch",
        "/api/v1/obligations/{obligation}/",
        {"due_at": None},
        (403, 405, 403, 403, 403),
    ),
    # reports
    ("report list", "get", "/api/v1/reports/", None, (200, 200, 200, 200, 200)),
    ("report read", "get", "/api/v1/reports/{report}/", None, (200, 200, 200, 200, 404)),
    ("report request", "post", "/api/v1/reports/", "report", (202, 202, 403, 403, 400)),
    (
        "report download",
        "get",
        "/api/v1/reports/{report}/download/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "report submit",
        "post",
        "/api/v1/reports/{report}/submit/",
        "submission",
        (403, 200, 403, 403, 403),
    ),
    ("report delete", "delete", "/api/v1/reports/{report}/", None, (403, 403, 403, 403, 403)),
    ("report pdf url", "get", "/reports/{report}/pdf/", None, (200, 200, 200, 200, 404)),
    (
        "report history",
        "get",
        "/api/v1/reports/{report}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    # readiness of a document (#10): who may read reports; hidden answers as missing
    (
        "readiness",
        "get",
        "/api/v1/incidents/{incident}/readiness/?kind=ppc-final&language=ja",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "readiness, missing incident",
        "get",
        "/api/v1/incidents/999999/readiness/?kind=ppc-final&language=ja",
        None,
        (404,) * 5,
    ),
    # the notice to the people concerned as a plain-text e-mail body, and its sending
    (
        "report text",
        "get",
        "/api/v1/reports/{notice_report}/text/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "report text, kind without one",
        "get",
        "/api/v1/reports/{report}/text/",
        None,
        (404, 404, 404, 404, 404),
    ),
    ("report text, missing", "get", "/api/v1/reports/999999/text/", None, (404,) * 5),
    (
        "report sent",
        "post",
        "/api/v1/reports/{notice_report}/sent/",
        "sent",
        (403, 200, 403, 403, 403),
    ),
    (
        "report sent, missing",
        "post",
        "/api/v1/reports/999999/sent/",
        "sent",
        (403, 404, 403, 403, 403),
    ),
    # items that stayed unknown after the investigation (the 確報 states them with why)
    ("unresolved list", "get", "/api/v1/unresolved-items/", None, (200,) * 5),
    (
        "unresolved read",
        "get",
        "/api/v1/unresolved-items/{unresolved}/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "unresolved create",
        "post",
        "/api/v1/unresolved-items/",
        "unresolved",
        (201, 403, 403, 403, 400),
    ),
    (
        "unresolved update",
        "patch",
        "/api/v1/unresolved-items/{unresolved}/",
        {"reason_en": "No logs were kept"},
        (200, 403, 403, 403, 404),
    ),
    (
        "unresolved delete",
        "delete",
        "/api/v1/unresolved-items/{unresolved}/",
        None,
        (204, 403, 403, 403, 404),
    ),
    (
        "unresolved read, missing",
        "get",
        "/api/v1/unresolved-items/999999/",
        None,
        (404,) * 5,
    ),
    # notices to the people concerned (legal records them)
    ("individual notice list", "get", "/api/v1/individual-notices/", None, (200,) * 5),
    (
        "individual notice read",
        "get",
        "/api/v1/individual-notices/{notice}/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "individual notice create",
        "post",
        "/api/v1/individual-notices/",
        "individual notice",
        (403, 201, 403, 403, 403),
    ),
    (
        "individual notice delete",
        "delete",
        "/api/v1/individual-notices/{notice}/",
        None,
        (403,) * 5,
    ),
    # The admin: lists, add pages prefilled from the URL, change, history, delete.
    ("admin incident list", "get", "/admin/incidents/incident/", None, (200,) * 5),
    (
        "admin incident change",
        "get",
        "/admin/incidents/incident/{incident}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin incident history",
        "get",
        "/admin/incidents/incident/{incident}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin incident status move",
        "get",
        "/admin/incidents/incident/{incident}/status/",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin incident delete",
        "get",
        "/admin/incidents/incident/{incident}/delete/",
        None,
        (403, 403, 403, 403, 404),
    ),
    (
        "admin milestone add, prefilled",
        "get",
        "/admin/incidents/milestone/add/?incident={incident}&evidence={evidence}",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin milestone change",
        "get",
        "/admin/incidents/milestone/{milestone}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin milestone history",
        "get",
        "/admin/incidents/milestone/{milestone}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin milestone delete",
        "get",
        "/admin/incidents/milestone/{milestone}/delete/",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin evidence add, prefilled",
        "get",
        "/admin/incidents/evidence/add/?incident={incident}&corrects={evidence}",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin evidence change",
        "get",
        "/admin/incidents/evidence/{evidence}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin engagement change",
        "get",
        "/admin/incidents/engagement/{engagement}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin action change",
        "get",
        "/admin/incidents/action/{action}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin obligation change",
        "get",
        "/admin/incidents/obligation/{obligation}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin organization change",
        "get",
        "/admin/incidents/organization/{organization}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin milestone add, prefilled engagement",
        "get",
        "/admin/incidents/milestone/add/?engagement={engagement}",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin milestone add, prefilled with a missing incident",
        "get",
        "/admin/incidents/milestone/add/?incident=999999",
        None,
        (404,) * 5,
    ),
    (
        "admin action add, prefilled",
        "get",
        "/admin/incidents/action/add/?incident={incident}",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin incident add, prefilled members",
        "get",
        "/admin/incidents/incident/add/?members={committee}",
        None,
        (200, 403, 403, 403, 200),
    ),
    (
        "admin evidence history",
        "get",
        "/admin/incidents/evidence/{evidence}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin evidence delete",
        "get",
        "/admin/incidents/evidence/{evidence}/delete/",
        None,
        (403, 403, 403, 403, 404),
    ),
    (
        "admin engagement history",
        "get",
        "/admin/incidents/engagement/{engagement}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        # Its findings protect it: the committee may delete engagements, not this one (409).
        "admin engagement delete",
        "get",
        "/admin/incidents/engagement/{engagement}/delete/",
        None,
        (409, 403, 403, 403, 404),
    ),
    (
        "admin action delete",
        "get",
        "/admin/incidents/action/{action}/delete/",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin obligation history",
        "get",
        "/admin/incidents/obligation/{obligation}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin incident change, missing",
        "get",
        "/admin/incidents/incident/999999/change/",
        None,
        (404,) * 5,
    ),
    (
        "admin incident history, missing",
        "get",
        "/admin/incidents/incident/999999/history/",
        None,
        (404,) * 5,
    ),
    (
        "admin milestone delete, missing",
        "get",
        "/admin/incidents/milestone/999999/delete/",
        None,
        (404,) * 5,
    ),
    ("admin report list", "get", "/admin/reporting/report/", None, (200,) * 5),
    (
        "admin report change",
        "get",
        "/admin/reporting/report/{report}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin report history",
        "get",
        "/admin/reporting/report/{report}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin report pdf",
        "get",
        "/admin/reporting/report/{report}/pdf/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin report text",
        "get",
        "/admin/reporting/report/{notice_report}/text/",
        None,
        (200, 200, 200, 200, 404),
    ),
    ("admin report text, missing", "get", "/admin/reporting/report/999999/text/", None, (404,) * 5),
    (
        "admin readiness",
        "get",
        "/admin/incidents/incident/{incident}/readiness/?kind=ppc-final&language=ja",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin readiness, missing",
        "get",
        "/admin/incidents/incident/999999/readiness/?kind=ppc-final&language=ja",
        None,
        (404,) * 5,
    ),
    ("admin unresolved list", "get", "/admin/incidents/unresolveditem/", None, (200,) * 5),
    (
        "admin unresolved add, prefilled",
        "get",
        "/admin/incidents/unresolveditem/add/?incident={incident}",
        None,
        (200, 403, 403, 403, 404),
    ),
    (
        "admin unresolved change",
        "get",
        "/admin/incidents/unresolveditem/{unresolved}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin unresolved history",
        "get",
        "/admin/incidents/unresolveditem/{unresolved}/history/",
        None,
        (200, 200, 200, 200, 404),
    ),
    (
        "admin unresolved delete",
        "get",
        "/admin/incidents/unresolveditem/{unresolved}/delete/",
        None,
        (200, 403, 403, 403, 404),
    ),
    ("admin individual notice list", "get", "/admin/incidents/individualnotice/", None, (200,) * 5),
    (
        "admin individual notice add, prefilled",
        "get",
        "/admin/incidents/individualnotice/add/?incident={incident}",
        None,
        (403, 200, 403, 403, 404),
    ),
    (
        "admin individual notice change",
        "get",
        "/admin/incidents/individualnotice/{notice}/change/",
        None,
        (200, 200, 200, 200, 404),
    ),
    # Pages outside the admin.
    ("dashboard", "get", "/dashboard/", None, (200,) * 5),
    (
        "status page",
        "get",
        "/incidents/{reference}/?org={organization}",
        None,
        (200, 200, 200, 200, 404),
    ),
    ("calendar feed", "get", "/calendar/{calendar}.ics", None, (200,) * 5),
    ("calendar, wrong token", "get", "/calendar/not-a-token.ics", None, (404,) * 5),
]


@pytest.mark.parametrize(
    ("name", "method", "url", "body", "expected"), MATRIX, ids=[m[0] for m in MATRIX]
)
@pytest.mark.parametrize("who", PERSONAS)
def test_permission_matrix(persona, founding, who, name, method, url, body, expected):
    ids = objects(founding)
    ids["evidence_file"] = founding.evidence.get().file.name
    ids["reference"] = founding.reference
    ids["calendar"] = CalendarToken.issue(persona[who])
    ids["committee"] = persona["committee"].pk
    if isinstance(body, str):
        body = payloads(ids)[body]
    client = api_client(persona[who])
    if not url.startswith("/api/"):
        client.force_login(persona[who])
    target = url.format(**ids)
    if url.startswith("/api/"):
        response = getattr(client, method)(target, body, format="json")
    else:
        response = getattr(client, method)(target)
    status = expected[PERSONAS.index(who)]
    assert response.status_code == status, (who, name, getattr(response, "data", None))
    if status >= 400 and url.startswith("/api/"):
        assert set(response.json()["error"]) == {"status", "code", "message", "fields"}
    if status == 404 and url.startswith("/admin/"):
        # One page for a hidden row and a missing one: nothing tells them apart.
        missing = client.get("/admin/incidents/incident/999999/change/")
        assert response.content == missing.content, name
    if who == "outsider" and status < 300 and not url.startswith("/calendar/"):
        # Whatever the outsider may open shows nothing of the incident it is not on.
        text = response.content.decode(errors="replace")
        assert founding.title not in text and "D1 Seihan-P" not in text, name


@pytest.mark.parametrize("who", PERSONAS)
def test_lists_show_only_what_the_persona_may_see(persona, founding, who):
    client = api_client(persona[who])
    sees = who != "outsider"
    for url in [
        "/api/v1/incidents/",
        "/api/v1/milestones/",
        "/api/v1/engagements/",
        "/api/v1/findings/",
        "/api/v1/evidence/",
        "/api/v1/actions/",
        "/api/v1/organizations/",
    ]:
        body = client.get(url).json()
        assert (body["count"] > 0) is sees, url


def test_anonymous_gets_401_everywhere(founding):
    client = APIClient()
    for name, method, url, _body, _expected in MATRIX:
        if url.startswith("/api/v1/"):
            response = getattr(client, method)(
                url.format(
                    incident=founding.pk,
                    organization=1,
                    milestone=1,
                    engagement=1,
                    finding=1,
                    evidence=1,
                    action=1,
                    obligation=1,
                    report=1,
                    notice_report=1,
                    unresolved=1,
                    notice=1,
                ),
                {},
                format="json",
            )
            assert response.status_code in (401, 403), name
            assert (
                response.status_code == 401 or "credentials" in response.json()["error"]["message"]
            )
