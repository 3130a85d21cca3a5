import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_export_cache():
    """Exports are cached by their rows' state; each test starts with none."""
    cache.clear()
    yield
    cache.clear()
