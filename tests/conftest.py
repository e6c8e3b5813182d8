"""Shared fixtures; tests that need a service are marked and skipped (or failed in CI) here."""

import pytest

from tests.services import chromium_path, redis_url, skip_or_fail, uses_postgres


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and not uses_postgres():
        skip_or_fail("PostgreSQL is not configured (set DATABASE_URL=postgres://…)")
    if item.get_closest_marker("redis") and not redis_url():
        skip_or_fail("Redis is not reachable (set REDIS_URL=redis://127.0.0.1:6379/0)")
    if item.get_closest_marker("browser") and not chromium_path():
        skip_or_fail("Chromium is not installed (apt-get install chromium)")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
