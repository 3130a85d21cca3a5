"""Every record of the case has its history in the API, as it has under "History" in the
admin: who changed what and when; a record one may not see answers 404 like a missing one."""

import pytest

from tests.helpers import api_client

LISTS = [
    "milestones",
    "engagements",
    "findings",
    "evidence",
    "actions",
    "obligations",
    "organizations",
]


@pytest.mark.parametrize("name", LISTS)
def test_each_record_has_its_history_and_hidden_is_missing(persona, founding, name):
    committee = api_client(persona["committee"])
    first = committee.get(f"/api/v1/{name}/").json()["results"][0]
    history = committee.get(f"/api/v1/{name}/{first['id']}/history/")
    assert history.status_code == 200, history.content
    entries = history.json()
    assert entries and entries[-1]["type"] == "created"

    outsider = api_client(persona["outsider"])
    hidden = outsider.get(f"/api/v1/{name}/{first['id']}/history/")
    missing = outsider.get(f"/api/v1/{name}/99999999/history/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_a_change_through_the_api_shows_who_made_it(persona, founding):
    committee = api_client(persona["committee"])
    milestone = founding.milestones.order_by("pk").first()
    response = committee.patch(
        f"/api/v1/milestones/{milestone.pk}/", {"detail_en": "Revised."}, format="json"
    )
    assert response.status_code == 200, response.content
    newest = committee.get(f"/api/v1/milestones/{milestone.pk}/history/").json()[0]
    assert newest["type"] == "changed"
    assert newest["user"] == "committee"
    assert "detail_en" in newest["changed"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/incidents/{id}/history/",
        "/api/v1/milestones/{id}/history/",
        "/api/v1/reports/{id}/history/",
        "/api/v1/evidence/{id}/custody/",
    ],
)
def test_history_and_custody_are_plain_lists_in_the_schema_as_in_responses(persona, founding, path):
    """The schema said these were paged objects (count, results) taking the list's filters."""
    from reporting import services as report_services

    legal = api_client(persona["legal"])
    schema = legal.get("/api/schema/?format=json").json()
    operation = schema["paths"][path]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["id"]
    declared = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert declared["type"] == "array"

    ids = {
        "incidents": founding.pk,
        "milestones": founding.milestones.first().pk,
        "reports": report_services.request_report(
            founding, "ppc-final", "ja", None, allow_gaps=True
        ).pk,
        "evidence": founding.evidence.first().pk,
    }
    answer = legal.get(path.format(id=ids[path.split("/")[3]]) + "?page=1")
    assert answer.status_code == 200
    assert isinstance(answer.json(), list) and answer.json()
