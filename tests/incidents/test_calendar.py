"""Legal's calendar: deadlines as iCalendar behind a secret per-user URL."""

from datetime import UTC, datetime

import icalendar
import pytest
from django.core.management import call_command
from django.urls import reverse

from incidents.models import CalendarToken
from tests.conftest import jst

pytestmark = pytest.mark.django_db


def feed(client, token):
    return client.get(reverse("calendar-feed", args=[token]))


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_feed_lists_open_deadlines_of_visible_incidents(client, persona, founding):
    token = CalendarToken.issue(persona["legal"])
    response = feed(client, token)
    assert b"\r\n" in response.content  # RFC 5545 line endings
    [event] = events(response)  # preliminary is filed, individuals has no date
    final = founding.obligations.get(stage="final")
    assert str(event["uid"]) == f"obligation-{final.pk}@taisaku"
    assert event.decoded("dtstart") == datetime(2022, 4, 4, 14, 59, 59, tzinfo=UTC)
    assert str(event["summary"]).startswith(founding.reference)
    assert f"/admin/incidents/obligation/{final.pk}/change/" in str(event["url"])
    # The UID is stable across fetches.
    assert str(events(feed(client, token))[0]["uid"]) == str(event["uid"])


def test_outsider_feed_excludes_incidents_they_cannot_see(client, persona, founding, make_incident):
    outsider = persona["outsider"]
    own = make_incident(members=[outsider], aware_at=jst(2024, 6, 3, 12), regimes=["gdpr"])
    summaries = [str(e["summary"]) for e in events(feed(client, CalendarToken.issue(outsider)))]
    assert summaries and all(s.startswith(own.reference) for s in summaries)
    assert not any(founding.reference in s for s in summaries)
    # The auditor sees every incident.
    auditor = [
        str(e["summary"]) for e in events(feed(client, CalendarToken.issue(persona["auditor"])))
    ]
    assert any(founding.reference in s for s in auditor) and any(
        own.reference in s for s in auditor
    )


def test_wrong_revoked_or_inactive_token_is_404(client, persona, founding):
    legal = persona["legal"]
    assert feed(client, "not-a-token").status_code == 404
    old = CalendarToken.issue(legal)
    new = CalendarToken.issue(legal)  # regenerating revokes the old URL
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200
    assert not CalendarToken.objects.filter(digest=new).exists()  # only the hash is stored
    legal.is_active = False
    legal.save()
    assert feed(client, new).status_code == 404


def test_calendar_token_command_prints_a_new_url(client, persona, founding, capsys):
    call_command("calendar_token", "legal")
    url = capsys.readouterr().out.strip()
    assert url.startswith("http") and url.endswith(".ics")
    path = url[url.index("/calendar/") :]
    assert client.get(path).status_code == 200
    call_command("calendar_token", "legal", "--revoke")
    assert client.get(path).status_code == 404
