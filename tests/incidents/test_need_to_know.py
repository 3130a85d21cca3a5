"""Need-to-know in every admin form and widget: prefilled and posted foreign keys, raw-id
labels, selects and list filters see only visible rows; a hidden row answers as a
missing one."""

import re

import pytest
from django.urls import reverse

from incidents.models import Milestone

pytestmark = pytest.mark.django_db


def page_without_id(client, field, value):
    text = client.get(f"{reverse('admin:incidents_milestone_add')}?{field}={value}").text
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return text.replace(f"{field}={value}", "ID").replace(f'value="{value}"', 'value="ID"')


@pytest.mark.parametrize("field", ["evidence", "engagement", "finding"])
def test_prefilled_raw_id_shows_nothing_of_a_hidden_row(client, persona, founding, field):
    engagement = founding.engagements.get()
    row = {
        "evidence": founding.evidence.get(),
        "engagement": engagement,
        "finding": engagement.findings.first(),
    }[field]
    add = reverse("admin:incidents_milestone_add")
    client.force_login(persona["committee"])
    member = client.get(f"{add}?{field}={row.pk}").text
    assert str(row)[:20] in member  # a member sees the label of the row named
    client.force_login(persona["outsider"])
    hidden = page_without_id(client, field, row.pk)
    assert str(row)[:20] not in hidden
    assert hidden == page_without_id(client, field, 987654)


def test_posting_a_hidden_row_is_refused_like_a_missing_one(
    client, persona, founding, make_incident
):
    own = make_incident(members=[persona["outsider"]], title="自分の事案")
    engagement = founding.engagements.get()
    client.force_login(persona["outsider"])
    add = reverse("admin:incidents_milestone_add")
    data = {
        "incident": own.pk,
        "occurred_at_0": "2022-03-01",
        "occurred_at_1": "10:00",
        "kind": "other",
        "title": "x",
    }
    hidden = client.post(add, {**data, "engagement": engagement.pk})
    missing = client.post(add, {**data, "engagement": 987654})
    assert hidden.status_code == missing.status_code == 200  # the form again, with its error
    assert hidden.context["adminform"].form.errors == missing.context["adminform"].form.errors
    assert "engagement" in hidden.context["adminform"].form.errors
    assert engagement.vendor not in hidden.text
    assert not Milestone.objects.filter(incident=own).exists()


def test_selects_and_list_filters_offer_only_visible_rows(client, persona, founding, make_incident):
    make_incident(members=[persona["outsider"]], title="自分の事案")
    client.force_login(persona["outsider"])
    organization = founding.organization
    # The organization of a hidden incident is not offered on the incident form ...
    add = client.get(reverse("admin:incidents_incident_add")).text
    assert organization.name_ja not in add
    # ... and the incident select of a milestone (searched as one types) offers only the
    # outsider's own incident.
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "incidents", "model_name": "milestone", "field_name": "incident", "term": ""},
    ).json()["results"]
    offered = " ".join(row["text"] for row in found)
    assert "自分の事案" in offered and founding.title not in offered
    # The organization filter of the incident list names only organizations one may see.
    changelist = client.get(reverse("admin:incidents_incident_changelist")).text
    assert organization.name_ja not in changelist


def test_people_offered_are_the_team_and_those_on_ones_own_cases(
    client, persona, founding, make_user, make_incident
):
    """Users belong to no organization, only to roles and incidents: the members select
    offers the response team and the people on the cases one may see, nobody else."""
    stranger = make_user("stranger")  # staff in no role, only on a case the outsider is not on
    make_incident(members=[stranger])
    retired = make_user("retired", role="committee")
    founding.members.add(retired)
    retired.is_active = False
    retired.save()
    choices = {}
    for who in ["committee", "outsider"]:
        client.force_login(persona[who])
        page = client.get(reverse("admin:incidents_incident_add"))
        offered = page.context["adminform"].form.fields["members"].queryset
        choices[who] = set(offered.values_list("username", flat=True))
    team = {"committee", "legal", "executive", "auditor", "outsider"}
    assert choices["outsider"] == team  # no admin, no stranger, no one who left
    assert choices["committee"] == team | {"retired"}  # still shown on the case they were on


def test_a_hidden_person_is_refused_like_a_missing_one(persona, founding, make_user):
    from rest_framework.test import APIClient

    stranger = make_user("stranger")  # in no role and on no case
    api = APIClient()
    api.force_authenticate(persona["committee"])
    url = f"/api/v1/incidents/{founding.pk}/"
    hidden = api.patch(url, {"members": [stranger.pk]}, format="json")
    missing = api.patch(url, {"members": [987654]}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert re.sub(r"\d+", "N", hidden.text) == re.sub(r"\d+", "N", missing.text)
    assert not founding.members.filter(pk=stranger.pk).exists()
