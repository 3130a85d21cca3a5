"""GDPR Art. 33 notification: the items of paragraph 3, the 72-hour deadline and the
reasons for a delay, read back from the PDF."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from incidents.choices import CountQualifier, FilingChannel
from incidents.models import Obligation
from incidents.services import record_filing, save_incident
from reporting import rendering, services
from reporting.context import build_context
from reporting.models import Report
from reporting.snapshot import build_snapshot

from .conftest import pdf_text, squeeze

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

JST = ZoneInfo("Asia/Tokyo")
AWARE = datetime(2022, 2, 3, 10, 0, tzinfo=JST)  # the founding case's awareness
ON_TIME = AWARE + timedelta(hours=48)
LATE = AWARE + timedelta(hours=80)

HEADINGS = [
    "(a)Nature of the personal data breach",
    "(b)Name and contact details of the data protection officer or other contact point",
    "(c)Likely consequences of the personal data breach",
    "(d)Measures taken or proposed to address the breach",
]
TO_BE_PROVIDED = "To be provided (Art. 33(4))"


@pytest.fixture
def gdpr_case(founding):
    founding.regimes = ["appi", "gdpr"]
    save_incident(founding, user=None)
    org = founding.organization
    org.regulator_contact_name_en = "Data Protection Officer, Legal Department"
    org.regulator_contact_email = "dpo@d1-seihan-p.example"
    org.regulator_contact_phone = "+81 3 0000 0000"
    org.save()
    return founding


def authority(incident) -> Obligation:
    return incident.obligations.get(regime="gdpr", stage="authority")


def render(incident, taken_at=ON_TIME) -> str:
    snapshot = build_snapshot(incident, taken_at=taken_at)
    return pdf_text(rendering.render_pdf("gdpr-art33", "en", snapshot).content)


def test_items_a_to_d_in_the_order_of_art_33_3(gdpr_case):
    text = squeeze(render(gdpr_case))
    positions = [text.index(squeeze(heading)) for heading in HEADINGS]
    assert positions == sorted(positions)
    assert "Notificationofapersonaldatabreachtothesupervisoryauthority(GDPRArt.33)" in text


def test_controller_and_contact_point(gdpr_case):
    text = squeeze(render(gdpr_case))
    for phrase in [
        "Controller",
        "D1Seihan-P",
        gdpr_case.reference,
        "DataProtectionOfficer,LegalDepartment",
        "dpo@d1-seihan-p.example",
        "+81300000000",
    ]:
        assert phrase in text, phrase
    assert "Notyetdesignated" not in text


def test_missing_contact_point_is_said_to_be_missing(gdpr_case):
    org = gdpr_case.organization
    org.regulator_contact_name_en = org.regulator_contact_email = org.regulator_contact_phone = ""
    org.save()
    assert "Not yet designated" in render(gdpr_case)


@pytest.mark.parametrize(
    ("count", "qualifier", "expected"),
    [
        (1200, CountQualifier.EXACT, "1,200 data subjects"),
        (1200, CountQualifier.ESTIMATED, "approximately 1,200 data subjects (estimated)"),
        (None, CountQualifier.UNKNOWN, None),
    ],
)
def test_approximate_number_of_data_subjects(gdpr_case, count, qualifier, expected):
    gdpr_case.affected_count = count
    gdpr_case.affected_count_qualifier = qualifier
    save_incident(gdpr_case, user=None)
    snapshot = build_snapshot(gdpr_case, taken_at=ON_TIME)
    row = next(
        r for r in build_context("gdpr-art33", "en", snapshot)["nature"] if r["key"] == "people"
    )
    text = pdf_text(rendering.render_pdf("gdpr-art33", "en", snapshot).content)
    phased = squeeze(text.split("Information provided in phases", 1)[1])
    label = squeeze("Approximate number of data subjects concerned")
    if expected is None:
        assert row["value"] is None
        assert label in phased
    else:
        assert row["value"] == expected
        assert expected in text
        assert label not in phased
    if qualifier == CountQualifier.EXACT:
        assert "approximately" not in text


def test_deadline_is_awareness_plus_72_hours(gdpr_case):
    due = authority(gdpr_case).due_at
    assert due == AWARE + timedelta(hours=72)
    snapshot = build_snapshot(gdpr_case, taken_at=ON_TIME)
    snapshotted = [
        o for o in snapshot["obligations"] if (o["regime"], o["stage"]) == ("gdpr", "authority")
    ]
    assert [datetime.fromisoformat(o["due_at"]) for o in snapshotted] == [due]
    lines = pdf_text(rendering.render_pdf("gdpr-art33", "en", snapshot).content).splitlines()
    aware = next(line for line in lines if "Controller became aware" in line)
    deadline = next(line for line in lines if "Deadline under Art. 33(1)" in line)
    assert aware.endswith("February 3, 2022, 10:00 JST (UTC+09:00)")
    assert deadline.endswith("February 6, 2022, 10:00 JST (UTC+09:00)")


def test_on_time_notification_has_no_delay_section(gdpr_case):
    text = squeeze(render(gdpr_case, taken_at=ON_TIME))
    assert squeeze("Made within 72 hours of awareness") in text
    assert "Reasonsforthedelay" not in text
    assert "Latenotification" not in text


def test_late_notification_states_the_reasons(gdpr_case):
    record_filing(
        authority(gdpr_case),
        user=None,
        at=LATE,
        channel=FilingChannel.EMAIL,
        note="The breach was reported to us by the processor only on 5 February.",
    )
    text = squeeze(render(gdpr_case, taken_at=LATE))
    assert squeeze("Reasons for the delay (Art. 33(1))") in text
    assert squeeze("The breach was reported to us by the processor only on 5 February.") in text
    assert "Latenotification" in text
    assert squeeze("to be stated (required by Art. 33(1))") not in text
    # The reasons come before the items of paragraph 3.
    assert text.index("Reasonsforthedelay") < text.index(squeeze(HEADINGS[0]))


def test_late_notification_without_reasons_shows_the_gap(gdpr_case):
    text = squeeze(render(gdpr_case, taken_at=LATE))
    assert squeeze("Reasons for the delay: to be stated (required by Art. 33(1))") in text


def test_unknown_facts_are_to_be_provided_in_phases(gdpr_case):
    text = squeeze(render(gdpr_case))
    phased = text.split(squeeze("Information provided in phases (Art. 33(4))"), 1)[1]
    for label in [
        "Categories of data subjects concerned",
        "Approximate number of personal data records concerned",
        "Risk to the rights and freedoms of natural persons",
    ]:
        assert squeeze(label) in phased, label
    assert squeeze("Categories of personal data concerned") not in phased
    assert squeeze(TO_BE_PROVIDED) in text


def test_japanese_is_refused(gdpr_case, english):
    with pytest.raises(CommandError, match=r"only in: en \(not “ja”\)"):
        call_command("generate_report", gdpr_case.reference, kind="gdpr-art33", lang="ja")
    with pytest.raises(services.ReportError, match="gdpr-art33"):
        services.request_report(gdpr_case, "gdpr-art33", "ja", None)
    assert not Report.objects.exists()
    with pytest.raises(ValueError, match="not written in 'ja'"):
        build_context("gdpr-art33", "ja", build_snapshot(gdpr_case))


def test_requested_through_the_pipeline(gdpr_case, media_root, django_capture_on_commit_callbacks):
    # Late and without the reasons for the delay (Art. 33(1)): refused unless allowed.
    with pytest.raises(services.NotReady, match="遅延の理由|Reasons for the delay"):
        services.request_report(gdpr_case, "gdpr-art33", "en", None)
    assert not Report.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(gdpr_case, "gdpr-art33", "en", None, allow_gaps=True)
    report.refresh_from_db()
    assert report.status == "ready" and report.is_regulatory
    assert report.snapshot["obligations"]
    # Requested years after awareness: late, with the gap shown.
    assert "Reasons for the delay" in pdf_text(report.file.read())


def test_context_is_pure(gdpr_case, django_assert_num_queries):
    snapshot = build_snapshot(gdpr_case, taken_at=LATE)
    with django_assert_num_queries(0):
        context = build_context("gdpr-art33", "en", snapshot)
    assert context["late"] is True
    assert context["aware"] == "February 3, 2022, 10:00 JST (UTC+09:00)"
    assert context["deadline"] == "February 6, 2022, 10:00 JST (UTC+09:00)"
    assert context["unknown"] == TO_BE_PROVIDED


def test_deadline_without_a_gdpr_clock_counts_72_elapsed_hours(founding):
    """Across a change to summer time: 72 hours, not three calendar days."""
    snapshot = build_snapshot(founding)
    assert snapshot["obligations"] and not [
        o for o in snapshot["obligations"] if o["regime"] == "gdpr"
    ]
    snapshot["time_zone"] = "Europe/Berlin"
    snapshot["incident"]["aware_at"] = datetime(2022, 3, 25, 9, 0, tzinfo=UTC).isoformat()
    snapshot["taken_at"] = datetime(2022, 3, 28, 8, 30, tzinfo=UTC).isoformat()
    context = build_context("gdpr-art33", "en", snapshot)
    assert context["aware"] == "March 25, 2022, 10:00 CET (UTC+01:00)"
    assert context["deadline"] == "March 28, 2022, 11:00 CEST (UTC+02:00)"
    assert context["late"] is False


def test_recorded_delay_reason_subject_categories_and_records_are_printed(gdpr_case):
    gdpr_case.gdpr_delay_reason_en = "The extent of the leak was only established on day 4."
    gdpr_case.data_subject_categories_en = "Customers and business partners"
    gdpr_case.records_count = 12500
    gdpr_case.save()
    text = squeeze(render(gdpr_case, taken_at=LATE))
    assert squeeze("The extent of the leak was only established on day 4.") in text
    assert squeeze("Customers and business partners") in text
    assert "12,500" in text


def test_a_uk_gdpr_case_reads_its_own_clock_and_filing_note(founding):
    """Under UK GDPR alone, the notification's deadline and delay reason are those of the
    ICO notification the case owes, not a second 72-hour rule."""
    founding.regimes = ["appi", "uk-gdpr"]
    save_incident(founding, user=None)
    ico = founding.obligations.get(regime="uk-gdpr", stage="authority")
    assert ico.due_at == AWARE + timedelta(hours=72)
    record_filing(
        ico,
        user=None,
        at=LATE,
        channel=FilingChannel.WEB_FORM,
        note="The ICO's form was unavailable for a day.",
    )
    snapshot = build_snapshot(founding, taken_at=LATE)
    context = build_context("gdpr-art33", "en", snapshot)
    assert context["deadline"] == "February 6, 2022, 10:00 JST (UTC+09:00)"
    assert context["late"] is True
    assert context["delay_reason"] == "The ICO's form was unavailable for a day."
    # The deadline is the clock's, whatever it says: one read earlier makes ON_TIME late.
    [row] = [
        o for o in snapshot["obligations"] if o["regime"] == "uk-gdpr" and o["stage"] == "authority"
    ]
    row["due_at"] = (AWARE + timedelta(hours=24)).isoformat()
    snapshot["taken_at"] = ON_TIME.isoformat()
    context = build_context("gdpr-art33", "en", snapshot)
    assert context["deadline"] == "February 4, 2022, 10:00 JST (UTC+09:00)"
    assert context["late"] is True
