"""Error pages speak the reader's language: Japanese on a Japanese page, English otherwise."""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views import defaults

pytestmark = pytest.mark.django_db

ENGLISH = ["Not Found", "Forbidden", "Server Error", "requested resource", "CSRF"]


def visible_text(html: str) -> str:
    return html.split("<body>", 1)[1]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("ja", "ページが見つかりません"), ("en", "Page not found")],
)
def test_404_in_the_readers_language(client, persona, lang, expected):
    client.force_login(persona["committee"])
    client.cookies["django_language"] = lang
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert expected in response.text
    if lang == "ja":
        assert '<html lang="ja">' in response.text
        assert not any(word in visible_text(response.text) for word in ENGLISH)


def test_403_in_japanese(client, persona):
    client.force_login(persona["committee"])
    client.cookies["django_language"] = "ja"
    response = client.get("/admin/incidents/organization/add/")
    assert response.status_code == 403
    assert "権限がありません" in response.text
    assert not any(word in visible_text(response.text) for word in ENGLISH)


def test_csrf_failure_in_japanese():
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "ja"
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "フォームの有効期限が切れました" in response.text


def test_500_in_japanese():
    request = RequestFactory().get("/")
    with translation.override("ja"):
        response = defaults.server_error(request)
    text = response.content.decode()
    assert response.status_code == 500
    assert "サーバーエラー" in text
    assert not any(word in visible_text(text) for word in ENGLISH)


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/reports/"), ("get", "/api/v1/nothing/"), ("post", "/api/v1/nothing/x/")],
)
def test_an_unknown_api_path_is_a_json_404(client, persona, settings, debug, method, path):
    """The API's error format, not Django's HTML page (its debug page when DEBUG is on)."""
    settings.DEBUG = debug
    client.force_login(persona["legal"])
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["status"] == 404


def test_an_api_path_without_its_slash_still_finds_the_endpoint(client, persona):
    client.force_login(persona["legal"])
    response = client.get("/api/v1/reports")
    assert response.status_code == 301 and response["Location"] == "/api/v1/reports/"


def test_the_api_root_lists_every_list_of_the_api(client, django_user_model):
    """/api/v1/ is where a new client starts: the reports and the scope are there too."""
    from rest_framework.test import APIClient

    user = django_user_model.objects.create_user("root-reader", password="x" * 12)
    api = APIClient()
    api.force_authenticate(user)
    listed = api.get("/api/v1/", HTTP_ACCEPT="application/json").json()
    for name in ("incidents", "milestones", "reports", "assets", "indicators"):
        assert listed[name].endswith(f"/api/v1/{name}/"), (name, listed)
