"""Settings come from the environment and refuse unsafe production setups."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR


def run_check(**env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = run_check()
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_runs_with_a_secret_key_and_debug_off():
    result = run_check(SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_bad_boolean_is_a_clear_error():
    result = run_check(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_defaults_are_sqlite_under_var_and_japanese():
    if not os.environ.get("DATABASE_URL"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.LANGUAGE_CODE == "ja"
    assert settings.USE_TZ is True
    assert [code for code, _ in settings.LANGUAGES] == ["ja", "en"]


def production_env() -> dict:
    """The production values of .env.example, with a real secret key."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    values["SECRET_KEY"] = secrets.token_urlsafe(50)
    values["DEBUG"] = "0"
    return {k: v for k, v in values.items() if v != "" and not k.startswith("TEST_")}


def test_check_deploy_is_clean_with_the_production_values_of_env_example():
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **production_env()},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_proxy_ssl_header_is_trusted_only_when_named():
    code = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env = {**clean, **production_env()}
    env.pop("SECURE_PROXY_SSL_HEADER", None)

    def header(**extra):
        return subprocess.run(
            [
                sys.executable,
                "-c",
                f"import django, os; os.environ.setdefault("
                f"'DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup(); {code}",
            ],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.strip()

    assert header() == "None"
    assert header(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto") == str(
        ("HTTP_X_FORWARDED_PROTO", "https")
    )
