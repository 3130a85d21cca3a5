"""Issue #10, new-user review: a document of another regime, back-dated unresolved items,
a notice sent before its date, readiness's query and output, the command's messages."""

import pytest
from django.core.management import CommandError, call_command

from incidents.models import Incident
from reporting.models import Report

from ..helpers import api_client, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_user):
    return make_user("member", role="legal")


@pytest.fixture
def appi_only(make_incident, member):
    from ..conftest import jst

    return make_incident(
        user=member,
        members=[member],
        summary="業務用パソコン1台がマルウェアに感染した。",
        occurred_at=jst(2022, 2, 1, 9),
        detected_at=jst(2022, 2, 3, 10),
        aware_at=jst(2022, 2, 3, 10),
    )


# 1. A document of another regime ------------------------------------------------------------


def test_no_gdpr_notification_for_an_appi_only_case_through_any_door(
    appi_only, member, client, english
):
    assert appi_only.regimes == ["appi"]
    api = api_client(member, "en")
    asked = api.post(
        "/api/v1/reports/",
        {"incident": appi_only.pk, "kind": "gdpr-art33", "language": "en", "allow_gaps": True},
        format="json",
    )
    assert asked.status_code == 400, asked.content
    assert "not a document of this incident's regimes" in asked.json()["error"]["fields"]["kind"][0]
    checked = api.get(
        f"/api/v1/incidents/{appi_only.pk}/readiness/", {"kind": "gdpr-art33", "language": "en"}
    )
    assert checked.status_code == 400
    refused = checked.json()["error"]["fields"]["kind"][0]
    assert "not a document of this incident's regimes" in refused
    for options in ({"allow_gaps": True}, {"check": True}):
        with pytest.raises(CommandError, match="--kind: .*not a document of this incident's"):
            call_command(
                "generate_report", appi_only.reference, kind="gdpr-art33", lang="en", **options
            )
    login(client, member, "en")
    member.user_permissions.add(*_perms("add_report", "view_report"))
    page = client.post(
        "/admin/incidents/incident/",
        {
            "action": "generate_report",
            "_selected_action": [appi_only.pk],
            "report_kind": "gdpr-art33",
            "report_language": "en",
            "allow_gaps": "on",
        },
        follow=True,
    )
    assert "not a document of this incident&#x27;s regimes" in page.content.decode()
    assert not Report.objects.exists()
    # The PPC's documents still are its documents.
    ok = api.get(
        f"/api/v1/incidents/{appi_only.pk}/readiness/", {"kind": "ppc-final", "language": "en"}
    )
    assert ok.status_code == 200
    # Once the case is under the GDPR too, Art. 33 is one of its documents.
    Incident.objects.filter(pk=appi_only.pk).update(regimes=["appi", "gdpr"])
    assert (
        api.get(
            f"/api/v1/incidents/{appi_only.pk}/readiness/",
            {"kind": "gdpr-art33", "language": "en"},
        ).status_code
        == 200
    )


def _perms(*codenames):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="reporting", codename__in=codenames)
