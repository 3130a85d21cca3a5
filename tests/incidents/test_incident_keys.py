"""An incident is named by its id or its reference (INC-2022-0001, in capitals or not)
everywhere the API takes one: every list's incident filter, the incident list's `reference`
filter, and every body that names the incident. One the user may not see is answered
exactly as one that does not exist."""

from datetime import UTC, datetime

import pytest

from incidents.models import Action, Milestone
from scope.models import Asset, Indicator
from tests.helpers import api_client, login

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

# Every list that filters by incident (the FilterSets of incidents, reporting and scope).
LISTS = [
    "milestones",
    "individual-notices",
    "unresolved-items",
    "engagements",
    "evidence",
    "findings",
    "actions",
    "obligations",
    "reports",
    "assets",
    "checks",
    "indicators",
]


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def other(make_incident, persona):
    """A second incident the committee sees, with rows of its own on the lists."""
    incident = make_incident(members=[persona["committee"]], title="別の事案")
    Milestone.objects.create(
        incident=incident,
        kind="other",
        title="別の出来事",
        occurred_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    Action.objects.create(incident=incident, title="別の対策", category="technical")
    Asset.objects.create(incident=incident, kind="host", name="other-pc")
    return incident


@pytest.mark.parametrize("name", LISTS)
def test_every_incident_filter_takes_the_reference_as_the_id(api, founding, other, name):
    committee = api("committee")
    by_id = ids(committee.get(f"/api/v1/{name}/?incident={founding.pk}"))
    assert ids(committee.get(f"/api/v1/{name}/?incident={founding.reference}")) == by_id
    assert ids(committee.get(f"/api/v1/{name}/?incident={founding.reference.lower()}")) == by_id
    assert ids(committee.get(f"/api/v1/{name}/?incident={other.reference}")) == ids(
        committee.get(f"/api/v1/{name}/?incident={other.pk}")
    )


@pytest.mark.parametrize("name", ["milestones", "actions", "assets"])
def test_a_reference_filter_lists_only_that_incidents_rows(api, founding, other, name):
    Asset.objects.create(incident=founding, kind="host", name="pc-1")  # it has none of its own
    committee = api("committee")
    everything = set(ids(committee.get(f"/api/v1/{name}/?page_size=500")))
    mine = set(ids(committee.get(f"/api/v1/{name}/?incident={founding.reference}&page_size=500")))
    theirs = set(ids(committee.get(f"/api/v1/{name}/?incident={other.reference}&page_size=500")))
    assert mine and theirs
    assert mine.isdisjoint(theirs)
    assert mine | theirs == everything


@pytest.mark.parametrize("name", LISTS)
def test_a_hidden_or_unknown_reference_is_refused_as_an_unknown_id(persona, founding, name):
    outsider = api_client(persona["outsider"])
    unknown_id = outsider.get(f"/api/v1/{name}/?incident=999999")
    hidden_id = outsider.get(f"/api/v1/{name}/?incident={founding.pk}")
    hidden = outsider.get(f"/api/v1/{name}/?incident={founding.reference}")
    unknown = outsider.get(f"/api/v1/{name}/?incident=INC-1999-0001")
    malformed = outsider.get(f"/api/v1/{name}/?incident=%E4%BA%8B%E6%A1%88")
    assert unknown_id.status_code == 400
    assert list(unknown_id.json()["error"]["fields"]) == ["incident"]
    for response in (hidden_id, hidden, unknown, malformed):
        assert response.status_code == 400
        assert response.json() == unknown_id.json()


def test_the_incident_list_filters_by_reference(api, persona, founding, other):
    committee = api("committee")
    assert ids(committee.get(f"/api/v1/incidents/?reference={founding.reference}")) == [founding.pk]
    assert ids(committee.get(f"/api/v1/incidents/?reference={other.reference.lower()}")) == [
        other.pk
    ]
    assert ids(committee.get("/api/v1/incidents/?reference=INC-1999-0001")) == []
    outsider = api_client(persona["outsider"])
    assert ids(outsider.get(f"/api/v1/incidents/?reference={founding.reference}")) == []


# Bodies ------------------------------------------------------------------------------


def bodies(founding):
    """A row of each kind whose body names the incident, minus the incident itself."""
    asset = Asset.objects.get_or_create(incident=founding, kind="host", name="pc-1")[0]
    return {
        "milestones": {
            "kind": "other",
            "title": "管理番号で記録",
            "occurred_at": "2024-05-01T10:00:00+09:00",
        },
        "actions": {"title": "管理番号で登録した対策", "category": "technical"},
        "evidence": {"label": "by-reference.log", "kind": "log"},
        "engagements": {"vendor": "調査会社", "requested_at": "2024-05-01T10:00:00+09:00"},
        "unresolved-items": {"item": "cause", "reason_ja": "調査中のため"},
        "assets": {"kind": "host", "name": "by-reference-pc"},
        "indicators": {"type": "domain", "value": "by-reference.example", "assets": [asset.pk]},
    }


@pytest.mark.parametrize(
    "name",
    [
        "milestones",
        "actions",
        "evidence",
        "engagements",
        "unresolved-items",
        "assets",
        "indicators",
    ],
)
def test_a_body_names_the_incident_by_its_reference(api, founding, name):
    body = {**bodies(founding)[name], "incident": founding.reference.lower()}
    response = api("committee").post(f"/api/v1/{name}/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["incident"] == founding.pk
    assert response.json()["incident_reference"] == founding.reference
    listed = api("committee").get(f"/api/v1/{name}/?incident={founding.reference}&page_size=500")
    assert response.json()["id"] in ids(listed)


@pytest.mark.parametrize("name", ["milestones", "actions", "evidence", "assets", "indicators"])
def test_a_hidden_reference_in_a_body_is_refused_as_a_missing_one(
    api, persona, founding, make_incident, name
):
    # The outsider's own incident: the indicator's asset is theirs, only the incident differs.
    outsider = api_client(persona["outsider"])
    before = (Milestone.objects.count(), Action.objects.count(), Indicator.objects.count())
    answers = {}
    for key in (founding.reference, "INC-1999-0001", founding.pk, 999999):
        body = {**bodies(founding)[name], "incident": key}
        body.pop("assets", None)
        response = outsider.post(f"/api/v1/{name}/", body, format="json")
        assert response.status_code == 400, response.json()
        answers[key] = response.json()["error"]["fields"]["incident"]
    hidden, missing = answers[founding.reference], answers["INC-1999-0001"]
    assert hidden == [m.replace("INC-1999-0001", founding.reference) for m in missing]
    assert answers[founding.pk] == [m.replace("999999", str(founding.pk)) for m in answers[999999]]
    assert (Milestone.objects.count(), Action.objects.count(), Indicator.objects.count()) == before


def test_the_refusal_says_what_the_field_takes(api, founding, english):
    response = api("committee", "en").post(
        "/api/v1/actions/",
        {"incident": "NKK-2026-0001", "title": "x", "category": "technical"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["incident"] == [
        "No incident “NKK-2026-0001” (by id or reference) that you may see."
    ]
    japanese = api("committee", "ja").post(
        "/api/v1/actions/",
        {"incident": "NKK-2026-0001", "title": "x", "category": "technical"},
        format="json",
    )
    assert japanese.json()["error"]["fields"]["incident"] == [
        "IDまたは管理番号が「NKK-2026-0001」で、閲覧できるインシデントはありません。"
    ]
    wrong_type = api("committee", "en").post(
        "/api/v1/actions/",
        {"incident": [founding.pk], "title": "x", "category": "technical"},
        format="json",
    )
    assert wrong_type.status_code == 400
    assert wrong_type.json()["error"]["fields"]["incident"] == [
        "Give the incident's id or its reference, not list."
    ]


def test_times_without_an_offset_are_read_in_the_zone_of_the_incident_named_by_reference(
    api, persona, make_incident
):
    incident = make_incident(members=[persona["committee"]], time_zone="America/New_York")
    response = api("committee").post(
        "/api/v1/milestones/",
        {
            "incident": incident.reference,
            "kind": "other",
            "title": "現地時間",
            "occurred_at": "2024-05-01T10:00:00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    milestone = Milestone.objects.get(pk=response.json()["id"])
    assert milestone.occurred_at == datetime(2024, 5, 1, 14, 0, tzinfo=UTC)


def test_the_schema_says_an_incident_is_an_id_or_a_reference(api):
    schema = api("committee", "en").get("/api/schema/?format=json").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/milestones/"]["get"]["parameters"]}
    assert parameters["incident"]["schema"] == {"type": "string"}
    assert "reference" in parameters["incident"]["description"]
    incidents = {p["name"]: p for p in schema["paths"]["/api/v1/incidents/"]["get"]["parameters"]}
    assert incidents["reference"]["schema"] == {"type": "string"}
    request = schema["components"]["schemas"]["MilestoneRequest"]["properties"]["incident"]
    assert {"type": "integer"} in request["oneOf"] and {"type": "string"} in request["oneOf"]
    assert "reference" in request["description"]
    answer = schema["components"]["schemas"]["Milestone"]["properties"]
    assert answer["incident"]["type"] == "integer"
    assert answer["incident_reference"]["readOnly"] is True


# The scope admin's lists ---------------------------------------------------------------


@pytest.mark.parametrize("model", ["asset", "indicator"])
def test_the_scope_admin_lists_take_the_reference_too(
    client, persona, founding, other, make_incident, model
):
    Asset.objects.create(incident=founding, kind="host", name="founding-pc")
    Indicator.objects.create(incident=founding, type="domain", value="founding.example")
    Indicator.objects.create(incident=other, type="domain", value="other.example")
    login(client, persona["committee"], "en")
    url = f"/admin/scope/{model}/"
    by_id = client.get(f"{url}?incident={founding.pk}")
    by_reference = client.get(f"{url}?incident={founding.reference.lower()}")
    assert by_id.status_code == by_reference.status_code == 200
    shown = "founding-pc" if model == "asset" else "founding.example"
    hidden = "other-pc" if model == "asset" else "other.example"
    for response in (by_id, by_reference):
        assert shown in response.text and hidden not in response.text
        assert response.context["cl"].result_count == 1

    make_incident(members=[persona["outsider"]])  # theirs: the filter is offered to them
    login(client, persona["outsider"], "en")
    unknown = client.get(f"{url}?incident=INC-1999-0001")
    assert unknown.status_code == 302 and unknown.url.endswith("?e=1")
    refused = client.get(f"{url}?incident={founding.reference}")
    assert (refused.status_code, refused.url) == (unknown.status_code, unknown.url)


def test_a_report_is_requested_by_the_incidents_reference(api, persona, founding, make_incident):
    legal = api("legal", "en")
    body = {"kind": "ppc-final", "language": "ja", "allow_gaps": True}
    response = legal.post(
        "/api/v1/reports/", {**body, "incident": founding.reference.lower()}, format="json"
    )
    assert response.status_code == 202, response.json()
    assert response.json()["incident"] == founding.pk
    assert response.json()["incident_reference"] == founding.reference
    # Legal is no member of this one: its reference is refused as one that does not exist.
    hidden = make_incident(members=[persona["committee"]])
    refused = legal.post("/api/v1/reports/", {**body, "incident": hidden.reference}, format="json")
    unknown = legal.post("/api/v1/reports/", {**body, "incident": "INC-1999-0001"}, format="json")
    assert refused.status_code == unknown.status_code == 400
    assert refused.json()["error"]["fields"]["incident"] == [
        f"No incident “{hidden.reference}” (by id or reference) that you may see."
    ]
    assert unknown.json()["error"]["fields"]["incident"] == [
        "No incident “INC-1999-0001” (by id or reference) that you may see."
    ]
