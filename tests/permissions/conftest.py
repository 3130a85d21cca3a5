"""Who may do what: one table per area, persona x page or endpoint x method -> status.

The tables: the API (every endpoint and action, and files: test_api.py), the admin (lists,
prefilled add pages, change, history, delete: test_admin.py), and the other pages (the
dashboard, the status page and the calendar: test_pages.py). Each runs its rows with
`check_row`; the API's also with `check_anonymous`. The rows' objects and bodies are made here.

The personas: a committee member, legal, an executive (members of the founding incident),
an auditor (every incident, read-only) and the outsider, a committee member who is not a
member of the incident. Need-to-know: what a persona may not see answers as a missing
object does (404 in the API, on pages and in the admin, prefilled add pages included),
never 403, which would confirm that it exists; what it may see but not change answers 403.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from incidents.models import CalendarToken, Evidence, IndividualNotice, UnresolvedItem
from tests.conftest import PERSONAS
from tests.helpers import api_client, ready_report


def objects(founding):
    evidence = founding.evidence.get()
    evidence.file.save("pc.log", SimpleUploadedFile("pc.log", b"log"), save=False)
    evidence.sha256, evidence.size = Evidence._digest(evidence.file)
    evidence.save()
    engagement = founding.engagements.get()
    report = ready_report(founding)
    notice_report = ready_report(founding, kind="individual-notice")
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


def payloads(ids):
    return {
        "report": {
            "incident": ids["incident"],
            "kind": "ppc-final",
            "language": "en",
            "allow_gaps": True,
        },
        "filing": {"at": "2022-03-01T10:00:00+09:00", "channel": "web_form"},
        # The founding case's documents are generated with gaps: recorded as such.
        "submission": {
            "submitted_to": "個人情報保護委員会",
            "obligation": ids["obligation"],
            "with_gaps": True,
        },
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
        "sent": {
            "sent_at": "2022-03-01T10:00:00+09:00",
            "channel": "email",
            "people_reached": 40,
            "with_gaps": True,
        },
    }


@pytest.fixture
def check_row(persona, founding):
    """`check_row(who, name, method, url, body, expected)`: one row of a table, as `who`."""

    def check(who, name, method, url, body, expected):
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

    return check


@pytest.fixture
def check_anonymous(founding):
    """`check_anonymous(table)`: every API row of the table refuses a request without
    credentials (401)."""

    def check(table):
        client = APIClient()
        for name, method, url, _body, _expected in table:
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
                    response.status_code == 401
                    or "credentials" in response.json()["error"]["message"]
                )

    return check
