"""The settings the in-process benches run under, and their throw-away databases.

The change page, dashboard and scope benches measure Django's whole stack through the test
client as production would run it (DEBUG off, no Redis), on PostgreSQL at
BENCH_DATABASE_URL. Each bench calls `configure` before importing Django, then
`recreate_databases` for the databases it measures on.
"""

import os
import sys
from urllib.parse import urlparse


def configure(default_database_url: str) -> str:
    """Set the environment Django reads at start-up; returns the database URL to use.

    `--help` prints the calling bench's docstring and stops, before any database is touched.
    """
    if {"-h", "--help"} & set(sys.argv[1:]):
        print((sys.modules["__main__"].__doc__ or "").strip())
        sys.exit(0)
    database_url = os.environ.get("BENCH_DATABASE_URL", default_database_url)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-not-secret",
            "ALLOWED_HOSTS": "testserver",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)
    return database_url


def recreate_databases(database_url: str, names: list[str], *, reuse: bool = False) -> None:
    """Drop and create each named database on the server of `database_url` (with `reuse`,
    one that exists already is kept as it is)."""
    import psycopg

    url = urlparse(database_url)
    with psycopg.connect(
        host=url.hostname,
        port=url.port or 5432,
        user=url.username,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        existing = {r[0] for r in admin.execute("SELECT datname FROM pg_database").fetchall()}
        for name in names:
            if reuse and name in existing:
                continue
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
