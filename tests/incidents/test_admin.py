"""The committee's admin, as each persona sees it, in Japanese and English."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incidents import services
from incidents.choices import CustodyAction, EvidenceKind, IncidentStatus
from incidents.models import Action, CustodyEntry, Evidence, Incident, Milestone
from tests.conftest import jst
from tests.helpers import change_url, count_queries, login, management

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

READERS = ["committee", "legal", "executive", "auditor"]
LANGS = {"ja": "インシデント", "en": "Incidents"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", READERS)
def test_members_and_auditor_read_the_case_in_both_languages(client, persona, founding, name, lang):
    login(client, persona[name], lang)
    changelist = client.get(reverse("admin:incidents_incident_changelist"))
    assert changelist.status_code == 200
    assert founding.reference in changelist.text
    assert LANGS[lang] in changelist.text

    page = client.get(change_url(founding))
    assert page.status_code == 200
    assert founding.reference in page.text
    assert "監視体制のさらなる強化" in client.get(change_url(founding, "actions")).text
    page = client.get(change_url(founding, "timeline"))
    assert "所轄警察署に報告" in page.text  # a milestone inline row
    # Times are shown in the incident's zone (10:00 in Tokyo, not 01:00 UTC): an input
    # for the committee, text for readers.
    assert any(text in page.text for text in ['value="10:00:00"', "2022-02-03 10:00 JST"])
    # One format for date-times in both languages, with the incident's zone (the status
    # history's read-only times as much as the list's).
    assert "2022-02-03 11:00 JST" in page.text
    for other in ("a.m.", "p.m.", "2022年2月3日"):
        assert other not in page.text

    evidence = founding.evidence.get()
    page = client.get(change_url(evidence))
    assert page.status_code == 200
    assert "ネットワークから遮断して回収" in page.text  # custody chain
    history = client.get(reverse("admin:incidents_incident_history", args=[founding.pk]))
    assert history.status_code == 200


@pytest.mark.parametrize("lang", LANGS)
def test_outsider_is_kept_out(client, persona, founding, lang):
    login(client, persona["outsider"], lang)
    changelist = client.get(reverse("admin:incidents_incident_changelist"))
    assert changelist.status_code == 200
    assert founding.reference not in changelist.text
    evidence = founding.evidence.get()
    for obj in [founding, evidence, founding.milestones.first(), founding.actions.first()]:
        response = client.get(change_url(obj))
        assert response.status_code == 404, obj  # as for a missing one
        assert founding.title not in response.text
        missing = client.get(change_url(obj).replace(f"/{obj.pk}/", "/999999/"))
        assert missing.status_code == 404 and missing.text == response.text
    for name in ["incident", "evidence"]:
        obj = founding if name == "incident" else evidence
        assert (
            client.get(reverse(f"admin:incidents_{name}_history", args=[obj.pk])).status_code == 404
        )
    status = client.get(reverse("admin:incidents_incident_status", args=[founding.pk]))
    assert status.status_code == 404
    for model in ["milestone", "evidence", "action", "engagement", "organization"]:
        page = client.get(reverse(f"admin:incidents_{model}_changelist"))
        assert page.status_code == 200
        assert "D1 Seihan-P" not in page.text and "当該端末" not in page.text


def test_anonymous_and_non_staff_are_sent_to_login(client, founding, make_user):
    url = change_url(founding)
    assert client.get(url).url.startswith(reverse("admin:login"))
    client.force_login(make_user("nobody", is_staff=False) if False else _non_staff())
    assert client.get(url).url.startswith(reverse("admin:login"))


def _non_staff():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("plain", password="pw")


def test_readers_cannot_change(client, persona, founding):
    for name in ["legal", "executive", "auditor"]:
        login(client, persona[name])
        page = client.get(change_url(founding))
        assert 'name="_save"' not in page.text
        response = client.post(change_url(founding), {"title": "hijacked"})
        assert response.status_code == 403
    founding.refresh_from_db()
    assert founding.title != "hijacked"


def test_evidence_file_download_is_need_to_know(client, persona, founding):
    evidence = Evidence.objects.create(
        incident=founding,
        label="mail.eml",
        kind=EvidenceKind.MAIL,
        file=SimpleUploadedFile("mail.eml", b"Subject: invoice\n\nEmotet"),
    )
    url = evidence.file.url
    login(client, persona["legal"])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Subject: invoice\n\nEmotet"
    assert response["X-Checksum-SHA256"] == evidence.sha256
    assert "attachment" in response["Content-Disposition"]
    login(client, persona["outsider"])
    assert client.get(url).status_code == 404
    assert client.get(url.replace("mail.eml", "other.eml")).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


# The guarded status move -------------------------------------------------------------


def test_status_moves_through_the_guarded_page(client, persona, make_incident):
    committee = persona["committee"]
    incident = make_incident(committee)
    login(client, committee, "en")
    url = reverse("admin:incidents_incident_status", args=[incident.pk])
    page = client.get(url)
    select = re.search(r'<select name="to_status".*?</select>', page.text, re.S).group(0)
    options = re.findall(r'<option value="(\w+)"', select)
    assert options == ["contained", "investigating", "closed"]

    response = client.post(url, {"to_status": "contained", "note": "PC unplugged"}, follow=True)
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CONTAINED
    assert "is now “Contained”" in response.text
    change = incident.status_changes.get()
    assert (change.changed_by, change.note) == (committee, "PC unplugged")

    response = client.post(url, {"to_status": "detected"}, follow=True)
    assert response.status_code == 200
    assert "Choose one of the allowed statuses" in response.text
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CONTAINED


def test_a_stale_status_page_gets_a_message_not_a_500(client, persona, make_incident):
    committee = persona["committee"]
    incident = make_incident(committee)
    login(client, committee, "en")
    url = reverse("admin:incidents_incident_status", args=[incident.pk])
    services.change_status(incident, "closed", user=committee)  # someone else, meanwhile
    response = client.post(url, {"to_status": "contained"}, follow=True)
    assert response.status_code == 200
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED


def test_status_cannot_be_set_through_the_change_form(client, persona, founding):
    login(client, persona["committee"])
    page = client.get(change_url(founding))
    assert 'name="status"' not in page.text


def test_readers_cannot_move_the_status(client, persona, founding):
    login(client, persona["legal"], "en")
    url = reverse("admin:incidents_incident_status", args=[founding.pk])
    response = client.post(url, {"to_status": "investigating"})
    assert response.status_code == 403
    assert "You may not change the status" in response.text
    founding.refresh_from_db()
    assert founding.status == IncidentStatus.CLOSED


# Adding and editing ---------------------------------------------------------------------


def test_committee_adds_an_incident_and_gets_a_reference(client, persona, founding):
    committee = persona["committee"]
    login(client, committee, "en")
    data = {
        "organization": founding.organization.pk,
        "title_en": "Laptop lost on a train",
        "category": "loss_theft",
        "severity": "medium",
        "time_zone": "Asia/Tokyo",
        "aware_at_0": "2024-03-01",
        "aware_at_1": "09:30",
        "affected_count": "120",
        "affected_count_qualifier": "estimated",
        "publication_status": "not_decided",
        "contractor_involved": "unknown",
        "sensitive_data": "unknown",
        "financial_damage_risk": "unknown",
        "wrongful_purpose": "unknown",
        **management(),
    }
    response = client.post(reverse("admin:incidents_incident_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    incident = Incident.objects.get(title_en="Laptop lost on a train")
    assert incident.reference == "INC-2024-0001"
    assert incident.local(incident.aware_at).strftime("%Y-%m-%d %H:%M") == "2024-03-01 09:30"
    assert committee in incident.members.all()
    assert incident.history.count() >= 1


def test_bad_facts_are_form_errors(client, persona, founding):
    login(client, persona["committee"], "en")
    data = {
        "organization": founding.organization.pk,
        "title_en": "x",
        "category": "malware",
        "severity": "high",
        "time_zone": "Asia/Tokyo",
        "affected_count": "-3",
        "affected_count_qualifier": "exact",
        "publication_status": "not_decided",
        **management(),
    }
    response = client.post(reverse("admin:incidents_incident_add"), data)
    assert response.status_code == 200
    assert "affected_count" in response.context["adminform"].form.errors
    assert not Incident.objects.filter(title_en="x").exists()


def test_custody_entry_after_destruction_is_a_form_error(client, persona, founding):
    login(client, persona["committee"], "en")
    evidence = founding.evidence.get()
    before = CustodyEntry.objects.count()
    data = {
        "incident": founding.pk,
        "label": evidence.label,
        "kind": evidence.kind,
        "custody_entries-TOTAL_FORMS": "1",
        "custody_entries-INITIAL_FORMS": "0",
        "custody_entries-MIN_NUM_FORMS": "0",
        "custody_entries-MAX_NUM_FORMS": "1000",
        "custody_entries-0-at_0": "2022-06-01",
        "custody_entries-0-at_1": "10:00",
        "custody_entries-0-action": "transferred",
        "custody_entries-0-to_party": "someone",
    }
    response = client.post(change_url(evidence), data)
    assert response.status_code == 200
    assert "no custody entry can follow" in response.text
    assert CustodyEntry.objects.count() == before


def test_custody_entry_is_appended_through_the_admin(client, persona, make_incident):
    committee = persona["committee"]
    incident = make_incident(committee)
    evidence = Evidence.objects.create(incident=incident, label="USB", kind=EvidenceKind.DEVICE)
    login(client, committee, "en")
    data = {
        "incident": incident.pk,
        "label": "USB",
        "kind": "device",
        "custody_entries-TOTAL_FORMS": "1",
        "custody_entries-INITIAL_FORMS": "0",
        "custody_entries-MIN_NUM_FORMS": "0",
        "custody_entries-MAX_NUM_FORMS": "1000",
        "custody_entries-0-at_0": "2024-01-05",
        "custody_entries-0-at_1": "14:00",
        "custody_entries-0-action": "destroyed",
        "custody_entries-0-from_party": "IT",
    }
    response = client.post(change_url(evidence), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    entry = evidence.custody_entries.get()
    assert (entry.action, entry.recorded_by) == (CustodyAction.DESTROYED, committee)
    assert evidence.history.exists()


# Query counts do not grow with rows ------------------------------------------------------


def grow_case(incident, n):
    engagement = incident.engagements.create(vendor=f"Vendor {n}", requested_at=jst(2022, 2, 4))
    for i in range(n):
        finding = engagement.findings.create(reported_at=jst(2022, 4, 19), kind="network")
        evidence = Evidence.objects.create(incident=incident, label=f"item {n}-{i}", kind="log")
        services.record_custody(evidence, user=None, at=jst(2022, 2, 5), action="collected")
        services.record_custody(evidence, user=None, at=jst(2022, 5, 5), action="destroyed")
        Milestone.objects.create(
            incident=incident,
            occurred_at=jst(2022, 3, 1),
            kind="other",
            title=f"m{i}",
            engagement=engagement,
            finding=finding,
            evidence=evidence,
        )
        Action.objects.create(
            incident=incident, title=f"a{i}", category="technical", due_date=jst(2022, 1, 1).date()
        )
        incident.engagements.create(vendor=f"V{n}-{i}", requested_at=jst(2022, 2, 4))


@pytest.mark.parametrize("name", ["committee", "auditor"])
def test_change_page_queries_do_not_grow_with_rows(client, persona, make_incident, name):
    small = make_incident(members=[persona["committee"]])
    big = make_incident(members=[persona["committee"]])
    grow_case(small, 2)
    grow_case(big, 25)
    login(client, persona[name])
    assert count_queries(client, change_url(small)) == count_queries(client, change_url(big))


def test_changelists_queries_do_not_grow_with_rows(client, persona, make_incident):
    committee = persona["committee"]
    login(client, committee)
    urls = [
        reverse(f"admin:incidents_{m}_changelist")
        for m in ["incident", "milestone", "evidence", "action", "engagement"]
    ]
    first = make_incident(members=[committee])
    grow_case(first, 2)
    small = [count_queries(client, url) for url in urls]
    for _ in range(30):
        grow_case(make_incident(members=[committee]), 2)
    assert [count_queries(client, url) for url in urls] == small


def test_evidence_page_queries_do_not_grow_with_custody_entries(client, persona, make_incident):
    committee = persona["committee"]
    incident = make_incident(members=[committee])
    login(client, committee)
    items = []
    for n in (2, 30):
        evidence = Evidence.objects.create(incident=incident, label=f"disk {n}", kind="disk_image")
        for day in range(1, n + 1):
            services.record_custody(
                evidence, user=committee, at=jst(2022, 3, day % 28 + 1), action="stored"
            )
        items.append(evidence)
    assert count_queries(client, change_url(items[0])) == count_queries(
        client, change_url(items[1])
    )
