"""The notice to the people concerned: PDF letter and plain-text e-mail body, and recording
that it was sent fulfils the individuals obligation (through incidents' own service)."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from reporting.models import Report

from ..conftest import jst
from .conftest import pdf_text, squeeze

# The founding case is loaded once for the module; each test's changes are rolled back.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]


@pytest.fixture
def legal(founding):
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(username="legal"))
    return client


def request_notice(client, founding, language, capture):
    with capture(execute=True):
        response = client.post(
            "/api/v1/reports/",
            {
                "incident": founding.pk,
                "kind": "individual-notice",
                "language": language,
                "date": "2022-02-10",
                "allow_gaps": True,  # the founding case has no public contact
                # Recorded in 2026: its text as it reads now, checked to suit 2022-02-10.
                "allow_current_text": True,
            },
            format="json",
        )
    assert response.status_code == 202, response.content
    return client.get(response["Location"]).json()


def test_japanese_letter_and_mail_body(
    legal, founding, media_root, django_capture_on_commit_callbacks
):
    report = request_notice(legal, founding, "ja", django_capture_on_commit_callbacks)
    assert report["status"] == "ready" and report["text_url"]
    pdf = squeeze(pdf_text(legal.get(report["pdf_url"]).getvalue()))
    for phrase in [
        "個人情報の漏えい等に関するお知らせとお詫び",
        "令和4年2月10日",
        "1概要",
        "2漏えい等が発生し、又は発生したおそれがある個人情報の項目",
        "メールアドレス",
        "3原因",
        "当該端末がマルウェア「Emotet」に感染し",
        "4二次被害又はそのおそれの有無及びその内容",
        "5弊社の対応",
        "代表取締役を責任者とした対策委員会の設置",
        "6皆様へのお願い",
        "7お問い合わせ先",
    ]:
        assert phrase in pdf, phrase
    text = legal.get(report["text_url"])
    assert text.status_code == 200 and text["Content-Type"].startswith("text/plain")
    body = text.content.decode()
    assert "令和4年2月10日" in body and "3. 原因" in body and "<" not in body
    assert "当該端末がマルウェア「Emotet」に感染し、メール情報が窃取されたこと。" in body


def test_english_letter_says_what_happened_and_what_to_do(
    legal, founding, media_root, django_capture_on_commit_callbacks
):
    report = request_notice(legal, founding, "en", django_capture_on_commit_callbacks)
    pdf = pdf_text(legal.get(report["pdf_url"]).getvalue())
    for phrase in [
        "Notice of a breach involving your personal information",
        "February 10, 2022",
        "What happened",
        "What information was involved",
        "E-mail address",
        "What we are doing",
        "What you can do",
        "For more information",
    ]:
        assert phrase in pdf, phrase
    assert "令和" not in pdf
    body = legal.get(report["text_url"]).content.decode()
    assert "6. What you can do" in body


def test_recording_it_sent_fulfils_the_individuals_obligation(
    legal, founding, media_root, django_capture_on_commit_callbacks
):
    report = request_notice(legal, founding, "ja", django_capture_on_commit_callbacks)
    obligation = founding.obligations.get(regime="appi", stage="individuals")
    assert obligation.fulfilled_at is None
    what = {"sent_at": jst(2022, 2, 10, 9).isoformat(), "channel": "email", "people_reached": 120}
    # Generated with gaps (no public contact): not recorded until the sender says it went
    # out with them; the refusal names what was missing.
    unconfirmed = legal.post(
        f"/api/v1/reports/{report['id']}/sent/", what, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert unconfirmed.status_code == 400, unconfirmed.content
    (message,) = unconfirmed.json()["error"]["fields"]["with_gaps"]
    assert message.startswith("This document was generated with items missing: ")
    assert "Contact" in message, message
    obligation.refresh_from_db()
    assert obligation.fulfilled_at is None and not founding.individual_notices.exists()
    sent = legal.post(
        f"/api/v1/reports/{report['id']}/sent/", {**what, "with_gaps": True}, format="json"
    )
    assert sent.status_code == 200, sent.content
    assert sent.json()["submitted_at"]
    obligation.refresh_from_db()
    assert obligation.fulfilled_at == jst(2022, 2, 10, 9)
    notice = founding.individual_notices.get()
    assert (notice.channel, notice.people_reached) == ("email", 120)
    again = legal.post(
        f"/api/v1/reports/{report['id']}/sent/",
        {"sent_at": jst(2022, 2, 10, 9).isoformat(), "channel": "email", "people_reached": 1},
        format="json",
    )
    assert again.status_code == 409
    assert founding.individual_notices.count() == 1
    # The generic "submitted" path does not bypass the notice's own record.
    other = request_notice(legal, founding, "en", django_capture_on_commit_callbacks)
    refused = legal.post(
        f"/api/v1/reports/{other['id']}/submit/", {"submitted_to": "customers"}, format="json"
    )
    assert refused.status_code == 400


def test_bad_sent_input_is_refused_and_nothing_is_written(
    legal, founding, media_root, django_capture_on_commit_callbacks
):
    report = request_notice(legal, founding, "ja", django_capture_on_commit_callbacks)
    future = legal.post(
        f"/api/v1/reports/{report['id']}/sent/",
        {
            "sent_at": "2099-01-01T00:00:00+09:00",
            "channel": "email",
            "people_reached": 3,
            "with_gaps": True,
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert future.status_code == 400
    assert future.json()["error"]["fields"] == {
        "sent_at": ["A notice cannot be recorded as sent in the future."]
    }
    nobody = legal.post(
        f"/api/v1/reports/{report['id']}/sent/",
        {
            "sent_at": jst(2022, 2, 10, 9).isoformat(),
            "channel": "letter",
            "people_reached": 0,
            "with_gaps": True,
        },
        format="json",
    )
    assert nobody.status_code == 400
    assert list(nobody.json()["error"]["fields"]) == ["people_reached"]
    missing = legal.post(f"/api/v1/reports/{report['id']}/sent/", {}, format="json")
    assert missing.status_code == 400
    assert set(missing.json()["error"]["fields"]) >= {"sent_at", "channel", "people_reached"}
    assert not founding.individual_notices.exists()
    assert Report.objects.get(pk=report["id"]).submitted_at is None


def test_outsider_and_executive_are_kept_out(
    legal, founding, media_root, django_capture_on_commit_callbacks, make_user
):
    report = request_notice(legal, founding, "ja", django_capture_on_commit_callbacks)
    outsider = APIClient()
    # Legal, but not a member of the incident: the report does not exist for them.
    outsider.force_authenticate(make_user("stranger", role="legal"))
    assert outsider.get(f"/api/v1/reports/{report['id']}/text/").status_code == 404
    assert (
        outsider.post(
            f"/api/v1/reports/{report['id']}/sent/",
            {"sent_at": jst(2022, 2, 10).isoformat(), "channel": "email", "people_reached": 1},
            format="json",
        ).status_code
        == 404
    )
    executive = APIClient()
    executive.force_authenticate(get_user_model().objects.get(username="executive"))
    assert executive.get(f"/api/v1/reports/{report['id']}/text/").status_code == 200
    assert (
        executive.post(
            f"/api/v1/reports/{report['id']}/sent/",
            {"sent_at": jst(2022, 2, 10).isoformat(), "channel": "email", "people_reached": 1},
            format="json",
        ).status_code
        == 403
    )


def test_admin_records_it_sent_and_offers_the_mail_text(
    founding, media_root, django_capture_on_commit_callbacks, client
):
    legal = get_user_model().objects.get(username="legal")
    client.force_login(legal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/incidents/incident/",
            {
                "action": "generate_report",
                "_selected_action": [founding.pk],
                "report_kind": "individual-notice",
                "report_language": "ja",
                "report_date": "2022-02-10",
                "allow_gaps": "on",
            },
        )
    report = Report.objects.get(kind="individual-notice")
    listing = client.get("/admin/reporting/report/").content.decode()
    assert f"/admin/reporting/report/{report.pk}/text/" in listing
    assert (
        "令和4年2月10日"
        in client.get(f"/admin/reporting/report/{report.pk}/text/").content.decode()
    )
    action = {
        "action": "mark_sent",
        "_selected_action": [report.pk],
        "sent_at": "2022-02-10 09:00",
        "notice_channel": "letter",
        "people_reached": "5",
    }
    # Generated with gaps: refused, naming them, until the box says it went out with them.
    refused = client.post("/admin/reporting/report/", action, follow=True)
    (shown,) = [str(m) for m in refused.context["messages"]]
    assert "不足する項目があるまま作成されています" in shown and "一般向け問い合わせ先" in shown, (
        shown
    )
    assert founding.obligations.get(regime="appi", stage="individuals").fulfilled_at is None
    assert "不足があるまま提出・送付した" in refused.content.decode()  # the box is offered
    response = client.post("/admin/reporting/report/", {**action, "with_gaps": "on"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["info"]
    report.refresh_from_db()
    assert report.submitted_at == jst(2022, 2, 10, 9)
    assert founding.obligations.get(regime="appi", stage="individuals").fulfilled_at is not None


def test_a_date_not_recorded_is_said_to_be_unknown_only_with_a_recorded_reason(founding):
    """The founding case records no date of occurrence and no reason why: the letter (sent
    with that gap by an override) says it is to follow, not 特定できず; with the reason
    recorded for the overview, it states it, as the 確報 does."""
    from incidents.choices import PPCItem
    from incidents.models import UnresolvedItem
    from reporting import rendering
    from reporting.readiness import readiness
    from reporting.snapshot import build_snapshot

    snapshot = build_snapshot(founding)
    assert snapshot["incident"]["occurred_at"] is None
    gaps = readiness("individual-notice", "ja", snapshot).gaps
    assert ("overview", "missing") in {(g.item, g.state) for g in gaps}
    letter = squeeze(pdf_text(rendering.render_pdf("individual-notice", "ja", snapshot).content))
    mail = rendering.render_text("individual-notice", "ja", snapshot)
    assert "発生日追ってお知らせいたします。" in letter
    assert "発生日: 追ってお知らせいたします。" in mail
    assert "特定できず" not in letter and "特定できず" not in mail
    UnresolvedItem.objects.create(
        incident=founding,
        item=PPCItem.OVERVIEW,
        reason_ja="感染の日時を示す記録が残っていないため",
        reason_en="no record shows when the infection happened",
    )
    stated = build_snapshot(founding)
    assert ("overview", "unresolved") in {
        (g.item, g.state) for g in readiness("individual-notice", "ja", stated).gaps
    }
    letter = squeeze(pdf_text(rendering.render_pdf("individual-notice", "ja", stated).content))
    # Said as the letter says everything, politely, with the reason (not the form's 特定できず).
    said = "発生日調査の結果、特定できませんでした（理由:感染の日時を示す記録が残っていないため）。"
    assert said in letter
    mail = rendering.render_text("individual-notice", "en", stated)
    assert "Date of the breach: Could not be determined: no record shows when" in mail


@pytest.mark.parametrize(
    ("language", "taken", "planned", "plea", "addresses"),
    [
        (
            "ja",
            "実施済みの措置",
            "今後実施予定の措置",
            "6. 皆様へのお願い",
            "下記のメールアドレス及びドメインを利用",  # one of them is a domain
        ),
        (
            "en",
            "Measures taken",
            "Measures planned",
            "6. What you can do",
            "only from the following",
        ),
    ],
)
def test_mail_body_tells_done_from_planned_and_lists_our_sender_addresses(
    legal,
    founding,
    media_root,
    django_capture_on_commit_callbacks,
    language,
    taken,
    planned,
    plea,
    addresses,
):
    """As the letter does: measures taken and measures planned apart (a planned measure is
    not told as done), and the addresses the reader is asked to check mail against."""
    done = founding.actions.filter(done_at__isnull=False).first()
    todo = founding.actions.filter(done_at__isnull=True).first()
    assert done is not None and todo is not None
    title = {"ja": "title_ja", "en": "title_en"}[language]
    report = request_notice(legal, founding, language, django_capture_on_commit_callbacks)
    body = legal.get(report["text_url"]).content.decode()
    measures = body[body.index("5. ") : body.index(plea)]
    assert measures.index(taken) < measures.index(getattr(done, title)) < measures.index(planned)
    assert measures.index(planned) < measures.index(getattr(todo, title))
    pleas = body[body.index(plea) : body.index("7. ")]
    assert addresses in pleas
    assert "info@d1-seihan-p.example" in pleas
    # The letter says the same.
    pdf = squeeze(pdf_text(legal.get(report["pdf_url"]).getvalue()))
    letter = pdf[pdf.index(squeeze(plea[3:])) :]
    assert squeeze(addresses) in letter and "info@d1-seihan-p.example" in letter
    assert pdf.index(squeeze(taken)) < pdf.index(squeeze(getattr(done, title)))
    assert pdf.index(squeeze(planned)) < pdf.index(squeeze(getattr(todo, title)))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sent_at", "2022/13/40 09:00"),
        ("people_reached", "many"),
        ("people_reached", "0"),
        ("notice_channel", "pigeon"),
    ],
)
def test_admin_record_as_sent_with_bad_input_says_which_field(
    founding, media_root, django_capture_on_commit_callbacks, client, field, value
):
    """Not Django's "no action selected": the field and its error; nothing is recorded."""
    from reporting import services

    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(founding, "individual-notice", "ja", None, allow_gaps=True)
    client.force_login(get_user_model().objects.get(username="legal"))
    data = {
        "action": "mark_sent",
        "index": "0",
        "_selected_action": [report.pk],
        "sent_at": "2022-02-10 09:00",
        "notice_channel": "letter",
        "people_reached": "5",
        "with_gaps": "on",
        field: value,
    }
    response = client.post("/admin/reporting/report/", data, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    label = {"sent_at": "送信日時", "people_reached": "通知した人数", "notice_channel": "届出方法"}
    assert len(shown) == 1 and "操作が選択されていません" not in shown[0], shown
    assert shown[0].startswith(label[field]), shown
    report.refresh_from_db()
    assert report.submitted_at is None
    assert not founding.individual_notices.exists()


def test_a_notice_is_not_sent_before_the_date_it_bears(
    legal, founding, media_root, django_capture_on_commit_callbacks, client
):
    report = request_notice(legal, founding, "ja", django_capture_on_commit_callbacks)
    assert report["document_date"] == "2022-02-10"
    early = legal.post(
        f"/api/v1/reports/{report['id']}/sent/",
        {"sent_at": "2022-02-09T23:59+09:00", "channel": "email", "people_reached": 3},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert early.status_code == 400, early.content
    assert "dated 2022-02-10" in early.json()["error"]["fields"]["sent_at"][0]
    # The admin refuses it the same way, and nothing is written.
    client.force_login(get_user_model().objects.get(username="legal"))
    client.cookies["django_language"] = "en"
    page = client.post(
        "/admin/reporting/report/",
        {
            "action": "mark_sent",
            "_selected_action": [report["id"]],
            "sent_at": "2022-02-09 10:00",
            "notice_channel": "letter",
            "people_reached": "5",
        },
        follow=True,
    )
    assert [m.level_tag for m in page.context["messages"]] == ["error"]
    assert "dated 2022-02-10" in page.content.decode()
    assert not founding.individual_notices.exists()
    # Its own day (in the incident's zone) is fine: 2022-02-10 00:30 JST is 2022-02-09 UTC.
    sent = legal.post(
        f"/api/v1/reports/{report['id']}/sent/",
        {"sent_at": "2022-02-09T15:30:00Z", "channel": "email", "people_reached": 3},
        format="json",
    )
    assert sent.status_code == 400 and "with_gaps" in sent.json()["error"]["fields"]
    sent = legal.post(
        f"/api/v1/reports/{report['id']}/sent/",
        {
            "sent_at": "2022-02-09T15:30:00Z",
            "channel": "email",
            "people_reached": 3,
            "with_gaps": True,
        },
        format="json",
    )
    assert sent.status_code == 200, sent.content
