"""Every narrative in Japanese and in English: admin, API and the founding case."""

import re

import pytest
from django.urls import reverse

from incidents.limits import NARRATIVE_MAX_LENGTH
from incidents.models import Action, Incident, Milestone, Organization
from incidents.narratives import NARRATIVES
from tests.helpers import login, management

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


def test_the_founding_case_carries_both_languages(founding):
    founding.refresh_from_db()
    models = {
        "organization": [founding.organization],
        "incident": [founding],
        "milestone": list(founding.milestones.all()),
        "engagement": list(founding.engagements.all()),
        "finding": [f for e in founding.engagements.all() for f in e.findings.all()],
        "action": list(founding.actions.all()),
    }
    filled = 0
    for name, rows in models.items():
        for row in rows:
            for field in NARRATIVES[name]:
                ja, en = getattr(row, f"{field}_ja") or "", getattr(row, f"{field}_en") or ""
                assert bool(ja) == bool(en), (name, field, ja, en)  # both or neither
                assert not JAPANESE.search(en), (name, field, en)
                filled += bool(ja)
    assert filled > 30
    assert "Emotet" in founding.summary_en and "Emotet" in founding.summary_ja
    assert founding.request_to_customers_en.startswith("Please check that the sender address")
    assert "メールごと削除" in founding.request_to_customers_ja
    assert "apologised" in founding.support_for_affected_en
    assert founding.milestones.get(kind="police_report").title_en == (
        "Reported to the local police station"
    )


