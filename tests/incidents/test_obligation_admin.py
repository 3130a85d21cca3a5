"""The legal clocks in the admin: inline on the incident, a changelist, the filing page."""

import pytest
from django.urls import reverse

from incidents.choices import FilingChannel, ObligationState
from incidents.models import Obligation
from tests.conftest import jst
from tests.helpers import change_url, count_queries, login

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

READERS = ["committee", "legal", "executive", "auditor"]


CHANGELIST = reverse("admin:incidents_obligation_changelist")


@pytest.mark.parametrize("name", READERS)
def test_the_incident_shows_its_clocks_in_its_zone(client, persona, founding, name):
    login(client, persona[name], "en")
    page = client.get(change_url(founding, tab="clocks"))
    assert page.status_code == 200
    assert "Final report to the PPC" in page.text
    assert "2022-04-04 23:59 JST" in page.text
    assert "taisaku-state-overdue" in page.text  # red: the final report's date has passed
    assert "taisaku-state-fulfilled" in page.text
    assert "2022-02-03 15:00 JST, Web form" in page.text
    assert "No fixed date" in page.text  # notice to the individuals


@pytest.mark.parametrize("name", READERS)
def test_changelist_sorted_by_due_time_with_a_state_filter(
    client, persona, founding, name, make_incident
):
    login(client, persona[name], "en")
    other = make_incident(
        members=[persona[n] for n in ["committee", "legal", "executive"]],
        aware_at=jst(2022, 1, 10, 9),
        wrongful_purpose=True,
    )
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    rows = [o.pk for o in page.context["cl"].result_list]
    dated = list(
        Obligation.objects.filter(incident__in=[founding, other], due_at__isnull=False)
        .order_by("due_at")
        .values_list("pk", flat=True)
    )
    assert rows[: len(dated)] == dated
    overdue = client.get(CHANGELIST, {"state": ObligationState.OVERDUE})
    assert {o.stage for o in overdue.context["cl"].result_list} == {"preliminary", "final"}
    fulfilled = client.get(CHANGELIST, {"state": ObligationState.FULFILLED})
    assert [o.incident_id for o in fulfilled.context["cl"].result_list] == [founding.pk]


def test_outsider_sees_no_obligations(client, persona, founding):
    login(client, persona["outsider"], "en")
    page = client.get(CHANGELIST)
    assert page.status_code == 200 and founding.reference not in page.text
    final = founding.obligations.get(stage="final")
    assert client.get(change_url(final)).status_code == 404  # as for a missing one
    history = reverse("admin:incidents_obligation_history", args=[final.pk])
    assert client.get(history).status_code == 404


def filing(**overrides):
    return {
        "fulfilled_at_0": "2022-04-01",
        "fulfilled_at_1": "16:30:00",
        "channel": FilingChannel.WEB_FORM,
        "authority_reference": "PPC-2022-0456",
        "filing_note": "",
        "reminders-TOTAL_FORMS": "0",
        "reminders-INITIAL_FORMS": "0",
        **overrides,
    }


def test_legal_records_the_final_filing_in_the_incidents_zone(client, persona, founding):
    legal = persona["legal"]
    login(client, legal, "en")
    final = founding.obligations.get(stage="final")
    page = client.get(change_url(final))
    assert 'name="fulfilled_at_0"' in page.text and "Record the filing" in page.text
    response = client.post(change_url(final), filing())
    assert response.status_code == 302, response.context["adminform"].form.errors
    final.refresh_from_db()
    assert final.fulfilled_at == jst(2022, 4, 1, 16, 30)  # entered in Tokyo time
    assert (final.channel, final.authority_reference) == ("web_form", "PPC-2022-0456")
    assert final.fulfilled_by == legal
    assert final.due_at is not None  # the computed columns are untouched


def test_filing_errors_are_form_errors(client, persona, founding):
    login(client, persona["legal"], "en")
    final = founding.obligations.get(stage="final")
    response = client.post(change_url(final), filing(fulfilled_at_0="2099-01-01"))
    assert response.status_code == 200
    assert "cannot be recorded in the future" in response.text
    response = client.post(change_url(final), filing(channel=""))
    assert response.status_code == 200
    final.refresh_from_db()
    assert final.fulfilled_at is None


@pytest.mark.parametrize("name", ["committee", "executive", "auditor"])
def test_only_legal_records_filings(client, persona, founding, name):
    login(client, persona[name], "en")
    final = founding.obligations.get(stage="final")
    page = client.get(change_url(final))
    assert page.status_code == 200 and 'name="fulfilled_at_0"' not in page.text
    assert client.post(change_url(final), filing()).status_code == 403
    final.refresh_from_db()
    assert final.fulfilled_at is None


def test_nobody_adds_or_deletes_obligations_by_hand(client, persona, founding):
    login(client, persona["admin"], "en")
    assert client.get(reverse("admin:incidents_obligation_add")).status_code == 403
    final = founding.obligations.get(stage="final")
    delete = reverse("admin:incidents_obligation_delete", args=[final.pk])
    assert client.get(delete).status_code == 403


def test_query_counts_do_not_grow_with_obligations(client, persona, make_incident):
    legal = persona["legal"]
    login(client, legal, "en")
    everything = ["appi", "gdpr", "uk-gdpr", "nis2", "sec", "hipaa"]
    small = make_incident(members=[legal], aware_at=jst(2024, 6, 3, 12), regimes=["appi"])
    big = make_incident(
        members=[legal], aware_at=jst(2024, 6, 3, 12), regimes=everything, sensitive_data=True
    )
    assert big.obligations.count() > 3 * small.obligations.count()
    count_queries(client, change_url(small))  # warm the content-type cache
    assert count_queries(client, change_url(small)) == count_queries(client, change_url(big))
    before = count_queries(client, CHANGELIST)
    for _ in range(10):
        make_incident(members=[legal], aware_at=jst(2024, 6, 3, 12), regimes=everything)
    assert count_queries(client, CHANGELIST) == before
    obligation = big.obligations.get(regime="gdpr", stage="authority")
    assert count_queries(client, change_url(obligation)) < 40


def test_the_submitted_report_is_shown_never_typed(client, persona, founding):
    """The report a filing names is set by submitting it; an id typed into the form (another
    incident's report, one that does not exist) is not taken, and a filing recorded again by
    hand keeps the report it names."""
    login(client, persona["legal"])
    final = founding.obligations.get(stage="final")
    Obligation.objects.filter(pk=final.pk).update(fulfilled_by_report_id=7)
    page = client.get(change_url(final))
    assert 'name="fulfilled_by_report_id"' not in page.text
    assert "/admin/reporting/report/7/change/" in page.text
    response = client.post(change_url(final), filing(fulfilled_by_report_id="99999"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    final.refresh_from_db()
    assert final.fulfilled_by_report_id == 7


def test_reminders_say_when_in_words_not_codes(client, persona, founding):
    from incidents.models import Reminder

    final = founding.obligations.get(stage="final")
    for offset in ("72h", "overdue"):
        Reminder.objects.create(obligation=final, offset=offset, outcome="sent")
    login(client, persona["legal"])
    text = client.get(change_url(final)).content.decode()
    assert "期限の72時間前" in text and "期限超過後" in text
    assert "overdue" not in text.replace("taisaku-state-overdue", "")
