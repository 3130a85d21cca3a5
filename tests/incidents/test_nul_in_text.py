"""A NUL character in a text is refused with a message that says so, under the field's name
(Django's own Japanese catalog says "enter some text", which sends a person looking for an
empty field)."""

import pytest
from rest_framework.test import APIClient

from incidents.models import Milestone


@pytest.mark.parametrize("field", ["title", "title_ja", "detail", "detail_en"])
def test_a_nul_in_a_narrative_is_refused_under_its_field(persona, founding, field):
    client = APIClient()
    client.force_authenticate(persona["committee"])
    before = Milestone.objects.count()
    body = {
        "incident": founding.pk,
        "occurred_at": "2022-02-09T10:00:00+09:00",
        "kind": "other",
        "title_ja": "追記",
        field: "a\x00b",
    }
    response = client.post("/api/v1/milestones/", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {field: ["NUL文字は使用できません。"]}
    assert Milestone.objects.count() == before


def test_the_admin_form_says_the_same(client, persona, founding):
    client.force_login(persona["committee"])
    response = client.post(
        "/admin/incidents/milestone/add/",
        {
            "incident": founding.pk,
            "occurred_at_0": "2022-02-09",
            "occurred_at_1": "10:00:00",
            "kind": "other",
            "title_ja": "a\x00b",
        },
    )
    assert response.status_code == 200
    assert "NUL文字は使用できません。" in response.content.decode()
