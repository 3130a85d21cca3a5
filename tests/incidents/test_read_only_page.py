"""The incident's page as those who may only read it (an executive, an auditor): no field
asked only of those who change, no English label, no Python None, no button to a 403."""

import pytest

from tests.helpers import change_url, login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


@pytest.mark.parametrize("name", ["executive", "auditor"])
def test_the_case_tab_read_only_has_no_change_reason_nor_none(client, persona, founding, name):
    login(client, persona[name])
    page = client.get(change_url(founding, "case")).content.decode()
    assert "Change reason" not in page
    assert "事態を知った日時を変更する理由" not in page
    assert ">None<" not in page


def test_the_committee_is_still_asked_the_reason(client, persona, founding):
    login(client, persona["committee"])
    page = client.get(change_url(founding, "case")).content.decode()
    assert 'name="change_reason"' in page


@pytest.mark.parametrize("name", ["executive", "auditor", "legal"])
def test_no_status_button_for_who_may_not_move_it(client, persona, founding, name):
    login(client, persona[name])
    page = client.get(change_url(founding, "case")).content.decode()
    status_url = f"/admin/incidents/incident/{founding.pk}/status/"
    assert status_url not in page
    assert "ステータスを変更" not in page
    assert founding.get_status_display() in page  # the status itself is still shown
    assert client.get(status_url).status_code == 403


def test_the_committee_has_the_status_button(client, persona, founding):
    login(client, persona["committee"])
    page = client.get(change_url(founding, "case")).content.decode()
    assert f"/admin/incidents/incident/{founding.pk}/status/" in page
    assert "ステータスを変更" in page