def test_api_reads_and_writes_both_languages(api, founding):
    response = api("committee", "en").post(
        "/api/v1/incidents/",
        {
            "title_ja": "ノートPCの紛失",
            "title_en": "Laptop lost on a train",
            "summary_en": "A laptop was left on a train.",
            "request_to_customers_ja": "不審なメールは開かずに削除してください。",
            "request_to_customers_en": "Please delete suspicious e-mails unopened.",
            "category": "loss_theft",
            "organization": founding.organization_id,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    incident = Incident.objects.get(pk=response.json()["id"])
    assert (incident.title_ja, incident.title_en) == ("ノートPCの紛失", "Laptop lost on a train")
    assert incident.request_to_customers_en == "Please delete suspicious e-mails unopened."

    body = api("committee", "en").get(f"/api/v1/incidents/{incident.pk}/").json()
    assert body["title_ja"] == "ノートPCの紛失" and body["title_en"] == "Laptop lost on a train"
    assert body["summary_ja"] == ""  # not recorded in Japanese: empty, never the English
    assert body["summary_en"] == "A laptop was left on a train."
    assert body["title"] == "Laptop lost on a train"  # the plain name: the request's language
    assert api("committee", "ja").get(f"/api/v1/incidents/{incident.pk}/").json()["title"] == (
        "ノートPCの紛失"
    )

    response = api("committee", "en").patch(
        f"/api/v1/incidents/{incident.pk}/",
        {"summary_ja": "電車内にノートPCを置き忘れた。", "cause_en": "Carelessness."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    incident.refresh_from_db()
    assert incident.summary_ja == "電車内にノートPCを置き忘れた。"
    assert incident.summary_en == "A laptop was left on a train."
    assert incident.cause_en == "Carelessness." and not incident.cause_ja


def test_api_plain_name_writes_the_request_language(api, founding):
    response = api("committee", "en").post(
        "/api/v1/incidents/",
        {"title": "Only English", "category": "malware", "organization": founding.organization_id},
        format="json",
    )
    assert response.status_code == 201, response.json()
    incident = Incident.objects.get(pk=response.json()["id"])
    assert incident.title_en == "Only English" and not incident.title_ja


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title_en": "x" * 201}, "title_en"),
        ({"title_ja": "題", "summary_ja": "あ" * (NARRATIVE_MAX_LENGTH + 1)}, "summary_ja"),
        ({"title_ja": "題", "request_to_customers_en": "x" * (NARRATIVE_MAX_LENGTH + 1)}, None),
        ({"title_ja": "", "title_en": ""}, "title_ja"),
        ({"summary_en": "no title at all"}, "title_ja"),
    ],
)
def test_api_refuses_over_long_text_and_a_case_without_any_title(api, founding, body, field):
    field = field or next(iter(k for k in body if k != "title_ja"))
    response = api("committee", "en").post(
        "/api/v1/incidents/",
        {"category": "malware", "organization": founding.organization_id, **body},
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert Incident.objects.count() == 1


def test_api_milestones_and_actions_in_both_languages(api, founding):
    response = api("committee", "en").post(
        "/api/v1/milestones/",
        {
            "incident": founding.pk,
            "occurred_at": "2022-07-20T10:00:00+09:00",
            "kind": "other",
            "title_ja": "再発防止策の社内説明会",
            "title_en": "In-house briefing on the recurrence-prevention measures",
            "detail_en": "All staff attended.",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    milestone = Milestone.objects.get(pk=response.json()["id"])
    assert milestone.title_en.startswith("In-house briefing") and milestone.detail_ja in ("", None)
    assert response.json()["detail_ja"] == ""

    response = api("committee", "en").post(
        "/api/v1/actions/",
        {"incident": founding.pk, "category": "education", "title_en": "Phishing drill"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Action.objects.get(pk=response.json()["id"]).title_en == "Phishing drill"
    response = api("committee", "en").post(
        "/api/v1/actions/",
        {"incident": founding.pk, "category": "education", "title_ja": "", "title_en": ""},
        format="json",
    )
    assert response.status_code == 400
    assert "title_ja" in response.json()["error"]["fields"]


def test_schema_names_both_languages(api):
    schema = api("committee", "en").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    properties = schema["components"]["schemas"]["Incident"]["properties"]
    for field in ("title", "request_to_customers", "support_for_affected", "cause"):
        for language in ("ja", "en"):
            assert properties[f"{field}_{language}"]["type"] == "string"
            assert not properties[f"{field}_{language}"].get("nullable")
    assert properties["summary_en"]["maxLength"] == NARRATIVE_MAX_LENGTH


def test_admin_adds_and_changes_an_incident_in_both_languages(client, persona, founding):
    login(client, persona["committee"], "en")
    page = client.get(reverse("admin:incidents_incident_add"))
    form = page.context["adminform"].form
    for name in ("title_ja", "title_en", "request_to_customers_ja", "support_for_affected_en"):
        assert name in form.fields
    assert "title" not in form.fields
    data = {
        "organization": founding.organization.pk,
        "title_en": "Laptop lost on a train",
        "summary_ja": "電車内にノートPCを置き忘れた。",
        "summary_en": "A laptop was left on a train.",
        "category": "loss_theft",
        "severity": "medium",
        "time_zone": "Asia/Tokyo",
        "affected_count_qualifier": "unknown",
        "publication_status": "not_decided",
        "members": [persona["committee"].pk],
        **management(),
    }
    response = client.post(reverse("admin:incidents_incident_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    incident = Incident.objects.get(title_en="Laptop lost on a train")
    assert not incident.title_ja  # English only is enough
    assert incident.summary_ja == "電車内にノートPCを置き忘れた。"

    change = reverse("admin:incidents_incident_change", args=[incident.pk])
    response = client.post(change, {**data, "title_ja": "ノートPCの紛失"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    response = client.post(f"{change}?tab=facts", {**data, "cause_en": "Careless."})
    assert response.status_code == 302, response.context["adminform"].form.errors
    incident.refresh_from_db()
    assert (incident.title_ja, incident.title_en) == ("ノートPCの紛失", "Laptop lost on a train")
    assert incident.cause_en == "Careless."
    assert incident.history.first().title_ja == "ノートPCの紛失"  # the history keeps both

    response = client.post(change, {**data, "title_en": "", "title_ja": ""})
    assert response.status_code == 200
    assert "title_ja" in response.context["adminform"].form.errors


def test_admin_edits_the_organization_in_both_languages(client, persona, founding):
    login(client, persona["admin"], "ja")
    organization = founding.organization
    url = reverse("admin:incidents_organization_change", args=[organization.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None and not isinstance(value, list)
    }
    data |= {
        "default_regimes": list(organization.default_regimes),
        "address_ja": "東京都千代田区1-1",
        "address_en": "1-1 Chiyoda, Tokyo",
        "sender_addresses-TOTAL_FORMS": "0",
        "sender_addresses-INITIAL_FORMS": "0",
        "sender_addresses-MIN_NUM_FORMS": "0",
        "sender_addresses-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    organization = Organization.objects.get(pk=organization.pk)
    assert organization.address_en == "1-1 Chiyoda, Tokyo"
    assert organization.representative_title_en == "Representative Director"


def test_milestone_admin_offers_both_languages(client, persona, founding):
    login(client, persona["committee"], "en")
    milestone = founding.milestones.get(kind="police_report")
    page = client.get(reverse("admin:incidents_milestone_change", args=[milestone.pk]))
    form = page.context["adminform"].form
    assert form.initial["title_en"] == "Reported to the local police station"
    assert form.initial["title_ja"] == "所轄警察署に報告"
