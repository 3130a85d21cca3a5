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
