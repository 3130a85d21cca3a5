"""Through the public surface: admin action, reports list, PDF download, the command."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import include, path
from django.utils import translation

from config.urls import urlpatterns as project_urls
from reporting import services
from reporting.models import Report

from .conftest import pdf_text

urlpatterns = [*project_urls, path("", include("reporting.urls"))]


def persona(name: str, *perms: str):
    user = get_user_model().objects.get(username=name)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="reporting", codename__in=perms)
    )
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def ready(founding, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(founding, "public-final", "ja", None, allow_gaps=True)
    report.refresh_from_db()
    return report


def test_committee_generates_a_report_from_the_incident_list(
    client, founding, media_root, django_capture_on_commit_callbacks
):
    client.force_login(persona("committee", "add_report", "view_report"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/incidents/incident/",
            {
                "action": "generate_report",
                "_selected_action": [founding.pk],
                "report_kind": "ppc-final",
                "report_language": "en",
                "allow_gaps": "on",
            },
            follow=True,
        )
    assert response.status_code == 200
    report = Report.objects.get()
    assert (report.kind, report.language, report.status) == ("ppc-final", "en", "ready")
    assert report.requested_by.username == "committee"
    listing = client.get("/admin/reporting/report/").content.decode()
    assert founding.reference in listing and f"/admin/reporting/report/{report.pk}/pdf/" in listing


def test_action_without_a_kind_requests_nothing(client, founding):
    client.force_login(persona("committee", "add_report", "view_report"))
    client.post(
        "/admin/incidents/incident/",
        {"action": "generate_report", "_selected_action": [founding.pk], "report_language": "ja"},
    )
    assert not Report.objects.exists()


def test_outsider_cannot_generate_for_an_incident_they_cannot_see(client, founding):
    client.force_login(persona("outsider", "add_report", "view_report"))
    client.post(
        "/admin/incidents/incident/",
        {
            "action": "generate_report",
            "_selected_action": [founding.pk],
            "report_kind": "ppc-final",
            "report_language": "ja",
        },
    )
    assert not Report.objects.exists()


def test_report_admin_is_read_only(admin_client, ready):
    page = admin_client.get(f"/admin/reporting/report/{ready.pk}/change/")
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    assert admin_client.get("/admin/reporting/report/add/").status_code == 403
    assert admin_client.post(f"/admin/reporting/report/{ready.pk}/delete/").status_code == 403
    assert Report.objects.filter(pk=ready.pk).exists()


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/admin/reporting/report/{pk}/pdf/", "/reports/{pk}/pdf/"])
def test_pdf_download_only_for_who_may_see_the_incident(client, ready, url):
    url = url.format(pk=ready.pk)
    client.force_login(persona("legal", "view_report"))
    response = client.get(url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert response["X-Checksum-SHA256"] == ready.sha256
    assert "【お客様へのお願い】" in "".join(pdf_text(content).split())
    client.force_login(persona("outsider", "view_report"))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_outsider_sees_no_reports_in_the_list(client, ready, django_assert_max_num_queries):
    client.force_login(persona("outsider", "view_report"))
    with django_assert_max_num_queries(12):
        page = client.get("/admin/reporting/report/")
    assert ready.incident.reference not in page.content.decode()


@pytest.mark.django_db(transaction=True)  # the command's own commit sends the task
def test_command_generates_and_writes(founding, media_root, tmp_path, capsys):
    output = tmp_path / "reports" / "new-folder" / "out.pdf"  # folders are created
    call_command(
        "generate_report",
        founding.reference,
        kind="ppc-final",
        lang="ja",
        output=str(output),
        timeout=60,
        allow_gaps=True,
        date="2022-03-04",
    )
    assert str(output) in capsys.readouterr().out
    text = pdf_text(output.read_bytes())
    assert "確報" in text and "令和4年3月4日" in text


@pytest.mark.parametrize(
    ("reference", "kind", "lang", "message"),
    [
        ("INC-1999-0001", "ppc-final", "ja", "No incident"),
        ("INC-2022-0001", "gdpr", "ja", "Unknown report kind"),
        ("INC-2022-0001", "ppc-final", "fr", "Unknown report language"),
    ],
)
def test_command_refuses_unknown_input(founding, reference, kind, lang, message):
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("generate_report", reference, kind=kind, lang=lang, wait=True)
    assert not Report.objects.exists()


def test_command_takes_another_organizations_reference(founding):
    from incidents import services as incident_services
    from incidents.models import Organization

    acme = Organization.objects.create(name_ja="アクメ", code="ACME")
    twin = incident_services.open_incident(
        organization=acme,
        user=None,
        title="同年の事案",
        category="malware",
        aware_at=founding.aware_at,
    )
    call_command("generate_report", "ACME-2022-0001", kind="ppc-final", lang="ja", allow_gaps=True)
    report = Report.objects.get()
    assert report.incident == twin
    assert report.filename.startswith("ACME-2022-0001-ppc-final-ja")


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (
            "folder/",
            "はフォルダです。PDF のファイル名を指定してください",
        ),  # as typed, not yet there
        ("", "はフォルダです。PDF のファイル名を指定してください"),  # an existing folder
        ("a-file/out.pdf", "はフォルダではなくファイルです"),
    ],
)
def test_command_checks_the_output_before_requesting(founding, tmp_path, where, message):
    """`--output /tmp/dir/` used to fail with "Is a directory" after the report was
    requested (and rendered): now a clear message, and nothing requested."""
    (tmp_path / "a-file").write_text("not a folder")
    output = f"{tmp_path}/{where}"
    with translation.override("ja"), pytest.raises(CommandError, match=message):
        call_command(
            "generate_report",
            founding.reference,
            kind="ppc-final",
            lang="ja",
            output=output,
            timeout=60,
            allow_gaps=True,
        )
    assert not Report.objects.exists()


def test_a_reports_history_page_reads_as_events_in_the_incidents_time(client, persona, founding):
    """Not the raw code ("submitted"), "None", "Deleted user (pk=None)" or UTC timestamps."""
    from reporting import services as report_services
    from tests.conftest import jst

    report = report_services.request_report(
        founding, "ppc-final", "ja", persona["legal"], allow_gaps=True
    )
    report_services.render(report.pk)  # as the worker does
    report.refresh_from_db()
    report_services.mark_submitted(
        report,
        user=persona["legal"],
        to="個人情報保護委員会",
        at=jst(2022, 3, 1, 10),
        with_gaps=True,
    )
    client.force_login(persona["legal"])
    page = client.get(f"/admin/reporting/report/{report.pk}/history/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<td>提出</td>" in "".join(line.strip() for line in text.splitlines())
    assert "pk=None" not in text
    assert "+00:00" not in text
    assert "2022-03-01 10:00 JST" in text  # the submission time, in Tokyo
    assert "システム" in text  # the rendering was the pipeline's, not a person's


IN_A_MONTH = (date.today() + timedelta(days=31)).isoformat()


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("report_date", "2026/13/01", "日付は YYYY-MM-DD の形式で入力してください"),
        # A date a reader could take for March or February: refused, not guessed.
        ("report_date", "03/02/2022", "日付は YYYY-MM-DD の形式で入力してください"),
        ("report_date", "令和4年2月3日", "例: 2022-02-03"),
        ("report_kind", "xx", "正しく選択してください。 xx は候補にありません。"),
        ("report_kind", "", "この項目は必須です。"),
        ("report_language", "fr", "正しく選択してください。 fr は候補にありません。"),
        ("report_language", "ja", "この種類の報告書が作成できる言語: en。"),
        ("report_date", "2222-01-01", "2222"),
        # In range, but after today or before the organization knew of the case.
        ("report_date", IN_A_MONTH, "文書の日付に今日"),
        ("report_date", "2022-02-02", "事態を知った日時は2022-02-03"),
    ],
)
def test_action_with_bad_input_shows_the_form_again_with_the_fields_error(
    client, founding, field, value, error
):
    """Not Django's "no action selected": the form again, the field's error, nothing made."""
    client.force_login(persona("committee", "add_report", "view_report"))
    data = {
        "action": "generate_report",
        "index": "0",
        "_selected_action": [founding.pk],
        "report_kind": "gdpr-art33" if value == "ja" else "ppc-final",
        "report_language": "en",
        "report_date": "2022-03-04",
        field: value,
    }
    response = client.post("/admin/incidents/incident/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "操作が選択されていません" not in page
    assert 'id="generate-report"' in page and founding.reference in page
    errors = page[page.index(f'id="id_{field}"') - 600 : page.index(f'id="id_{field}"')]
    assert error in errors
    assert f'value="{founding.pk}"' in page  # the selection is carried to the next try
    assert not Report.objects.exists()
    # Corrected on that form (posted without the action bar's "index"), it is generated.
    data.pop("index")
    data.update({"report_kind": "ppc-final", "report_language": "en", "report_date": "2022-03-04"})
    data["allow_gaps"] = "on"
    client.post("/admin/incidents/incident/", data)
    report = Report.objects.get()
    assert (report.kind, report.language, report.document_date.isoformat()) == (
        "ppc-final",
        "en",
        "2022-03-04",
    )
