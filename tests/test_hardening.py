"""Production settings, login lockout, content security policy."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

PRODUCTION = {
    "SECRET_KEY": "k3y-" + "x7Qz" * 15,
    "ALLOWED_HOSTS": "taisaku.example.com",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_PRELOAD": "1",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure_and_hsts_is_on():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.DEBUG)"
    )
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert result.stdout.split() == ["True", "True", "31536000", "False"], result.stderr


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account(client, persona):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "legal", "password": "wrong"})
        assert response.status_code == 200  # the form again, with an error
    last_try = client.post(url, {"username": "legal", "password": "wrong"})
    assert last_try.status_code == 429
    locked = client.post(url, {"username": "legal", "password": "taisaku-demo"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_correct_login_still_works(client, persona):
    response = client.post(
        reverse("admin:login"), {"username": "legal", "password": "taisaku-demo"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(persona["legal"].pk)


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client, persona):
    client.force_login(persona["committee"])
    response = client.get(reverse("admin:index"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert "onchange=" not in response.text  # no inline handlers for the CSP to block
