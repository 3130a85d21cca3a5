import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from incidents import services
from incidents.choices import CountQualifier, IncidentStatus
from incidents.models import Incident, InvalidTransition, StatusChange
from tests.conftest import jst

pytestmark = pytest.mark.django_db

S = IncidentStatus


@pytest.mark.parametrize(
    ("path",),
    [
        ([S.CONTAINED, S.INVESTIGATING, S.RECOVERING, S.CLOSED],),
        ([S.INVESTIGATING, S.CONTAINED, S.RECOVERING, S.CLOSED],),
        ([S.CLOSED],),  # a false alarm
        ([S.CONTAINED, S.INVESTIGATING, S.CLOSED, S.INVESTIGATING, S.CLOSED],),  # reopen
    ],
)
def test_allowed_paths_are_recorded_with_who_and_when(make_incident, make_user, path):
    user = make_user("c", "committee")
    incident = make_incident(user)
    for status in path:
        services.change_status(incident, status, user=user, note=f"to {status}")
    incident.refresh_from_db()
    assert incident.status == path[-1]
    changes = list(StatusChange.objects.filter(incident=incident))
    assert [(c.from_status, c.to_status) for c in changes] == list(
        zip([S.DETECTED, *path[:-1]], path, strict=True)
    )
    assert all(c.changed_by == user and c.changed_at is not None for c in changes)


@pytest.mark.parametrize(
    ("start_path", "refused"),
    [
        ([], S.RECOVERING),
        ([], S.DETECTED),
        ([S.CONTAINED], S.CLOSED),
        ([S.CONTAINED], S.DETECTED),
        ([S.CLOSED], S.RECOVERING),
        ([S.CLOSED], S.CLOSED),
    ],
)
def test_refused_moves_raise_and_change_nothing(make_incident, start_path, refused):
    incident = make_incident()
    for status in start_path:
        services.change_status(incident, status, user=None)
    before = StatusChange.objects.count()
    with pytest.raises(InvalidTransition) as excinfo:
        services.change_status(incident, refused, user=None)
    assert "cannot become" in str(excinfo.value) or "できません" in str(excinfo.value)
    incident.refresh_from_db()
    assert incident.status == (start_path[-1] if start_path else S.DETECTED)
    assert StatusChange.objects.count() == before


def test_unknown_status_is_refused(make_incident):
    incident = make_incident()
    with pytest.raises(InvalidTransition):
        services.change_status(incident, "exploded", user=None)


def test_references_are_numbered_per_organization_code_and_year(make_incident, organization):
    first = make_incident(aware_at=jst(2022, 2, 3, 10))
    second = make_incident(aware_at=jst(2022, 12, 31, 23, 30))  # still 2022 in Tokyo
    third = make_incident(aware_at=jst(2023, 1, 1, 0, 30))  # 2022-12-31 15:30 UTC
    assert [first.reference, second.reference, third.reference] == [
        "INC-2022-0001",
        "INC-2022-0002",
        "INC-2023-0001",
    ]
    assert organization.code == "INC"  # the first organization's default
    acme = type(organization).objects.create(name_ja="別会社", code="ACME")
    other = Incident.objects.create(
        organization=acme, title="x", category="malware", aware_at=jst(2022, 5, 1)
    )
    assert other.reference == "ACME-2022-0001"
    # A code given up and taken by another organization continues its numbers.
    organization.code = "OLD"
    organization.save()
    acme.code = "INC"
    acme.save()
    taken_over = Incident.objects.create(
        organization=acme, title="y", category="malware", aware_at=jst(2022, 6, 1)
    )
    assert taken_over.reference == "INC-2022-0003"
    assert Incident.objects.get(pk=first.pk).reference == "INC-2022-0001"  # kept


def test_a_new_organization_gets_a_free_code_from_its_english_name(organization):
    Organization = type(organization)
    assert Organization.objects.create(name_ja="甲", name_en="Acme Corp.").code == "ACMECORP"
    assert Organization.objects.create(name_ja="乙", name_en="ACME corp").code == "ACMECOR2"
    assert Organization.objects.create(name_ja="丙").code == "ORG"


@pytest.mark.parametrize("code", ["acme", "A", "1ACME", "AC-ME", "ＡＣＭＥ", "ABCDEFGHIJK"])
def test_an_organization_code_is_two_to_ten_capitals_or_digits(organization, code):
    organization.code = code
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "code" in error.value.message_dict


def test_reference_is_unique_across_organizations_in_the_database(make_incident):
    incident = make_incident()
    other = type(incident.organization).objects.create(name_ja="別会社")
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.create(
            organization=other,
            reference=incident.reference,
            title="dup",
            category="malware",
        )


@pytest.mark.parametrize(
    ("count", "qualifier"),
    [(None, CountQualifier.EXACT), (12, CountQualifier.UNKNOWN)],
)
def test_people_count_and_qualifier_must_agree(make_incident, count, qualifier):
    incident = make_incident()
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(
            affected_count=count, affected_count_qualifier=qualifier
        )


def test_negative_people_count_is_refused_by_the_database(make_incident):
    incident = make_incident()
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(
            affected_count=-1, affected_count_qualifier=CountQualifier.EXACT
        )


