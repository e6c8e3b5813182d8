"""Nothing is kept per process: sessions, login lockouts and the change counter are in the
database, the cache is Redis in production (a system check warns otherwise), and /healthz/
tells a balancer whether a process can serve."""

from unittest import mock

from axes.conf import settings as axes_settings
from django.conf import settings
from django.db import DatabaseError
from django.test import SimpleTestCase, TestCase, override_settings

from policytrack.checks import shared_state
from tests.test_cache_outage import UNREACHABLE
from tests.test_settings import run_manage

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "policytrack.cache.DegradingRedisCache", "LOCATION": "redis://redis:6379/0"}}
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789abcdef",
              "ALLOWED_HOSTS": "policytrack.example.gov.cn"}


class SharedStateCheckTests(SimpleTestCase):
    def ids(self) -> list[str]:
        return [message.id for message in shared_state()]

    @override_settings(DEBUG=False, CACHES=LOCMEM)
    def test_it_warns_when_production_caches_in_process_memory(self):
        self.assertEqual(self.ids(), ["policytrack.W001"])

    @override_settings(DEBUG=False, CACHES=REDIS)
    def test_a_shared_redis_cache_passes(self):
        self.assertEqual(self.ids(), [])

    @override_settings(DEBUG=True, CACHES=LOCMEM)
    def test_development_is_one_process_and_passes(self):
        self.assertEqual(self.ids(), [])

    @override_settings(DEBUG=False, CACHES=LOCMEM, SESSION_ENGINE="django.contrib.sessions.backends.cache",
                       AXES_HANDLER="axes.handlers.cache.AxesCacheHandler")
    def test_sessions_and_lockouts_in_a_per_process_cache_are_named(self):
        self.assertEqual(self.ids(), ["policytrack.W001", "policytrack.W002", "policytrack.W003"])

    def test_sessions_and_lockouts_are_database_rows(self):
        self.assertEqual(settings.SESSION_ENGINE, "django.contrib.sessions.backends.db")
        self.assertEqual(axes_settings.AXES_HANDLER, "axes.handlers.database.AxesDatabaseHandler")


def test_production_without_redis_is_warned_at_every_command_and_can_be_silenced(tmp_path):
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    done = run_manage("check", REDIS_URL="", DATABASE_URL=database, **PRODUCTION)
    assert done.returncode == 0 and "policytrack.W001" in done.stderr + done.stdout
    done = run_manage("check", "--fail-level", "WARNING", REDIS_URL="", DATABASE_URL=database,
                      SILENCED_SYSTEM_CHECKS="policytrack.W001", **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    done = run_manage("check", "--fail-level", "WARNING", REDIS_URL="redis://redis:6379/0", DATABASE_URL=database,
                      **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr


class HealthTests(TestCase):
    def test_it_answers_cheaply_without_a_session(self):
        with self.assertNumQueries(1):
            response = self.client.get("/healthz/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "database": "ok", "cache": "ok"})
        self.assertEqual(response["Cache-Control"], "no-store")
        self.assertNotIn("Set-Cookie", response.headers)
        self.assertEqual(response.cookies, {})

    @override_settings(ALLOWED_HOSTS=["policytrack.example.gov.cn"], SECURE_SSL_REDIRECT=True)
    def test_it_answers_the_container_healthcheck_on_plain_http_with_any_host(self):
        response = self.client.get("/healthz/", HTTP_HOST="localhost:8000")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.client.get("/accounts/login/", HTTP_HOST="localhost:8000").status_code, 400)

    def test_it_is_unavailable_when_the_database_does_not_answer(self):
        with mock.patch("policytrack.health.connection.cursor", side_effect=DatabaseError("connection refused")), \
                self.assertLogs("policytrack.health", "WARNING"):
            response = self.client.get("/healthz/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json(), {"status": "unavailable", "database": "error", "cache": "ok"})

    @override_settings(CACHES=UNREACHABLE)
    def test_an_unreachable_cache_is_reported_but_the_process_still_serves(self):
        response = self.client.get("/healthz/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "degraded", "database": "ok", "cache": "error"})

    def test_it_only_reads(self):
        self.assertEqual(self.client.post("/healthz/").status_code, 405)
