"""Need-to-know in every admin form and widget: prefilled and posted foreign keys, raw-id
labels, selects and list filters see only visible rows; a hidden row answers as a
missing one."""

import re

import pytest
from django.urls import reverse

from incidents.models import Milestone

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


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
    own = make_incident(members=[persona["outsider"]], title="自分の事案")
    client.force_login(persona["outsider"])
    organization = founding.organization
    # The organization of a hidden incident is not offered on the incident form ...
    add = client.get(reverse("admin:incidents_incident_add")).text
    assert organization.name_ja not in add
    # ... and the incident select of a milestone (searchable) offers only the outsider's own.
    add = client.get(reverse("admin:incidents_milestone_add")).text
    assert founding.title not in add
    offered = client.get(
        "/admin/autocomplete/",
        {"app_label": "incidents", "model_name": "milestone", "field_name": "incident"},
    ).json()["results"]
    assert [row["text"] for row in offered] == [str(own)]
    # The organization filter of the incident list names only organizations one may see.
    changelist = client.get(reverse("admin:incidents_incident_changelist")).text
    assert organization.name_ja not in changelist
