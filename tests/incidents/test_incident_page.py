"""The incident page organised for work: tabs, the timeline once (its latest entries, the
rest on its own list), searchable selects that follow need-to-know, no 600-option select."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from incidents.models import CustodyEntry, Finding, Milestone
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


TABS = ["case", "facts", "timeline", "investigation", "evidence", "actions", "clocks"]
TABS += ["reports", "scope"]


def test_each_part_of_the_case_has_its_own_tab(client, persona, founding):
    login(client, persona["committee"])
    page = client.get(change_url(founding)).content.decode()
    tabs = re.findall(r'<a href="\?tab=(\w+)" data-tab', page)
    assert tabs == TABS
    assert ">基本情報<" in page and ">証拠品と保管<" in page  # labels in Japanese
    # The page opens on the case's facts: no row of the other tabs is rendered.
    assert 'data-tab="case" class="active" aria-current="page"' in page
    assert 'name="title_ja"' in page
    for group in ("milestones", "engagements", "evidence", "actions", "obligations", "reports"):
        assert f'id="{group}-group"' not in page, group
    # Each tab is its own address, with its rows and only those.
    for tab, group in [
        ("timeline", "milestones"),
        ("investigation", "engagements"),
        ("evidence", "evidence"),
        ("actions", "actions"),
        ("clocks", "obligations"),
        ("reports", "reports"),
    ]:
        page = client.get(change_url(founding, tab)).content.decode()
        assert f'data-tab="{tab}" class="active"' in page, tab
        groups = set(re.findall(r'id="(\w+)-group"', page)) - {"status_changes"}
        assert groups == {group}, (tab, groups)
        assert 'name="title_ja"' not in page, tab
        assert 'class="taisaku-glance"' in page  # the first screen's summary on every tab


def test_a_tab_the_user_cannot_read_is_not_offered(client, persona, founding):
    """Reports are for those who may read them; a tab with nothing for the user is left out."""
    from django.contrib.auth.models import Permission

    committee = persona["committee"]
    committee.groups.get().permissions.remove(Permission.objects.get(codename="view_report"))
    login(client, committee)
    page = client.get(change_url(founding)).content.decode()
    assert 'data-tab="reports"' not in page
    assert 'id="reports-group"' not in client.get(change_url(founding, "reports")).text


def test_the_timeline_is_shown_once_its_latest_entries_editable(client, persona, founding):
    for day in range(1, 6):  # 15 milestones in all
        Milestone.objects.create(
            incident=founding, occurred_at=jst(2022, 8, day), kind="other", title=f"追加 {day}"
        )
    login(client, persona["committee"])
    page = client.get(change_url(founding, "timeline")).content.decode()
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
    timeline = change_url(founding, "timeline")
    data = form_as_posted(client.get(timeline).content.decode())
    data |= {"milestones-TOTAL_FORMS": "11", "milestones-10-incident": str(founding.pk)}
    data |= {
        "milestones-10-occurred_at_0": "2022-09-01",
        "milestones-10-occurred_at_1": "10:00",
        "milestones-10-kind": "other",
        "milestones-10-title_ja": "新しい記録",
        "_continue": "1",
    }
    response = client.post(timeline, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response.url.endswith("?tab=timeline")  # "save and continue" stays on the tab
    titles = set(founding.milestones.values_list("title_ja", flat=True))
    assert len(titles) == 16 and "新しい記録" in titles
    assert "弊社内でマルウェア感染が原因と疑われる事象を確認" in titles  # not shown, kept


def everything_of(incident) -> dict:
    """The case as stored: its fields and every row of every tab (read in one language)."""
    with translation.override("ja"):
        return _everything_of(incident)


def _everything_of(incident) -> dict:
    incident.refresh_from_db()
    fields = {
        f.attname: getattr(incident, f.attname)
        for f in incident._meta.concrete_fields
        if f.name != "updated_at"
    }
    rows = {
        name: sorted(map(repr, getattr(incident, name).values()))
        for name in ("milestones", "engagements", "evidence", "actions", "obligations")
    }
    rows["findings"] = sorted(
        map(repr, Finding.objects.filter(engagement__incident=incident).values())
    )
    rows["custody"] = sorted(
        map(repr, CustodyEntry.objects.filter(evidence__incident=incident).values())
    )
    rows["members"] = sorted(incident.members.values_list("pk", flat=True))
    return fields | rows


@pytest.mark.parametrize("tab", TABS)
def test_saving_one_tab_leaves_every_other_tab_as_it_was(client, persona, founding, tab):
    """A save posts only the tab shown: the fields and rows of the others are not in its form,
    so none is blanked, deleted or changed."""
    founding.sensitive_data = True  # facts on other tabs that a blank form would lose
    founding.personal_data_items = ["name", "email_address"]
    founding.save()
    before = everything_of(founding)
    login(client, persona["committee"])
    url = change_url(founding, tab)
    page = client.get(url).content.decode()
    response = client.post(url, form_as_posted(page) | {"_continue": "1"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert response.url.endswith(f"?tab={tab}")
    assert everything_of(founding) == before


def test_a_change_on_one_tab_is_saved_and_nothing_else(client, persona, founding):
    before = everything_of(founding)
    login(client, persona["committee"])
    url = change_url(founding, "facts")
    data = form_as_posted(client.get(url).content.decode())
    response = client.post(url, data | {"cause_ja": "添付ファイルを開いたため", "_continue": "1"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    after = everything_of(founding)
    assert after.pop("cause_ja") == "添付ファイルを開いたため"
    before.pop("cause_ja")
    after.pop("cause"), before.pop("cause")  # the translated field's default language
    assert after == before


def test_a_fact_contradicting_another_tab_is_refused_naming_it(client, persona, founding):
    """The publication date is on the facts tab: moving the occurrence after it on the case
    tab is refused with a message naming the date, never a 500, and nothing is saved."""
    founding.publication_status = "published"
    founding.published_at = jst(2022, 3, 10, 12)
    founding.save()
    before = everything_of(founding)
    login(client, persona["committee"], "en")
    url = change_url(founding)
    data = form_as_posted(client.get(url).content.decode())
    response = client.post(url, data | {"occurred_at_0": "2022-04-01", "occurred_at_1": "09:00"})
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.non_field_errors())
    assert "(on another tab)" in errors and "Publication cannot precede" in errors
    assert everything_of(founding) == before


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


def test_the_members_are_chosen_in_the_standard_searchable_picker(client, persona, founding):
    """The admin's two-list picker with its search box (filter_horizontal), offering the
    response team only: not a raw id box, not a select of every account."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("stranger", is_staff=False)  # no role: not offered
    login(client, persona["committee"])
    page = client.get(change_url(founding)).content.decode()
    picker = re.search(r'<select name="members"[^>]*>(.*?)</select>', page, re.S)
    assert picker and 'class="selectfilter"' in picker.group(0)
    assert "admin/js/SelectFilter2.js" in page
    offered = set(re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', picker.group(1)))
    assert {"committee", "legal", "executive"} <= offered
    assert "stranger" not in offered and "admin" not in offered


@pytest.mark.parametrize("tab", ["case", "facts", "clocks"])
def test_saving_an_unchanged_tab_adds_nothing_to_the_history(client, persona, founding, tab):
    login(client, persona["committee"])
    url = change_url(founding, tab)
    entries = founding.history.count()
    data = form_as_posted(client.get(url).content.decode())
    response = client.post(url, data | {"_continue": "1"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert founding.history.count() == entries
    # A change is recorded, as before.
    if tab == "case":
        response = client.post(url, data | {"title_ja": "件名を直した", "_continue": "1"})
        assert response.status_code == 302
        assert founding.history.count() == entries + 1
        assert founding.history.first().title_ja == "件名を直した"


def test_containment_before_awareness_is_saved_with_a_warning(client, persona, founding):
    """Possible when the organization knew of it after it was found (and contained): said on
    the page, not refused. (Before its detection it would be refused.)"""
    login(client, persona["committee"], "en")
    url = change_url(founding)
    data = form_as_posted(client.get(url).content.decode())
    assert "Contained (" not in client.get(url).text
    data |= {"detected_at_0": "2022-02-02", "detected_at_1": "09:00"}
    data |= {"contained_at_0": "2022-02-02", "contained_at_1": "18:00", "_continue": "1"}
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    founding.refresh_from_db()
    assert founding.contained_at == jst(2022, 2, 2, 18)
    shown = [str(m) for m in response.context["messages"]]
    assert not any("precede the detection" in m for m in shown)
    warning = next(m for m in shown if m.startswith("Contained ("))
    assert "2022-02-02 18:00 JST" in warning and "2022-02-03 10:00 JST" in warning
    # Saved and back to the list: the warning is given there.
    del data["_continue"]
    response = client.post(url, data | {"_save": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:incidents_incident_changelist")
    shown = [str(m) for m in response.context["messages"]]
    assert len([m for m in shown if m.startswith("Contained (")]) == 1


def test_rarely_used_facts_are_folded_while_nothing_is_recorded_in_them(client, persona, founding):
    login(client, persona["committee"])
    url = change_url(founding, "facts")

    def exceptions_fieldset(html: str) -> str:
        heading = html.index("報告を要しない場合（個人情報保護法の例外）")
        return html[html.rindex("<fieldset", 0, heading) : heading]

    assert "<details>" in exceptions_fieldset(client.get(url).text)
    founding.appi_encrypted = True
    founding.appi_exemption_reason_ja = "高度な暗号化が施されていたため"
    founding.save()
    assert "<details>" not in exceptions_fieldset(client.get(url).text)


def test_the_status_page_has_the_calendar_and_clock_of_the_admin(client, persona, founding):
    login(client, persona["committee"])
    page = client.get(reverse("admin:incidents_incident_status", args=[founding.pk])).text
    assert "DateTimeShortcuts.js" in page  # the script adding the calendar and the clock...
    assert "admin/css/forms.css" in page  # ...and the style that draws their icons
    assert 'class="vDateField"' in page and 'class="vTimeField"' in page


def test_the_add_page_does_not_ask_why_awareness_changed(client, persona, founding):
    """A reason for changing when the organization knew belongs to a recorded case, not to
    one being opened."""
    login(client, persona["committee"])
    add = client.get(reverse("admin:incidents_incident_add")).text
    assert 'name="change_reason"' not in add
    assert "事態を知った日時を変更する理由" not in add
    assert 'name="change_reason"' in client.get(change_url(founding)).text


def test_containment_before_the_detection_is_refused_beside_the_field(client, persona, founding):
    login(client, persona["committee"], "en")
    url = change_url(founding)
    data = form_as_posted(client.get(url).content.decode())
    data |= {"contained_at_0": "2022-02-02", "contained_at_1": "18:00", "_continue": "1"}
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Containment cannot precede the detection." in str(errors["contained_at"])
    founding.refresh_from_db()
    assert founding.contained_at != jst(2022, 2, 2, 18)
