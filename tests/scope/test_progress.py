"""Checking progress on the status page and the dashboard; public senders in the snapshot."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting import services as reporting_services
from scope import services
from scope.models import Asset, Check
from tests.conftest import jst
from tests.helpers import login

pytestmark = pytest.mark.django_db


def pcs(incident, results, *, day=17):
    """One PC per result; None = never checked."""
    assets = Asset.objects.bulk_create(
        Asset(incident=incident, kind="host", name=f"PC-{i:04d}") for i in range(len(results))
    )
    Check.objects.bulk_create(
        Check(asset=a, tool="EmoCheck", result=r, checked_at=jst(2022, 3, day, 9))
        for a, r in zip(assets, results, strict=True)
        if r
    )
    return assets


def test_status_page_shows_how_many_pcs_are_clean(client, persona, founding):
    assets = pcs(founding, ["clean"] * 298 + ["infected"] * 2)
    services.record_check(
        assets[0], user=None, tool="full scan", result="clean", checked_at=jst(2022, 3, 20, 9)
    )
    services.create_asset(
        incident=founding, user=None, kind="host", name="PC-retired", role="out_of_scope"
    )
    login(client, persona["executive"], "en")
    page = client.get(f"/incidents/{founding.reference}/")
    assert "Host (PC) checked: 298/300 clean, 2 infected; every one checked since 2022-03-17" in (
        page.text
    )


def test_unchecked_assets_are_not_counted_clean(client, persona, founding):
    pcs(founding, ["clean", None, "error"])
    services.create_asset(
        incident=founding, user=None, kind="mailbox", name="sales@example.jp", role="infected"
    )
    login(client, persona["legal"], "en")
    text = client.get(f"/incidents/{founding.reference}/").text
    assert "Host (PC) checked: 1/3 clean, 0 infected, 1 without result, 1 not yet checked" in text
    assert "Mailbox checked: 0/1 clean, 1 infected" in text
    assert "every one checked since" not in text


def test_a_pc_found_infected_then_checked_clean_counts_clean(client, persona, founding):
    """The latest check decides: "until all are clean" arrives by recording checks. The role
    stays infected, as the record of the asset's part in the incident."""
    pc = services.create_asset(incident=founding, user=None, kind="host", name="PC-0042")
    login(client, persona["executive"], "en")
    status = f"/incidents/{founding.reference}/"
    services.record_check(
        pc, user=None, tool="EmoCheck", result="infected", checked_at=jst(2022, 2, 4, 9)
    )
    assert "Host (PC) checked: 0/1 clean, 1 infected;" in client.get(status).text
    services.record_check(
        pc, user=None, tool="full scan", result="clean", checked_at=jst(2022, 3, 17, 9)
    )
    text = client.get(status).text
    assert "Host (PC) checked: 1/1 clean, 0 infected; every one checked since 2022-03-17" in text
    pc.refresh_from_db()
    assert pc.role == "infected"
    services.record_check(
        pc, user=None, tool="EmoCheck", result="error", checked_at=jst(2022, 3, 18, 9)
    )
    assert "Host (PC) checked: 0/1 clean, 0 infected, 1 without result" in (client.get(status).text)


def test_dashboard_lists_open_incidents_progress(client, persona, make_incident):
    member = persona["executive"]
    incident = make_incident(members=[member], title="Emotet 2026")
    pcs(incident, ["clean", "infected"])
    login(client, member, "en")
    page = client.get("/dashboard/")
    assert incident.reference in page.text
    assert (
        "Host (PC) checked: 1/2 clean, 1 infected; every one checked since 2022-03-17" in page.text
    )
    login(client, persona["outsider"], "en")
    assert incident.reference not in client.get("/dashboard/").text


def test_a_closed_incident_shows_its_final_scope(client, persona, founding):
    assert founding.status == "closed"
    pcs(founding, ["clean", "clean"])
    login(client, persona["legal"], "en")
    text = client.get(f"/incidents/{founding.reference}/").text
    assert "The incident is closed: its final scope, each asset by its latest check." in text
    assert "Host (PC) checked: 2/2 clean, 0 infected; every one checked since 2022-03-17" in text
    # The dashboard follows open incidents: none has assets, and it says so.
    page = client.get("/dashboard/").text
    assert 'id="scope"' in page
    assert "No open incident has assets recorded." in page
    assert "Host (PC) checked" not in page


def test_dashboard_says_when_no_open_incident_has_assets(client, persona, make_incident):
    incident = make_incident(members=[persona["executive"]])
    login(client, persona["executive"], "en")
    assert "No open incident has assets recorded." in client.get("/dashboard/").text
    pcs(incident, ["clean"])
    page = client.get("/dashboard/").text
    assert "No open incident has assets recorded." not in page
    assert "Host (PC) checked: 1/1 clean, 0 infected" in page
    login(client, persona["outsider"], "en")  # sees no incident: the empty state, nothing of it
    page = client.get("/dashboard/").text
    assert "No open incident has assets recorded." in page
    assert "Host (PC) checked" not in page


def count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_progress_costs_the_same_queries_for_3_and_300_assets(client, persona, make_incident):
    member = persona["executive"]
    small = make_incident(members=[member])
    large = make_incident(members=[member])
    pcs(small, ["clean"] * 3)
    login(client, member, "en")
    client.get("/dashboard/")
    before = [count(client, "/dashboard/"), count(client, f"/incidents/{small.reference}/")]
    pcs(large, ["clean"] * 300)
    after = [count(client, "/dashboard/"), count(client, f"/incidents/{large.reference}/")]
    assert before == after


def test_public_spoofed_senders_go_into_the_report_snapshot(
    persona, founding, django_capture_on_commit_callbacks
):
    services.create_indicator(
        incident=founding,
        user=None,
        type="email-sender",
        value="Info@Spoofed.Example",
        tlp="clear",
        public=True,
    )
    services.create_indicator(
        incident=founding, user=None, type="email-sender", value="hidden@spoofed.example"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = reporting_services.request_report(
            founding, "public-final", "ja", persona["committee"], allow_gaps=True
        )
    report.refresh_from_db()
    assert [s["address"] for s in report.snapshot["spoofed_senders"]] == ["info@spoofed.example"]
    # The legitimate list is unchanged: a spoofed address is never listed as the company's.
    assert "info@spoofed.example" not in [
        s["address"] for s in report.snapshot["organization"]["sender_addresses"]
    ]
