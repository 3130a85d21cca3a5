"""The incident page organised for work: tabs, the timeline once (its latest entries, the
rest on its own list), searchable selects that follow need-to-know, no 600-option select."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from incidents.models import Milestone
from tests.conftest import jst
from tests.incidents.test_admin import change_url, login

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "/admin/autocomplete/"


def autocomplete(client, model, field, term="", app="incidents"):
    response = client.get(
        AUTOCOMPLETE, {"app_label": app, "model_name": model, "field_name": field, "term": term}
    )
    assert response.status_code == 200, response.content
    return {row["text"] for row in response.json()["results"]}


def test_each_part_of_the_case_has_its_own_tab(client, persona, founding):
    login(client, persona["committee"])
    page = client.get(change_url(founding)).content.decode()
    tabs = re.findall(r'<a href="#tab-(\w+)" data-tab', page)
    assert tabs == [
        "case",
        "facts",
        "timeline",
        "investigation",
        "evidence",
        "actions",
        "clocks",
        "reports",
        "scope",
    ]
    for section in ("timeline", "investigation", "evidence", "actions", "clocks", "reports"):
        assert f"tab-{section}" in page.split('class="taisaku-tabs"')[1], section
    assert ">事案<" in page and ">証拠品と保管<" in page  # labels in Japanese


def test_the_timeline_is_shown_once_its_latest_entries_editable(client, persona, founding):
    for day in range(1, 6):  # 15 milestones in all
        Milestone.objects.create(
            incident=founding, occurred_at=jst(2022, 8, day), kind="other", title=f"追加 {day}"
        )
    login(client, persona["committee"])
    page = client.get(change_url(founding)).content.decode()
    assert page.count('name="milestones-TOTAL_FORMS"') == 1
    assert 'name="milestones-INITIAL_FORMS" value="10"' in page
    assert 'value="追加 5"' in page  # the newest are the ones shown
    assert 'value="弊社内でマルウェア感染が原因と疑われる事象を確認"' not in page  # the oldest
    assert 'class="taisaku-timeline"' not in page  # no second, read-only copy
    whole = f"{reverse('admin:incidents_milestone_changelist')}?incident__id__exact={founding.pk}"
    assert whole.replace("&", "&amp;") in page or whole in page
    listing = client.get(whole)
    assert listing.status_code == 200
    assert "弊社内でマルウェア感染が原因と疑われる事象を確認" in listing.content.decode()


def form_as_posted(html: str, form_id: str = "incident_form") -> dict:
    """The fields a browser would post from the form, as they are on the page."""

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self.inside, self.select, self.textarea = {}, False, None, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.inside = a.get("id") == form_id
            if not self.inside or "name" not in a and tag != "option":
                return
            if tag == "input" and a.get("type") not in ("submit", "button", "file"):
                if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                    return
                default = "on" if a.get("type") in ("checkbox", "radio") else ""
                self.data.setdefault(a["name"], []).append(a.get("value", default))
            elif tag == "select":
                self.select = a["name"]
            elif tag == "option" and self.select and "selected" in a:
                self.data.setdefault(self.select, []).append(a.get("value", ""))
            elif tag == "textarea":
                self.textarea = a["name"]
                self.data[self.textarea] = [""]

        def handle_data(self, data):
            if self.textarea:
                self.data[self.textarea][0] += data

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea":
                if self.textarea:
                    self.data[self.textarea][0] = self.data[self.textarea][0].removeprefix("\n")
                self.textarea = None
            elif tag == "form":
                self.inside = False

    reader = Reader()
    reader.feed(html)
    return {k: v if len(v) > 1 else v[0] for k, v in reader.data.items()}


def test_saving_the_page_keeps_the_milestones_not_shown(client, persona, founding):
    for day in range(1, 6):  # 15 in all, 10 shown
        Milestone.objects.create(
            incident=founding, occurred_at=jst(2022, 8, day), kind="other", title=f"追加 {day}"
        )
    login(client, persona["committee"])
    data = form_as_posted(client.get(change_url(founding)).content.decode())
    data |= {"milestones-TOTAL_FORMS": "11", "milestones-10-incident": str(founding.pk)}
    data |= {
        "milestones-10-occurred_at_0": "2022-09-01",
        "milestones-10-occurred_at_1": "10:00",
        "milestones-10-kind": "other",
        "milestones-10-title_ja": "新しい記録",
        "_continue": "1",
    }
    response = client.post(change_url(founding), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    titles = set(founding.milestones.values_list("title_ja", flat=True))
    assert len(titles) == 16 and "新しい記録" in titles
    assert "弊社内でマルウェア感染が原因と疑われる事象を確認" in titles  # not shown, kept


def test_the_time_zone_is_a_searchable_box_not_a_600_option_select(client, persona, founding):
    login(client, persona["committee"])
    page = client.get(change_url(founding)).content.decode()
    assert '<select name="time_zone"' not in page
    assert re.search(r'<input[^>]+name="time_zone"[^>]+list="taisaku-time-zones"', page)
    assert '<option value="Europe/Berlin">' in page


def test_an_unknown_time_zone_is_refused_on_the_add_page(client, persona):
    login(client, persona["committee"], "en")
    response = client.post(
        reverse("admin:incidents_incident_add"),
        {"title": "x", "category": "malware", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 200
    assert "not a known time zone" in str(response.context["adminform"].form.errors["time_zone"])


@pytest.mark.parametrize(
    ("model", "field", "visible_text", "app"),
    [
        ("milestone", "evidence", "PC-01", "incidents"),
        ("milestone", "engagement", "調査", "incidents"),
        ("milestone", "incident", "INC-2022-0001", "incidents"),
        ("action", "incident", "INC-2022-0001", "incidents"),
        ("asset", "incident", "INC-2022-0001", "scope"),
    ],
)
def test_searchable_selects_offer_only_what_the_user_may_see(
    client, persona, founding, make_incident, model, field, visible_text, app
):
    own = make_incident(members=[persona["outsider"]], title="部外者自身の事案")
    client.force_login(persona["committee"])  # a member of the founding case
    member = autocomplete(client, model, field, app=app)
    assert any(visible_text in text for text in member), member
    client.force_login(persona["outsider"])  # the same role, not a member
    outsider = autocomplete(client, model, field, app=app)
    assert not any(visible_text in text for text in outsider), outsider
    assert not any("INC-2022-0001" in text for text in outsider)
    if field == "incident":
        assert any(own.reference in text for text in outsider)
    # Searching for it by name finds nothing either.
    assert not any(
        visible_text in text
        for text in autocomplete(client, model, field, term=visible_text[:4], app=app)
    )


def test_the_milestone_page_has_searchable_selects_not_raw_ids(client, persona, founding):
    login(client, persona["committee"])
    milestone = founding.milestones.first()
    page = client.get(change_url(milestone)).content.decode()
    assert "vForeignKeyRawIdAdminField" not in page
    for field in ("incident", "engagement", "finding", "evidence", "obligation"):
        assert re.search(rf'<select name="{field}"[^>]+admin-autocomplete', page), field


@pytest.mark.parametrize("zone", ["America", "Foo", "Factory", "right/Asia/Tokyo"])
def test_an_unknown_time_zone_is_refused_on_the_change_page(client, persona, founding, zone):
    """The page is drawn again with the error (its summary box included), never a 500, and
    the incident keeps its zone."""
    login(client, persona["committee"], "en")
    data = form_as_posted(client.get(change_url(founding)).content.decode())
    response = client.post(change_url(founding), data | {"time_zone": zone, "_continue": "1"})
    assert response.status_code == 200
    assert "not a known time zone" in str(response.context["adminform"].form.errors["time_zone"])
    founding.refresh_from_db()
    assert founding.time_zone == "Asia/Tokyo"
