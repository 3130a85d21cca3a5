"""What tests share besides fixtures: signing a persona in, admin URLs, a page's query count,
a report ready without rendering it.

Fixtures (personas, the founding case, factories) are in tests/conftest.py.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from incidents.models import Incident
from incidents.regimes import Facts, ObligationSpec, compute_obligations
from reporting.models import Report
from reporting.snapshot import build_snapshot


def login(client: Client, user, lang: str = "ja") -> Client:
    """The admin and the pages, as `user`, in `lang` (the language cookie)."""
    client.force_login(user)
    client.cookies["django_language"] = lang
    return client


def api_client(user, language: str | None = None) -> APIClient:
    """The API as `user`, in `language` (Accept-Language) when one is given."""
    client = APIClient()
    client.force_authenticate(user)
    if language:
        client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    return client


def change_url(obj: Model, tab: str | None = None) -> str:
    """The admin's change page of an incidents model's row; for an incident, the page of one
    of its tabs (?tab=...)."""
    url = reverse(f"admin:incidents_{obj._meta.model_name}_change", args=[obj.pk])
    return f"{url}?tab={tab}" if tab else url


# The inline forms of the incident's change page (each posts its management form).
INLINE_PREFIXES = ["milestones", "engagements", "evidence", "actions", "status_changes", "reports"]


def management(
    prefixes: list[str] = INLINE_PREFIXES, initial: dict[str, int] | None = None
) -> dict[str, str]:
    """The management forms of the incident page's inlines, for a POST of the page."""
    data: dict[str, str] = {}
    for prefix in prefixes:
        count = (initial or {}).get(prefix, 0)
        data |= {
            f"{prefix}-TOTAL_FORMS": str(count),
            f"{prefix}-INITIAL_FORMS": str(count),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


def count_queries(client: Client, url: str) -> int:
    """How many queries a page takes to answer (it must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def obligation(facts: Facts, regime: str, stage: str) -> ObligationSpec:
    """The one obligation the rules compute for `regime`'s `stage` from `facts`."""
    matches = [s for s in compute_obligations(facts) if (s.regime, s.stage) == (regime, stage)]
    assert len(matches) == 1, f"{regime}/{stage} not computed once"
    return matches[0]


def ready_report(incident: Incident, kind: str = "ppc-final") -> Report:
    """A ready report of `kind` (a stand-in PDF, not rendered), version 1, in Japanese."""
    content = b"%PDF-1.4 test"
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
