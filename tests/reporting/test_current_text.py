"""A document dated before its case was recorded (back-filled) says only what the record
shows: with gaps allowed, the narratives and assessed facts print as gaps; the text as it
reads now is printed only when the person asking allows it explicitly."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reporting import services
from reporting.models import Report
from reporting.snapshot import build_snapshot, without_current_text

from ..helpers import api_client
from .conftest import pdf_text, squeeze

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

DAY = "2022-02-03"
# In the founding case's narratives, known only later: the PC destroyed after the
# investigation (course of events), the final report published (response to those affected).
DESTROYED = "当該端末は調査後破棄した"
FINAL_REPORT = "調査結果の最終報告を同サイト上で公表した"


def preliminary(founding, capture, **options) -> str:
    with capture(execute=True):
        report = services.request_report(
            founding, "ppc-preliminary", "ja", None, document_date=DAY, **options
        )
    report.refresh_from_db()
    assert report.status == "ready", report.error
    return squeeze(pdf_text(report.file.read()))


def test_with_gaps_allowed_a_back_dated_document_prints_the_narratives_as_gaps(
    founding, media_root, django_capture_on_commit_callbacks
):
    text = preliminary(founding, django_capture_on_commit_callbacks, allow_gaps=True)
    assert DESTROYED not in text and FINAL_REPORT not in text
    # The 速報's gap wording where the record has nothing of the day, facts assessed later too.
    assert "事実経過調査中" in text
    assert "6本人への対応の実施状況調査中" in text
    assert "4原因調査中" in text
    # The company's own moments of the day are dated facts: the same day the timeline shows.
    assert "事態を知った日令和4年2月3日" in text and "発覚日令和4年2月3日" in text
    # A measure done by the day stays; one done later or still under way was not, as far as
    # the record shows, planned on it; no deadline resting on facts assessed later.
    assert "対策委員会の設置" in text
    assert "脆弱性診断" not in text and "監視体制" not in text
    assert "確報は令和" not in text and "までに提出" not in text
    # Which measures were planned on the day, the record cannot tell: not "none".
    assert "今後の予定調査中" in text


def test_with_the_current_text_allowed_it_prints_the_text_as_it_reads_now(
    founding, media_root, django_capture_on_commit_callbacks
):
    text = preliminary(
        founding, django_capture_on_commit_callbacks, allow_gaps=True, allow_current_text=True
    )
    assert DESTROYED in text and FINAL_REPORT in text
    assert "事実経過調査中" not in text
    assert Report.objects.get().allow_current_text


def test_the_current_text_alone_answers_the_narratives_and_no_other_gap(
    founding, media_root, django_capture_on_commit_callbacks
):
    api = api_client(founding.members.get(username="legal"), "en")
    # The 速報 lacks nothing else: allowing the current text is enough, gaps are not allowed.
    body = {"incident": founding.pk, "kind": "ppc-preliminary", "language": "ja", "date": DAY}
    refused = api.post("/api/v1/reports/", body, format="json")
    assert refused.status_code == 400 and "Narratives" in refused.json()["error"]["message"]
    with django_capture_on_commit_callbacks(execute=True):
        accepted = api.post("/api/v1/reports/", {**body, "allow_current_text": True}, format="json")
    assert accepted.status_code == 202
    assert accepted.json()["allow_current_text"] is True
    assert accepted.json()["allow_gaps"] is False
    report = Report.objects.get()
    assert DESTROYED in squeeze(pdf_text(report.file.read()))
    # The 確報 of May lacks its reporter's address and representative: still refused, and
    # the refusal names those, not the narratives it was told to print as they read now.
    final = {**body, "kind": "ppc-final", "date": "2022-05-20", "allow_current_text": True}
    refused = api.post("/api/v1/reports/", final, format="json")
    assert refused.status_code == 400
    message = refused.json()["error"]["message"]
    assert "Reporter" in message and "Narratives" not in message
    assert Report.objects.count() == 1


def test_the_api_validates_the_new_boolean(founding):
    api = api_client(founding.members.get(username="legal"), "en")
    response = api.post(
        "/api/v1/reports/",
        {
            "incident": founding.pk,
            "kind": "ppc-final",
            "language": "ja",
            "allow_gaps": True,
            "allow_current_text": "maybe",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["allow_current_text"] == ["Must be a valid boolean."]
    assert not Report.objects.exists()


def test_the_command_lists_the_gaps_it_let_through(
    founding, media_root, django_capture_on_commit_callbacks
):
    err = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "generate_report",
            founding.reference,
            "--kind=ppc-preliminary",
            "--lang=ja",
            f"--date={DAY}",
            "--allow-gaps",
            stdout=StringIO(),
            stderr=err,
        )
    lines = err.getvalue().splitlines()
    gaps = [line for line in lines if line.startswith("missing\t")]
    # One line a gap, as --check prints them: the narratives, and what prints as gaps for it.
    assert any(line.startswith("missing\tnarratives\t記述") for line in gaps)
    assert len(gaps) == len(lines) - 1  # and a line saying what they are
    assert DESTROYED not in squeeze(pdf_text(Report.objects.get().file.read()))


def test_the_command_refusing_a_back_dated_document_names_both_options(founding):
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "generate_report",
            founding.reference,
            "--kind=ppc-preliminary",
            "--lang=ja",
            f"--date={DAY}",
            stdout=StringIO(),
            stderr=err,
        )
    assert "--allow-gaps" in str(refused.value) and "--allow-current-text" in str(refused.value)
    assert "missing\tnarratives\t" in err.getvalue()
    assert "「現在の記載のまま作成」" in err.getvalue()
    assert not Report.objects.exists()


def test_the_command_prints_the_current_text_when_told(
    founding, media_root, django_capture_on_commit_callbacks
):
    err = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "generate_report",
            founding.reference,
            "--kind=ppc-preliminary",
            "--lang=ja",
            f"--date={DAY}",
            "--allow-current-text",
            stdout=StringIO(),
            stderr=err,
        )
    assert err.getvalue() == ""  # nothing else missing: no gap let through
    assert DESTROYED in squeeze(pdf_text(Report.objects.get().file.read()))
    with pytest.raises(CommandError, match="--allow-gaps"):
        call_command(
            "generate_report",
            founding.reference,
            "--kind=ppc-final",
            "--lang=ja",
            "--date=2022-05-20",
            "--allow-current-text",
            stdout=StringIO(),
            stderr=StringIO(),
        )


def test_the_admin_action_offers_the_current_text(
    client, founding, media_root, django_capture_on_commit_callbacks
):
    from .test_admin import persona

    client.force_login(persona("committee", "add_report", "view_report"))
    data = {
        "action": "generate_report",
        "_selected_action": [founding.pk],
        "report_kind": "ppc-preliminary",
        "report_language": "ja",
        "report_date": DAY,
        "allow_current_text": "on",
    }
    page = client.get("/admin/incidents/incident/").content.decode()
    assert 'name="allow_current_text"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/incidents/incident/", data, follow=True)
    report = Report.objects.get()
    assert report.allow_current_text and not report.allow_gaps
    assert DESTROYED in squeeze(pdf_text(report.file.read()))


def test_every_assessed_fact_is_left_blank(founding):
    """What the record does not show of the day, none of it kept (a fact added to the
    snapshot's incident later must be named in snapshot.ASSESSED_UNKNOWN or here)."""
    snapshot = build_snapshot(founding, document_date=date.fromisoformat(DAY))
    assert snapshot["narratives_recorded_at"]
    now, blank = snapshot["incident"], without_current_text(snapshot)["incident"]
    dated = {"id", "reference", "status", "published_at", "regimes", "publication_status"}
    kept = {key for key in now if key not in dated and now[key] and blank[key] == now[key]}
    # The founding case's count is recorded as not known: blank already. The company's own
    # moments of the day (detection, awareness, containment) are dated facts, kept.
    assert kept == {"affected_count_qualifier", "detected_at", "aware_at", "contained_at"}
    assert now["occurred_at"] is None or blank["occurred_at"] is None
    assert now["title_ja"] and now["aware_at"] and now["category"] and 3 in now["article7_cases"]
    assert without_current_text(snapshot)["narratives_recorded_at"]


def test_a_report_made_with_the_current_text_is_recorded_without_a_gap_it_does_not_have(
    founding, media_root, django_capture_on_commit_callbacks
):
    """Made with the current text (nothing else missing): the readiness page, the request and
    the report's own gaps agree, so its filing needs no confirmation of gaps it does not have;
    made with gaps, the same three agree on what it lacks."""
    day = date.fromisoformat(DAY)
    with django_capture_on_commit_callbacks(execute=True):
        current = services.request_report(
            founding, "ppc-preliminary", "ja", None, document_date=DAY, allow_current_text=True
        )
        gapped = services.request_report(
            founding, "ppc-preliminary", "ja", None, document_date=DAY, allow_gaps=True
        )
    current.refresh_from_db()
    gapped.refresh_from_db()
    assert services.gaps_of(current) == []
    page = services.check_readiness(founding, "ppc-preliminary", "ja", document_date=day)
    assert [(g.item, g.detail) for g in services.gaps_of(gapped)] == [
        (g.item, g.detail) for g in page.missing
    ]
    assert "narratives" in {g.item for g in page.missing}


def test_the_reports_list_does_not_say_a_current_text_report_lacks_its_narratives(
    client, founding, media_root, django_capture_on_commit_callbacks
):
    """Made with gaps and the current text allowed: the list says what it lacked as printed
    (not the narratives it printed), as filing it does; made with gaps only, it names them."""
    from .test_admin import persona

    with django_capture_on_commit_callbacks(execute=True):
        current = services.request_report(
            founding,
            "ppc-preliminary",
            "ja",
            None,
            document_date=DAY,
            allow_gaps=True,
            allow_current_text=True,
        )
        gapped = services.request_report(
            founding, "ppc-preliminary", "ja", None, document_date=DAY, allow_gaps=True
        )
    client.force_login(persona("committee", "view_report"))
    listing = client.get("/admin/reporting/report/").content.decode()
    current_row = listing.split(f"/admin/reporting/report/{current.pk}/change/")[1][:1500]
    gapped_row = listing.split(f"/admin/reporting/report/{gapped.pk}/change/")[1][:1500]
    assert "記述（概要・原因など）" not in current_row.split("</tr>")[0]
    assert "記述（概要・原因など）" in gapped_row.split("</tr>")[0]
