"""Every list of the case filters by the records it names, and a filter is never ignored: an
id one may not see, or none at all, is refused like a missing one (400)."""

import pytest

from tests.helpers import api_client

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


@pytest.fixture
def committee(persona):
    client = api_client(persona["committee"])
    return client


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_milestones_filter_by_engagement_finding_and_evidence(committee, founding):
    engagement = founding.engagements.get()
    finding = engagement.findings.first()
    evidence = founding.evidence.first()
    engagement_rows = ids(committee.get(f"/api/v1/milestones/?engagement={engagement.pk}"))
    assert engagement_rows == set(engagement.milestones.values_list("pk", flat=True))
    assert engagement_rows != set(founding.milestones.values_list("pk", flat=True))
    assert ids(committee.get(f"/api/v1/milestones/?finding={finding.pk}")) == set(
        finding.milestones.values_list("pk", flat=True)
    )
    assert ids(committee.get(f"/api/v1/milestones/?evidence={evidence.pk}")) == set(
        evidence.milestones.values_list("pk", flat=True)
    )


def test_findings_filter_by_incident(committee, founding, make_incident, persona):
    other = make_incident(members=[persona["committee"]])
    assert ids(committee.get(f"/api/v1/findings/?incident={founding.pk}")) == set(
        founding.engagements.get().findings.values_list("pk", flat=True)
    )
    assert ids(committee.get(f"/api/v1/findings/?incident={other.pk}")) == set()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/milestones/?engagement=999999",
        "/api/v1/milestones/?finding=999999",
        "/api/v1/milestones/?evidence=999999",
        "/api/v1/findings/?incident=999999",
        "/api/v1/evidence/?corrects=999999",
    ],
)
def test_a_filter_naming_a_missing_row_is_refused_not_ignored(committee, founding, url):
    response = committee.get(url)
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {url.split("?")[1].split("=")[0]}
