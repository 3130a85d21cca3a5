"""No English left on the admin's Japanese pages that come from other apps: the login
attempts (django-axes), the API tokens (django-knox), and the permissions of a user's and a
group's page (Django stores their names in English); nor on the browsable API's pages
(Django REST framework)."""

import importlib
import inspect
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from knox.models import AuthToken
from rest_framework import serializers

from incidents.models import Organization
from tests.conftest import JST
from tests.helpers import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("founding_once")]

# Words a Japanese page may show in ASCII: names, data (a user agent, a path), the product,
# the language switch's "English", and the keys of a keyboard.
ALLOWED = {"Taisaku", "English", "Control", "Command", "Mac", "API", "SHA", "GET", "POST", "HTTP"}
ALLOWED |= {"TLP", "RED", "LDAP"}  # terms written so in Japanese too (TLP:RED, LDAP)
ALLOWED |= {"JST", "UTC"}  # a date-time's zone (2026-11-30 03:36 JST), in both languages


class Text(HTMLParser):
    """The text a reader sees: no scripts, styles or attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def english_words(html: str, data: set[str]) -> set[str]:
    parser = Text()
    parser.feed(html)
    words = set(re.findall(r"[A-Za-z]{3,}", " ".join(parser.parts)))
    return words - ALLOWED - data


@pytest.fixture
def logins(persona):
    """An attempt, a lockout and a log of a login, as django-axes records them."""
    fields = {"user_agent": "curl", "ip_address": "192.0.2.1", "http_accept": "*/*"}
    log = AccessLog.objects.create(username="committee", path_info="/admin/login/", **fields)
    failure = AccessFailureLog.objects.create(
        username="outsider", path_info="/admin/login/", locked_out=True, **fields
    )
    attempt = AccessAttempt.objects.create(
        username="outsider",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        failures_since_start=5,
        **fields,
    )
    token, _ = AuthToken.objects.create(persona["legal"], expiry=timedelta(days=1))
    return {"attempt": attempt, "token": token, "log": log, "failure": failure}


def pages(persona, logins):
    group = Group.objects.order_by("pk").first()
    return [
        reverse("admin:index"),
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:axes_accessattempt_change", args=[logins["attempt"].pk]),
        reverse("admin:axes_accessattempt_delete", args=[logins["attempt"].pk]),
        reverse("admin:axes_accessattempt_history", args=[logins["attempt"].pk]),
        reverse("admin:axes_accessfailurelog_changelist"),
        reverse("admin:axes_accessfailurelog_change", args=[logins["failure"].pk]),
        reverse("admin:axes_accesslog_changelist"),
        reverse("admin:axes_accesslog_change", args=[logins["log"].pk]),
        reverse("admin:knox_authtoken_changelist"),
        reverse("admin:knox_authtoken_add"),
        reverse("admin:knox_authtoken_change", args=[logins["token"].pk]),
        reverse("admin:auth_group_change", args=[group.pk]),
        reverse("admin:auth_user_change", args=[persona["committee"].pk]),
        reverse("admin:auth_user_add"),
    ]


def test_no_english_on_the_japanese_admin_of_other_apps(client, persona, logins):
    login(client, persona["admin"], "ja")
    # What the records themselves say: user names, the token's digest, paths, agents.
    data = {*(p.username for p in persona.values()), "admin", "login", "curl", "outsider"}
    data.add("unknown")  # the path axes records for a login without a request path
    data |= set(re.findall(r"[A-Za-z]{3,}", logins["token"].digest))
    data |= set(re.findall(r"[A-Za-z]{3,}", logins["token"].digest[:16]))  # the list's start
    data |= {"auditor", "executive", "legal", "committee"}  # the groups' names
    for organization in Organization.objects.all():  # "D1 Seihan-P"
        data |= set(re.findall(r"[A-Za-z]{3,}", str(organization)))
    for url in pages(persona, logins):
        response = client.get(url)
        assert response.status_code == 200, url
        left = english_words(response.text, data)
        # The user's page shows the start of the password's salt and hash: random letters.
        left = {word for word in left if word not in persona["committee"].password}
        assert not left, f"{url}: English left: {sorted(left)}"


def test_permissions_are_named_in_japanese(client, persona):
    login(client, persona["admin"], "ja")
    page = client.get(reverse("admin:auth_group_add")).text
    assert "インシデント対応 | インシデント | インシデントを追加できる" in page
    assert "インシデント対応 | インシデントの履歴 | インシデントの履歴を閲覧できる" in page
    assert "Can add" not in page
    login(client, persona["admin"], "en")
    assert (
        "Incident response | incident | Can add incident"
        in client.get(reverse("admin:auth_group_add")).text
    )


def test_a_login_record_is_named_in_the_readers_language(client, persona, logins):
    """django-axes names a record “Attempted Access: <time>” in code; the admin names it in
    the reader's language, at the time in the reader's zone."""
    attempt = logins["attempt"]
    url = reverse("admin:axes_accessattempt_change", args=[attempt.pk])
    login(client, persona["admin"], "ja")
    page = client.get(url).text
    with translation.override("ja"):
        when = f"{attempt.attempt_time.astimezone(JST):%Y-%m-%d %H:%M JST}"
    assert f"ログイン試行: {when}" in page
    assert "Attempted Access" not in page
    failure = client.get(
        reverse("admin:axes_accessfailurelog_change", args=[logins["failure"].pk])
    ).text
    assert "outsider のログイン失敗（192.0.2.1 から、ロックアウト）" in failure
    login(client, persona["admin"], "en")
    assert "Login attempt: " in client.get(url).text


# The browsable API (Django REST framework) ----------------------------------------------

SERIALIZER_MODULES = [
    "incidents.api.serializers.actions",
    "incidents.api.serializers.case",
    "incidents.api.serializers.clocks",
    "incidents.api.serializers.investigation",
    "reporting.api.serializers",
    "scope.api.serializers",
]
# Written so in Japanese too: the laws' and forms' own names, digests and identifiers.
# (“material” is the SEC's word, kept in brackets: 重要（material）と判断).
LEGAL_TERMS = {"GDPR", "NIS", "SEC", "HIPAA", "Form", "material", "SHA", "UUID", "TLP", "PDF"}


def serializer_classes():
    for name in SERIALIZER_MODULES:
        module = importlib.import_module(name)
        for cls in vars(module).values():
            if (
                inspect.isclass(cls)
                and issubclass(cls, serializers.BaseSerializer)
                and cls.__module__ == name
                and (hasattr(cls, "Meta") or not issubclass(cls, serializers.ModelSerializer))
            ):
                yield cls


def test_every_field_of_the_api_is_named_in_japanese():
    """A field the serializer declares is named by its label, not by its code
    ("change_reason" would show as “Change reason”): forms and the schema show it."""
    classes = list(serializer_classes())
    assert len(classes) > 20  # the modules were read
    left = []
    with translation.override("ja"):
        for cls in classes:
            for name, field in cls().fields.items():
                label = str(field.label)
                words = set(re.findall(r"[A-Za-z]{3,}", label)) - LEGAL_TERMS
                if label == name.replace("_", " ").capitalize() or words:
                    left.append(f"{cls.__name__}.{name}: {label!r}")
    assert not left, left


def labels(html: str) -> list[str]:
    return [" ".join(text.split()) for text in re.findall(r"<label[^>]*>([^<]*)<", html)]


def test_the_browsable_api_is_japanese(client, persona, founding):
    # English first, the schema too: a name django-filter kept from an earlier request in
    # another language would show (it named the filters of Meta.fields once, for good).
    login(client, persona["committee"], "en")
    assert client.get("/api/schema/").status_code == 200
    for url in ["/api/v1/incidents/", f"/api/v1/incidents/{founding.pk}/"]:
        page = client.get(url, HTTP_ACCEPT="text/html").text
        assert '<html lang="en">' in page
        assert "Reason for changing when the organization knew" in labels(page)
    login(client, persona["committee"], "ja")
    for url in ["/api/v1/incidents/", f"/api/v1/incidents/{founding.pk}/"]:
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html")
        assert '<html lang="ja">' in response.text, url
        shown = labels(response.text)
        assert "重大度" in shown and "事態を知った日時を変更する理由" in shown, url
        for english in ("Change reason", "Regimes", "Personal data items", "Warnings"):
            assert english not in shown, (url, english)
        left = [text for text in shown if set(re.findall(r"[A-Za-z]{3,}", text)) - LEGAL_TERMS]
        assert not left, f"{url}: English labels: {left}"
    # The list's orderings are named as its fields are, not by their codes.
    listing = client.get("/api/v1/incidents/", HTTP_ACCEPT="text/html").text
    assert "重大度 - 昇順" in listing and "severity - " not in listing


def test_long_values_do_not_widen_the_token_list_or_the_browsable_api(client, persona, logins):
    """The token list names a token by the start of its digest (the whole 128 digits would
    push the list past a 1,280 px page); the browsable API wraps long texts in its boxes."""
    login(client, persona["admin"], "ja")
    digest = logins["token"].digest
    parser = Text()  # what the reader sees (the digest is also the token's key in links)
    parser.feed(client.get(reverse("admin:knox_authtoken_changelist")).text)
    listed = " ".join(parser.parts)
    assert f"{digest[:16]}…" in listed and digest not in listed
    one = reverse("admin:knox_authtoken_change", args=[logins["token"].pk])
    assert digest in client.get(one).text
    page = client.get("/api/v1/incidents/", HTTP_ACCEPT="text/html").text
    assert "taisaku-admin/api.css" in page
