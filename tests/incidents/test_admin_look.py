"""How the admin writes what it shows, the same on every page: one format for date-times
(with the zone) in both languages, in each row's incident zone on lists."""

import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from incidents.models import Incident, Milestone, Organization
from tests.helpers import change_url, login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

# Anything that looks like a date with a time, in any of the styles Django writes.
DATETIME = re.compile(
    r"\d{4}-\d\d-\d\d[ T]\d\d?:\d\d(?::\d\d)?(?: [A-Z]{2,5}| [+-]\d\d(?:\d\d)?)?"
    r"|\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d\d"
    r"|[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}, (?:\d{1,2}(?::\d\d)? ?[ap]\.m\.|noon|midnight)"
)
# The admin's one format: 2022-02-03 10:00 JST.
ONE = re.compile(
    r"\d{4}-\d\d-\d\d \d\d:\d\d [A-Z]{2,5}|\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d\d(?:\d\d)?"
)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_date_time_of_the_admin_is_written_one_way(client, persona, founding, lang):
    login(client, persona["admin"], lang)
    milestone = founding.milestones.order_by("occurred_at").first()
    evidence = founding.evidence.get()
    pages = [
        reverse("admin:incidents_incident_changelist"),
        reverse("admin:incidents_milestone_changelist"),
        reverse("admin:incidents_evidence_changelist"),
        reverse("admin:incidents_obligation_changelist"),
        reverse("admin:incidents_engagement_changelist"),
        reverse("admin:incidents_incident_history", args=[founding.pk]),
        reverse("admin:axes_accesslog_changelist"),
        change_url(founding, "timeline"),  # status history: read-only times
        change_url(founding, "clocks"),
        change_url(founding, "case"),  # the record's created/updated times
        change_url(milestone),
        change_url(evidence),  # the chain of custody, read-only
    ]
    seen = 0
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = strip_tags(response.text)
        shown = DATETIME.findall(text)
        others = [found for found in shown if not ONE.fullmatch(found)]
        assert not others, f"{url}: {others} in …{text[text.find(others[0]) - 80 :][:160]!r}"
        seen += len(shown)
    assert seen > 50  # the pages do show times
    # The founding case's first milestone at 10:00 in Tokyo, on its list and its page.
    assert (
        "2022-02-03 10:00 JST" in client.get(reverse("admin:incidents_milestone_changelist")).text
    )


def test_a_list_shows_each_row_in_its_incidents_zone(client, persona, founding):
    """A list holds cases of several zones: each row's time is its incident's."""
    berlin = Incident.objects.create(
        organization=founding.organization,
        title="Berlin case",
        category=founding.category,
        time_zone="Europe/Berlin",
        aware_at=founding.aware_at,
    )
    berlin.members.add(persona["committee"])
    Milestone.objects.create(
        incident=berlin,
        occurred_at=founding.aware_at,  # 2022-02-03 01:00 UTC
        kind="other",
        title="Berlin milestone",
    )
    login(client, persona["committee"], "en")
    page = client.get(reverse("admin:incidents_milestone_changelist") + "?q=Berlin").text
    assert "2022-02-03 02:00 CET" in page
    assert founding.aware_at.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).hour == 10
    assert 'class="field-occurred_at' in page  # the column keeps its field's name


def test_the_incident_list_names_the_organization_by_its_reference(client, persona, founding):
    """Beside the navigation sidebar at 1280 px the title needs the width: no organization
    column; the reference starts with the organization's code and the filters name them."""
    other = Organization.objects.create(name_ja="別会社", name_en="Other Co.", code="OTHER")
    second = Incident.objects.create(
        organization=other, title="別会社の事案", category=founding.category, time_zone="Asia/Tokyo"
    )
    login(client, persona["admin"], "ja")
    page = client.get(reverse("admin:incidents_incident_changelist")).text
    assert second.reference.startswith("OTHER-") and second.reference in page
    assert 'class="field-organization' not in page
    assert "別会社" in page  # in the organization filter
