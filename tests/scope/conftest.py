import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_export_cache():
    """Exports are cached by their rows' state; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api(persona):
    """api("committee"): an API client signed in as that persona."""

    def as_user(name):
        client = APIClient()
        client.force_authenticate(persona[name])
        return client

    return as_user
