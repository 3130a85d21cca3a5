"""An incident's reports tab offers the documents of its regimes: the GDPR Art. 33
notification not for an APPI-only case, the PPC's not for a GDPR-only one; public
documents always."""

import pytest

from reporting.models import Report
from tests.helpers import change_url, login

pytestmark = pytest.mark.django_db


def readiness_kinds(client, incident) -> set[str]:
    page = client.get(change_url(incident, "reports")).content.decode()
    assert "/readiness/?kind=" in page  # the tab shows its documents
    return {
        kind
        for kind in ["ppc-preliminary", "ppc-final", "gdpr-art33", "public-notice", "public-final"]
        if f"/readiness/?kind={kind}&amp;" in page
    }


def test_an_appi_only_case_is_not_offered_the_gdpr_notification(client, persona, founding):
    founding.regimes = ["appi"]
    founding.save()
    login(client, persona["committee"])
    kinds = readiness_kinds(client, founding)
    assert "gdpr-art33" not in kinds
    assert {"ppc-preliminary", "ppc-final", "public-notice", "public-final"} <= kinds
    response = client.post(
        "/admin/incidents/incident/",
        {
            "action": "generate_report",
            "_selected_action": [founding.pk],
            "report_kind": "gdpr-art33",
            "report_language": "en",
            "allow_gaps": "on",
        },
        follow=True,
    )
    assert "適用される法令の文書ではありません" in response.content.decode()
    assert not Report.objects.exists()


def test_a_gdpr_only_case_is_offered_art33_and_not_the_ppc_reports(client, persona, founding):
    founding.regimes = ["gdpr"]
    founding.save()
    login(client, persona["committee"])
    kinds = readiness_kinds(client, founding)
    assert "gdpr-art33" in kinds and {"public-notice", "public-final"} <= kinds
    assert not kinds & {"ppc-preliminary", "ppc-final"}
