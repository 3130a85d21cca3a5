"""A history version's page is Japanese up to its breadcrumbs: the app's and the model's
own names, not "Incidents" or "Historical インシデント"."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.helpers import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


def breadcrumbs(page: str) -> list[str]:
    match = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.S)
    assert match, "no breadcrumbs"
    text = unescape(re.sub(r"<[^>]+>", " ", match.group(1)))
    return [" ".join(crumb.split()) for crumb in text.split("›")]


@pytest.mark.parametrize(
    ("which", "plural"),
    [("incident", "インシデント"), ("organization", "組織"), ("evidence", "証拠品")],
)
def test_history_version_breadcrumbs_are_japanese(client, persona, founding, which, plural):
    obj = {
        "incident": founding,
        "organization": founding.organization,
        "evidence": founding.evidence.first(),
    }[which]
    version = obj.history.order_by("history_id").first()
    login(client, persona["committee"])
    url = reverse(f"admin:incidents_{which}_simple_history", args=[obj.pk, version.history_id])
    response = client.get(url)
    assert response.status_code == 200
    crumbs = breadcrumbs(response.content.decode())
    del crumbs[3]  # the object's own name (a reference, a company's name)
    assert crumbs == ["ホーム", "インシデント対応", plural, "変更履歴", crumbs[4]]
    assert not re.search(r"[A-Za-z]", crumbs[4]), crumbs  # e.g. インシデントを表示
