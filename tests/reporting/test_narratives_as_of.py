"""A document dated in the past prints the incident's narratives as the record read on that
day (from its history); a case recorded after that day prints them as gaps, or as they read
now when the person asking allows it, and readiness says so."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from incidents.models import Incident
from reporting import services
from reporting.readiness import readiness
from reporting.snapshot import build_snapshot

from ..conftest import jst
from ..helpers import api_client
from .conftest import pdf_text, squeeze

pytestmark = pytest.mark.django_db

SUMMARY_A = {"ja": "経理部のパソコン1台が感染しました", "en": "One accounting PC was infected"}
SUMMARY_B = {
    "ja": "経理部と営業部のパソコン3台が感染しました",
    "en": "Three PCs in accounting and sales were infected",
}
TITLE_A = {"ja": "マルウェア感染について", "en": "Malware infection"}
TITLE_B = {"ja": "マルウェア感染の拡大について", "en": "Spread of a malware infection"}


def at(incident: Incident, day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), incident.tzinfo)


@pytest.fixture
def recorded(make_incident, member):
    """Recorded on day 1 with summary A; changed on day 5 to summary B (both languages)."""
    incident = make_incident(
        user=member,
        members=[member],
        title_ja=TITLE_A["ja"],
        title_en=TITLE_A["en"],
        summary_ja=SUMMARY_A["ja"],
        summary_en=SUMMARY_A["en"],
    )
    day1 = incident.today() - timedelta(days=9)
    incident.aware_at = at(incident, day1, 9)
    incident.save()
    incident.history.update(history_date=at(incident, day1, 10))
    incident.title_ja, incident.title_en = TITLE_B["ja"], TITLE_B["en"]
    incident.summary_ja, incident.summary_en = SUMMARY_B["ja"], SUMMARY_B["en"]
    # Assessed on day 5 too: how many people, that sensitive data is concerned, and when it
    # occurred (the evening before day 1).
    incident.occurred_at = at(incident, day1 - timedelta(days=1), 21)
    incident.affected_count, incident.affected_count_qualifier = 3210, "exact"
    incident.sensitive_data = True
    incident._history_date = at(incident, day1 + timedelta(days=4), 10)
    services_save(incident, member)
    incident.day1 = day1
    return incident


def services_save(incident: Incident, user) -> None:
    from incidents.services import save_incident

    save_incident(incident, user=user)


def document(incident, language, day, user, capture, **options) -> str:
    with capture(execute=True):
        report = services.request_report(
            incident,
            "public-notice",
            language,
            user,
            document_date=day,
            allow_gaps=True,
            **options,
        )
    report.refresh_from_db()
    assert report.status == "ready", report.error
    return squeeze(pdf_text(report.file.read()))


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_document_prints_the_narratives_as_recorded_on_its_date(
    recorded, member, media_root, django_capture_on_commit_callbacks, language
):
    day2 = recorded.day1 + timedelta(days=1)
    day6 = recorded.day1 + timedelta(days=5)
    before = document(recorded, language, day2, member, django_capture_on_commit_callbacks)
    assert squeeze(SUMMARY_A[language]) in before and squeeze(TITLE_A[language]) in before
    assert squeeze(SUMMARY_B[language]) not in before
    after = document(recorded, language, day6, member, django_capture_on_commit_callbacks)
    assert squeeze(SUMMARY_B[language]) in after and squeeze(TITLE_B[language]) in after
    assert squeeze(SUMMARY_A[language]) not in after
    # Today's document too, and none of them says the narratives are provisional.
    assert squeeze(SUMMARY_B[language]) in document(
        recorded, language, None, member, django_capture_on_commit_callbacks
    )
    api = api_client(member, "en")
    for day in (day2, day6):
        response = api.get(
            f"/api/v1/incidents/{recorded.pk}/readiness/",
            {"kind": "public-notice", "language": language, "date": day.isoformat()},
        )
        assert response.status_code == 200
        assert "narratives" not in {item["item"] for item in response.json()["items"]}


def test_a_back_filled_case_prints_its_narratives_as_gaps_and_readiness_says_so(
    make_incident, member, media_root, django_capture_on_commit_callbacks
):
    # Entered today for events of 2022: its record has nothing of 2022.
    incident = make_incident(
        user=member,
        members=[member],
        title_ja=TITLE_B["ja"],
        title_en=TITLE_B["en"],
        summary_ja=SUMMARY_B["ja"],
        summary_en=SUMMARY_B["en"],
        aware_at=jst(2022, 2, 3, 10),
    )
    day = jst(2022, 2, 10).date()
    # Gaps allowed: what the record does not show of the day prints as a gap.
    text = document(incident, "en", day, member, django_capture_on_commit_callbacks)
    assert squeeze(SUMMARY_B["en"]) not in text and squeeze(TITLE_B["en"]) not in text
    assert "February10,2022" in text
    # The current text allowed: as it reads now.
    text = document(
        incident, "en", day, member, django_capture_on_commit_callbacks, allow_current_text=True
    )
    assert squeeze(SUMMARY_B["en"]) in text and "February10,2022" in text
    today = incident.today().isoformat()
    for language, note in (
        ("en", f"The case was recorded on {today}, after the document's date"),
        ("ja", f"この事案は文書の日付より後の{today}に記録されました"),
    ):
        response = api_client(member, language).get(
            f"/api/v1/incidents/{incident.pk}/readiness/",
            {"kind": "public-notice", "language": language, "date": day.isoformat()},
        )
        assert response.status_code == 200
        notes = [item for item in response.json()["items"] if item["item"] == "narratives"]
        assert [item["state"] for item in notes] == ["missing"]
        assert notes[0]["detail"].startswith(note)
    # It blocks the document until gaps are allowed: the narratives may say what was
    # known only later. Without it the same document lacks exactly the rest.
    snapshot = build_snapshot(incident, document_date=day)
    noted = readiness("public-notice", "en", snapshot)
    plain = readiness("public-notice", "en", {**snapshot, "narratives_recorded_at": None})
    assert [g.item for g in noted.gaps] == [g.item for g in plain.gaps] + ["narratives"]
    assert not noted.ready
    assert [g.item for g in noted.missing] == [g.item for g in plain.missing] + ["narratives"]
    refused = api_client(member, "en").post(
        "/api/v1/reports/",
        {"incident": incident.pk, "kind": "public-notice", "language": "en", "date": str(day)},
        format="json",
    )
    assert refused.status_code == 400
    assert "narratives" in str(refused.json())
    # Dated today, the case was recorded by then: no note.
    today_response = api_client(member, "en").get(
        f"/api/v1/incidents/{incident.pk}/readiness/",
        {"kind": "public-notice", "language": "en"},
    )
    assert "narratives" not in {item["item"] for item in today_response.json()["items"]}


def test_a_dated_snapshot_reads_the_history_in_one_query(recorded):
    day2 = recorded.day1 + timedelta(days=1)
    history = Incident.history.model._meta.db_table
    with CaptureQueriesContext(connection) as today:
        build_snapshot(recorded)
    with CaptureQueriesContext(connection) as dated:
        snapshot = build_snapshot(recorded, document_date=day2)
    assert not [q for q in today if history in q["sql"]]
    assert len([q for q in dated if history in q["sql"]]) == 1
    assert snapshot["incident"]["summary_en"] == SUMMARY_A["en"]
    assert snapshot["narratives_recorded_at"] is None


def test_a_document_states_the_facts_assessed_by_its_date(
    recorded, member, media_root, django_capture_on_commit_callbacks
):
    """The people affected and the Art. 7 facts assessed on day 5 are not in the 速報 dated
    day 2 (they were not known then); the one dated day 6 states them."""
    day2 = recorded.day1 + timedelta(days=1)
    day6 = recorded.day1 + timedelta(days=5)
    before = build_snapshot(recorded, document_date=day2)["incident"]
    after = build_snapshot(recorded, document_date=day6)["incident"]
    assert before["affected_count"] is None and 1 not in before["article7_cases"]
    assert after["affected_count"] == 3210 and 1 in after["article7_cases"]
    # A moment learned on day 5 is not in a document of day 2, though it came before day 2.
    assert before["occurred_at"] is None
    assert datetime.fromisoformat(after["occurred_at"]) == recorded.occurred_at

    def preliminary(day) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            report = services.request_report(
                recorded, "ppc-preliminary", "ja", member, document_date=day, allow_gaps=True
            )
        report.refresh_from_db()
        assert report.status == "ready", report.error
        return squeeze(pdf_text(report.file.read()))

    assert "3,210" not in preliminary(day2)
    assert "3,210" in preliminary(day6)


def test_a_publication_decided_later_is_not_in_an_earlier_document(recorded, member):
    """Not decided on day 1, planned on day 5, never published: the 速報 of day 2 says not
    decided, the one of day 6 says planned."""
    from incidents.choices import PublicationStatus

    not_decided = PublicationStatus.NOT_DECIDED
    Incident.objects.filter(pk=recorded.pk).update(publication_status=not_decided)
    recorded.history.update(publication_status=not_decided)
    recorded.refresh_from_db()
    recorded.publication_status = PublicationStatus.PLANNED
    recorded._history_date = at(recorded, recorded.day1 + timedelta(days=4), 11)
    services_save(recorded, member)
    day2 = recorded.day1 + timedelta(days=1)
    day6 = recorded.day1 + timedelta(days=5)
    before = build_snapshot(recorded, document_date=day2)["incident"]["publication_status"]
    after = build_snapshot(recorded, document_date=day6)["incident"]["publication_status"]
    assert (before, after) == (not_decided, PublicationStatus.PLANNED)


def test_a_measure_recorded_after_the_documents_day_is_not_in_it(recorded, member):
    """A measure decided on day 5 was not planned on day 2: the 速報 of day 2 does not list it;
    the one of day 6 does."""
    from incidents.choices import ActionCategory
    from incidents.models import Action

    action = Action(
        incident=recorded, title_ja="全端末のEDR導入", category=ActionCategory.TECHNICAL
    )
    action._history_date = at(recorded, recorded.day1 + timedelta(days=4), 12)
    action.save()
    day2 = recorded.day1 + timedelta(days=1)
    day6 = recorded.day1 + timedelta(days=5)
    titles = [
        [a["title_ja"] for a in build_snapshot(recorded, document_date=day)["actions"]]
        for day in (day2, day6)
    ]
    assert titles == [[], ["全端末のEDR導入"]]