def test_clean_explains_inconsistent_facts(make_incident):
    from django.core.exceptions import ValidationError

    incident = make_incident()
    incident.occurred_at = jst(2022, 2, 5)
    incident.detected_at = jst(2022, 2, 3)
    incident.affected_count = 5
    with pytest.raises(ValidationError) as excinfo:
        incident.full_clean()
    assert set(excinfo.value.message_dict) >= {"detected_at", "affected_count_qualifier"}


def test_awareness_cannot_precede_the_detection(make_incident, persona):
    """As the occurrence cannot come after the detection: knowing of the situation
    (事態を知った日時) before the event was found (発覚日時) is refused beside the field."""
    from tests.helpers import api_client

    committee = persona["committee"]
    incident = make_incident(members=[committee], detected_at=jst(2022, 3, 1, 9))
    incident.aware_at = jst(2022, 2, 28, 9)
    with pytest.raises(ValidationError) as excinfo:
        incident.full_clean()
    assert excinfo.value.message_dict["aware_at"] == [
        "事態を知った日時を発覚日時より前にすることはできません。"
    ]
    for language, text in (
        ("en", "Awareness cannot precede the detection."),
        ("ja", "事態を知った日時を発覚日時より前にすることはできません。"),
    ):
        response = api_client(committee, language).patch(
            f"/api/v1/incidents/{incident.pk}/",
            {"aware_at": "2022-02-28T09:00:00+09:00"},
            format="json",
        )
        assert response.status_code == 400, response.json()
        assert response.json()["error"]["fields"]["aware_at"] == [text]
    incident.refresh_from_db()
    assert incident.aware_at is None
    # The same moment as the detection, or later, is taken.
    response = api_client(committee, "en").patch(
        f"/api/v1/incidents/{incident.pk}/",
        {"aware_at": "2022-03-01T09:00:00+09:00"},
        format="json",
    )
    assert response.status_code == 200, response.json()


def test_time_zone_must_be_real(make_incident):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        make_incident(time_zone="Mars/Olympus")
    assert "time_zone" in excinfo.value.message_dict


def test_article7_cases_follow_the_facts(make_incident):
    incident = make_incident(
        wrongful_purpose=True,
        affected_count=1001,
        affected_count_qualifier=CountQualifier.ESTIMATED,
    )
    assert incident.article7_cases() == [3, 4]
    incident.affected_count = 1000
    assert incident.article7_cases() == [3]


def test_a_back_filled_move_fills_the_fact_it_marks_unless_recorded(make_incident, make_user):
    """Containment and the end of handling, from dated status moves of a past case; a fact
    already recorded (or one that would contradict the occurrence) is left as it is."""
    from tests.conftest import jst

    committee = make_user("back", "committee")
    incident = make_incident(
        members=[committee], occurred_at=jst(2024, 2, 20), aware_at=jst(2024, 3, 1, 9)
    )
    incident.set_status("contained", by=committee, effective_at=jst(2024, 3, 2, 10))
    incident.set_status("investigating", by=committee, effective_at=jst(2024, 3, 3))
    incident.set_status("closed", by=committee, effective_at=jst(2024, 4, 15))
    incident.refresh_from_db()
    assert incident.contained_at == jst(2024, 3, 2, 10)
    assert incident.handling_ended_at == jst(2024, 4, 15)

    recorded = make_incident(members=[committee], contained_at=jst(2024, 3, 1, 12))
    recorded.set_status("contained", by=committee, effective_at=jst(2024, 3, 5))
    recorded.refresh_from_db()
    assert recorded.contained_at == jst(2024, 3, 1, 12)

    # A move before the incident was found (here, before its occurrence) is refused.
    early = make_incident(members=[committee], occurred_at=jst(2024, 2, 20))
    with pytest.raises(InvalidTransition, match="発生日時"):
        early.set_status("contained", by=committee, effective_at=jst(2024, 2, 1))
    early.refresh_from_db()
    assert early.contained_at is None and early.status == "detected"


def test_the_detection_cannot_be_moved_after_a_recorded_move(make_incident, persona, api):
    """A move is dated no earlier than the detection; moving the detection after a move
    already recorded would hold a move before the incident was found."""
    committee = persona["committee"]
    incident = make_incident(
        members=[committee],
        detected_at=jst(2026, 11, 25, 9),
        aware_at=jst(2026, 11, 25, 10),
    )
    incident.set_status("contained", by=committee, effective_at=jst(2026, 11, 27, 12))
    client = api("committee", "en")
    moved = client.patch(
        f"/api/v1/incidents/{incident.pk}/",
        {"detected_at": "2026-11-28T10:00:00+09:00", "aware_at": "2026-11-28T11:00:00+09:00"},
        format="json",
    )
    assert moved.status_code == 400
    assert "status move is dated" in str(moved.json()["error"]["fields"]["detected_at"])
    before = client.patch(
        f"/api/v1/incidents/{incident.pk}/",
        {"contained_at": "2026-11-24T12:00:00+09:00"},
        format="json",
    )
    assert before.status_code == 400
    assert "precede the detection" in str(before.json()["error"]["fields"]["contained_at"])
    incident.refresh_from_db()
    assert incident.detected_at == jst(2026, 11, 25, 9)
    assert incident.contained_at == jst(2026, 11, 27, 12)
