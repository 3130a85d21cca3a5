"""What a person reads back from the API, the admin and the command: in their language, one
full stop at a time, help text that fits the field; the readiness check found by reference
as the incident's other endpoints are; a sent notice named on the obligation it fulfils."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from incidents.models import Incident
from reporting.models import Report

from ..conftest import jst
from ..helpers import api_client

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


def user(name: str):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def lacking(founding):
    """The founding case without its cause: a 確報 is not ready."""
    Incident.objects.filter(pk=founding.pk).update(cause_ja="", cause_en="")
    return founding


def test_not_ready_says_each_sentence_once_in_the_api_and_the_admin(lacking, client):
    refused = api_client(user("legal")).post(
        "/api/v1/reports/",
        {"incident": lacking.pk, "kind": "ppc-final", "language": "ja"},
        format="json",
    )
    assert refused.status_code == 400
    message = refused.json()["error"]["message"]
    assert "文書の準備ができていません" in message and "原因" in message
    assert "。。" not in message
    client.force_login(user("legal"))
    page = client.post(
        "/admin/incidents/incident/",
        {
            "action": "generate_report",
            "index": "0",
            "_selected_action": [lacking.pk],
            "report_kind": "ppc-final",
            "report_language": "ja",
        },
        follow=True,
    )
    shown = [str(m) for m in page.context["messages"]]
    assert any("文書の準備ができていません" in m for m in shown), shown
    assert not any("。。" in m for m in shown), shown
    assert not Report.objects.exists()


def test_the_command_speaks_the_default_language(lacking):
    with translation.override(settings.LANGUAGE_CODE):  # as from the shell: Japanese
        with pytest.raises(CommandError) as missing:
            call_command("generate_report", "INC-1999-0001", kind="ppc-final", lang="ja")
        assert str(missing.value) == "管理番号「INC-1999-0001」のインシデントはありません。"
        with pytest.raises(CommandError) as refused:
            call_command(
                "generate_report", lacking.reference, kind="ppc-final", lang="ja", stderr=StringIO()
            )
        assert "準備ができていません" in str(refused.value)
        assert "--allow-gaps" in str(refused.value) and "Not ready" not in str(refused.value)
        out = StringIO()
        with pytest.raises(CommandError) as checked:
            call_command(
                "generate_report",
                lacking.reference,
                kind="ppc-final",
                lang="ja",
                check=True,
                stdout=out,
            )
        assert "不足している事項が" in str(checked.value) and "Not ready" not in str(checked.value)
        assert "原因" in out.getvalue()
    assert not Report.objects.exists()


def test_a_bad_boolean_is_refused_in_japanese(founding):
    response = api_client(user("legal")).post(
        "/api/v1/reports/",
        {"incident": founding.pk, "kind": "ppc-final", "language": "ja", "allow_gaps": "maybe"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["allow_gaps"] == [
        "真偽値(true または false)を入力してください。"
    ]
    english = api_client(user("legal"), "en").post(
        "/api/v1/reports/",
        {"incident": founding.pk, "kind": "ppc-final", "language": "ja", "allow_gaps": "maybe"},
        format="json",
    )
    assert english.json()["error"]["fields"]["allow_gaps"] == ["Must be a valid boolean."]


def test_who_asked_and_who_submitted_have_their_own_help_in_the_schema(founding):
    schema = (
        api_client(user("legal"), "en").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    )
    report = schema["components"]["schemas"]["Report"]["properties"]
    assert report["requested_by"]["description"] == (
        "Username of who asked for the report; null when the system did."
    )
    assert report["submitted_by"]["description"] == (
        "Username of who recorded it as submitted, published or sent."
    )
    readiness = schema["paths"]["/api/v1/incidents/{id}/readiness/"]["get"]
    key = next(p for p in readiness["parameters"] if p["name"] == "id")
    assert key["schema"]["type"] == "string" and "reference" in key["description"]


def test_readiness_takes_the_reference_and_answers_errors_in_the_api_format(founding, make_user):
    legal = api_client(user("legal"))
    query = {"kind": "ppc-preliminary", "language": "ja"}
    by_id = legal.get(f"/api/v1/incidents/{founding.pk}/readiness/", query)
    by_reference = legal.get(f"/api/v1/incidents/{founding.reference}/readiness/", query)
    assert by_id.status_code == by_reference.status_code == 200
    assert by_reference.json() == by_id.json()
    outsider = api_client(user("outsider"))
    outsider.force_authenticate(user("outsider"))
    for client, key in [
        (legal, "INC-1999-0001"),
        (legal, "not a reference"),
        (legal, "99999999999999999999999"),
        (outsider, founding.reference),
    ]:
        response = client.get(f"/api/v1/incidents/{key}/readiness/", query)
        assert response.status_code == 404, key
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["error"]["status"] == 404


def test_the_obligation_a_sent_notice_fulfils_names_the_notice(
    founding, media_root, django_capture_on_commit_callbacks
):
    legal = api_client(user("legal"))
    with django_capture_on_commit_callbacks(execute=True):
        requested = legal.post(
            "/api/v1/reports/",
            {
                "incident": founding.pk,
                "kind": "individual-notice",
                "language": "ja",
                "date": "2022-02-10",  # a notice is not sent before the date it bears
                "allow_gaps": True,
            },
            format="json",
        )
    report = requested.json()["id"]
    sent = legal.post(
        f"/api/v1/reports/{report}/sent/",
        {
            "sent_at": jst(2022, 2, 10, 9).isoformat(),
            "channel": "email",
            "people_reached": 120,
            "with_gaps": True,
        },
        format="json",
    )
    assert sent.status_code == 200, sent.content
    obligation = founding.obligations.get(regime="appi", stage="individuals")
    shown = legal.get(f"/api/v1/obligations/{obligation.pk}/").json()
    assert shown["fulfilled_at"] is not None
    assert shown["fulfilled_by_report_id"] == report
