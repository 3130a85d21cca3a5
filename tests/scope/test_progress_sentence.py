"""The progress sentence says only what the checks show."""

from datetime import UTC, datetime

from django.utils import translation

from scope.progress import KindProgress


def progress(clean: int = 298, error: int = 0) -> KindProgress:
    return KindProgress(
        kind="host",
        total=300,
        clean=clean,
        infected=1,
        error=error,
        unchecked=0,
        checked_since=datetime(2022, 3, 17, tzinfo=UTC),
        last_checked_at=None,
    )


def test_every_one_checked_is_said_only_when_every_one_has_a_result():
    with translation.override("ja"):
        done = progress(clean=299).sentence()
        assert "300件中299件が感染なし、1件が感染" in done and "全件確認済み" in done
        failed = progress(error=1).sentence()
        assert "1件は結果なし" in failed and "全件確認済み" not in failed
