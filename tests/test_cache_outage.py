"""With Redis unreachable the cache degrades: reads miss, writes are dropped, and pages that use
it (the dashboard and its API) are computed as if nothing had been cached."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tasks.dashboard import filtering
from tasks.dashboard import numbers as dashboard
from tests.base import BaseTestCase
from tests.test_settings import run_manage

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1: the connection is refused
UNREACHABLE = {"default": {"BACKEND": "policytrack.cache.DegradingRedisCache", "LOCATION": CLOSED_PORT,
                           "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}


@override_settings(CACHES=UNREACHABLE, DASHBOARD_CACHE_SECONDS=300)
class CacheOutageTests(BaseTestCase):
    def test_it_serves_the_dashboard_and_its_api_without_the_cache(self):
        self.client.force_login(self.office)
        page = self.client.get(reverse("tasks:dashboard"))
        self.assertEqual(page.status_code, 200)
        api = self.client.get(reverse("api-dashboard-summary"))
        self.assertEqual(api.status_code, 200)
        fresh = dashboard.build(self.office, filtering.read_filters({}, self.office, timezone.localdate())[0])
        self.assertEqual(api.json()["summary"], fresh.as_json()["summary"])

    def test_every_cache_call_degrades_quickly(self):
        started = time.monotonic()
        cache.set("k", 1)
        self.assertEqual(cache.get("k", "miss"), "miss")
        self.assertEqual(cache.get_many(["k"]), {})
        self.assertIs(cache.add("k", 1), False)
        self.assertIs(cache.has_key("k"), False)
        self.assertEqual(cache.get_or_set("k", 5), 5)
        cache.set_many({"a": 1})
        cache.delete("k")
        cache.delete_many(["a"])
        with self.assertRaises(ValueError):
            cache.incr("k")
        self.assertLess(time.monotonic() - started, 5)


def test_the_production_settings_cache_degrades_when_redis_is_down(tmp_path):
    done = run_manage(
        "shell", "-c", "from django.core.cache import cache; cache.set('k', 1); print(cache.get('k', 'miss'))",
        REDIS_URL=CLOSED_PORT, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("miss")
