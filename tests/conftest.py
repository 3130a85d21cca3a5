import os
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from incidents import founding_case, services
from incidents.choices import Category
from incidents.models import Incident, Organization
from incidents.roles import ensure_roles
from tests.helpers import api_client

JST = ZoneInfo("Asia/Tokyo")
PERSONAS = ["committee", "legal", "executive", "auditor", "outsider"]
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Demo personas get passwords; a slow hasher would dominate the suite's time.
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _language_reset():
    """A request activates its language for the rest of the thread; the next test starts in
    the default again (a narrative's plain name reads the active language)."""
    yield
    translation.deactivate()


@pytest.fixture
def english():
    """Messages in English for tests that match their wording (the default is Japanese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def roles(db):
    return ensure_roles()


@pytest.fixture
def make_user(roles):
    def make(username, role=None, **extra):
        user = get_user_model().objects.create_user(
            username=username, password="pw", is_staff=True, **extra
        )
        if role:
            user.groups.add(roles[role])
        return user

    return make


@pytest.fixture
def organization(db):
    return Organization.objects.create(name_ja="テスト株式会社", name_en="Test K.K.")


@pytest.fixture
def make_incident(organization):
    def make(user=None, members=(), **fields):
        fields.setdefault("title", "テスト事案")
        fields.setdefault("category", Category.MALWARE)
        return services.open_incident(
            organization=organization, user=user, members=members, **fields
        )

    return make


@pytest.fixture(scope="module")
def founding_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The founding case loaded once for a whole module; its id.

    A module opts in with `pytest.mark.usefixtures("founding_once")` in its `pytestmark`.
    Its tests then run inside this fixture's transaction, each in a savepoint of its own
    that is rolled back at its end (what Django's TestCase does with setUpTestData), so a
    test still sees the case as loaded whatever the tests before it did; `founding` and
    `persona` are fresh rows of it.
    """
    settings = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"), PASSWORD_HASHERS=FAST_HASHERS
    )
    with django_db_blocker.unblock(), settings:
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as TestCase's own: a durable block may run inside
        atomic.__enter__()
        try:
            pk = founding_case.load().pk
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    yield pk
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def founding(request, db):
    """The founding case with its personas (committee, legal, executive are members)."""
    if "founding_once" in request.fixturenames:
        return Incident.objects.get(pk=request.getfixturevalue("founding_once"))
    return founding_case.load()


@pytest.fixture
def persona(founding):
    User = get_user_model()
    return {name: User.objects.get(username=name) for name in [*PERSONAS, "admin"]}


@pytest.fixture
def api(persona):
    """`api("legal")`: the API as that persona; `api("legal", "en")` in English."""

    def as_persona(name: str, language: str | None = None):
        return api_client(persona[name], language)

    return as_persona


def jst(*args: int) -> datetime:
    return datetime(*args, tzinfo=JST)  # type: ignore[misc, arg-type]  # datetime's fields, in order


def pytest_configure(config):
    # Registered here as well as anywhere else: --strict-markers refuses unknown ones.
    config.addinivalue_line(
        "markers", "e2e: starts real processes (Celery worker and beat on Redis); opt-in"
    )


def subprocess_database_url() -> str | None:
    """The test database as a URL other processes (Celery workers) can open, or None when
    they cannot (SQLite in memory)."""
    from pathlib import Path

    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = (db.get("USER") or "postgres") + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
        return f"postgres://{auth}@{host}:{port}/{db['NAME']}"
    name = str(db["NAME"])
    if connection.vendor != "sqlite" or not name or name == ":memory:" or "memory" in name:
        return None
    return f"sqlite:///{Path(name).resolve()}"


E2E_REDIS_URL = "redis://127.0.0.1:6379/15"


@dataclass(frozen=True)
class E2EBroker:
    """A Redis namespace of one end-to-end test: its database and a key prefix of its own."""

    url: str
    prefix: str

    @property
    def env(self) -> dict[str, str]:
        """What a Celery process started by the test needs to use this namespace."""
        return {"REDIS_URL": self.url, "CELERY_BROKER_KEY_PREFIX": self.prefix}

    @property
    def transport_options(self) -> dict[str, str]:
        return {"global_keyprefix": self.prefix}


@pytest.fixture
def e2e_broker():
    """Redis for a test that starts real Celery processes.

    The database comes from TAISAKU_E2E_REDIS_URL (default: database 15 of the local Redis);
    every key the test's processes write carries a prefix unique to this test, and only
    those keys are deleted afterwards, so two runs on one machine, or anyone else using
    that Redis, never see or lose each other's messages.
    """
    import redis

    url = os.environ.get("TAISAKU_E2E_REDIS_URL") or E2E_REDIS_URL
    prefix = f"taisaku-e2e-{uuid.uuid4().hex[:12]}:"
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis at {url} is not reachable (TAISAKU_E2E_REDIS_URL): {exc}")
    try:
        yield E2EBroker(url=url, prefix=prefix)
    finally:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()
