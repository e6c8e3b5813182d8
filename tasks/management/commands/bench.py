"""bench: server time and SQL queries of the busiest pages, at small and at large scale.

    python manage.py bench [--runs 25] [--small-url URL] [--large-url URL] [--no-seed]

The large database is the configured one (DATABASE_URL) unless --large-url names another; the
small one is a sibling (PostgreSQL: the same server, database name + ``_small``; SQLite: a file
beside it ending in ``-small``). Unless --no-seed, each is migrated and seeded first
(``seed_demo`` and ``seed_demo --scale large``; both are no-ops when the data is there). Each scale
is measured in its own process (``bench --worker`` with DATABASE_URL set), which requests every
page in-process with Django's test Client as a logged-in user of the role the page is for, a few
times to warm up, then ``--runs`` times; it prints the median server time, the query count of
one request, and the large/small ratio. The dashboard and its API are cached until the next
change to the work they count (tasks.changes); they get a second line, "(uncached)", measured
with the cache off, which is what the first request after each change costs. A page that does
not exist (yet) is reported as "not available" instead of failing the run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import Resolver404, resolve

# (path, username of the role the page is for): the demo accounts of seed_demo.
PAGES = [
    ("/dashboard/", "office"),
    ("/tasks/", "staff1"),
    ("/reviews/", "office"),
    ("/api/assignments/", "office"),
    ("/api/dashboard/summary/", "office"),
    ("/calendar/<token>.ics", "office"),  # the user's own calendar token (made if missing)
]
# Pages served from the dashboard cache (tasks.dashboard.numbers.build_cached) are measured twice: as
# served (the numbers are cached until the next change) and computed afresh on every request,
# as after each change.
CACHED = {"/dashboard/", "/api/dashboard/summary/", "/calendar/<token>.ics"}
UNCACHED = {"DASHBOARD_CACHE_SECONDS": 0, "CALENDAR_CACHE_SECONDS": 0}
WARM_UP = 3


def sibling_url(url: str) -> str:
    """The small database beside the large one."""
    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(config["NAME"])
        return f"sqlite:///{path.with_name(path.stem + '-small' + path.suffix)}"
    head, _, name = url.rpartition("/")
    name, _, query = name.partition("?")
    return f"{head}/{name}_small" + (f"?{query}" if query else "")


def current_url() -> str:
    """DATABASE_URL as settings resolved it (the SQLite default included)."""
    return settings.DATABASE_URL


class Command(BaseCommand):
    help = "页面性能基准:小规模与城市规模数据下各页面的服务端耗时中位数、SQL 查询数及两者之比。 / Page benchmark."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=25, help="每个页面计时的请求次数(默认 25)")
        parser.add_argument("--small-url", help="小规模数据库的 DATABASE_URL(默认:当前数据库旁的 _small 库)")
        parser.add_argument("--large-url", help="城市规模数据库的 DATABASE_URL(默认:当前数据库)")
        parser.add_argument("--no-seed", action="store_true", help="不执行 migrate 和 seed_demo")
        parser.add_argument("--worker", action="store_true", help="内部使用:在当前数据库上测量并输出 JSON")

    def handle(self, *args, runs: int, small_url: str | None, large_url: str | None, no_seed: bool, worker: bool,
               **options):
        if runs < 1:
            raise CommandError("--runs 至少为 1")
        if worker:
            self.stdout.write(json.dumps(measure(runs)))
            return
        large_url = large_url or current_url()
        small_url = small_url or sibling_url(large_url)
        results = {}
        for scale, url in (("small", small_url), ("large", large_url)):
            if not no_seed:
                self.stdout.write(f"准备 {scale} 数据 / preparing {scale}: {redact(url)}")
                prepare(url, scale)
            self.stdout.write(f"测量 {scale} / measuring {scale} ({runs} runs per page)…")
            results[scale] = run_worker(url, runs)
        self.stdout.write(table(results))


def redact(url: str) -> str:
    config = dj_database_url.parse(url)
    return f"{config['ENGINE'].rsplit('.', 1)[-1]} {config['NAME']}"


def manage(url: str, *arguments: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *arguments], env=env,
                          capture_output=True, text=True, check=False)


def prepare(url: str, scale: str) -> None:
    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("postgresql"):
        create_postgres_database(config)
    for arguments in (("migrate", "--noinput", "-v0"), ("seed_demo", "--scale", scale)):
        done = manage(url, *arguments)
        if done.returncode:
            raise CommandError(f"{' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")


def create_postgres_database(config: dict[str, Any]) -> None:
    import psycopg2
    from psycopg2 import sql

    connection_ = psycopg2.connect(dbname="postgres", user=config["USER"], password=config["PASSWORD"],
                                   host=config["HOST"], port=config["PORT"] or 5432)
    connection_.autocommit = True
    with connection_.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    connection_.close()


def run_worker(url: str, runs: int) -> dict[str, Any]:
    done = manage(url, "bench", "--worker", "--runs", str(runs))
    if done.returncode:
        raise CommandError(f"bench --worker failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(runs: int) -> dict[str, Any]:
    """Request every page on the configured database; answer {path: figures or 'not available'}."""
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.filter(username__in={name for _p, name in PAGES})}
    results: dict[str, Any] = {}
    with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        for template, username in PAGES:
            path = template
            if "<token>" in template and username in users:
                from tasks.notify.models import CalendarToken

                path = template.replace("<token>", CalendarToken.objects.get_or_create(user=users[username])[0].token)
            try:
                resolve(path)
            except Resolver404:
                results[template] = {"available": False, "reason": "no such URL"}
                continue
            if username not in users:
                results[template] = {"available": False, "reason": f"no user {username} (run seed_demo)"}
                continue
            client = Client()
            client.force_login(users[username])
            if client.get(path).status_code == 404:
                results[template] = {"available": False, "reason": "404"}
                continue
            results[template] = {"available": True, "user": username, **time_page(client, path, runs)}
            if template in CACHED:
                with override_settings(**UNCACHED):
                    fresh = time_page(client, path, runs)
                results[template].update(uncached_ms=fresh["median_ms"], uncached_queries=fresh["queries"])
    return results


def time_page(client: Client, path: str, runs: int) -> dict[str, Any]:
    """Warm up, count the queries of one request, then the median of ``runs`` requests."""
    for _warm in range(WARM_UP):
        client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    query_count = len(queries)  # now: the log is cleared by the next request
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    return {"status": response.status_code, "queries": query_count, "median_ms": round(statistics.median(timings), 1)}


def table(results: dict[str, dict[str, Any]]) -> str:
    """One line per page; cached pages get a second line, "(uncached)", computed on every request."""
    lines = [f"{'page':<38}{'small ms':>10}{'queries':>9}{'large ms':>10}{'queries':>9}{'ratio':>8}  status"]
    for path, _user in PAGES:
        small, large = results["small"].get(path, {}), results["large"].get(path, {})
        if not small.get("available") or not large.get("available"):
            reason = small.get("reason") or large.get("reason") or "?"
            lines.append(f"{path:<38}{'not available':>46}  ({reason})")
            continue
        status = "ok" if small["status"] == large["status"] == 200 else f"HTTP {small['status']}/{large['status']}"
        lines.append(_line(path, small["median_ms"], small["queries"], large["median_ms"], large["queries"], status))
        if "uncached_ms" in small and "uncached_ms" in large:
            lines.append(_line(f"{path} (uncached)", small["uncached_ms"], small["uncached_queries"],
                               large["uncached_ms"], large["uncached_queries"], status))
    return "\n".join(lines)


def _line(label: str, small_ms: float, small_queries: int, large_ms: float, large_queries: int, status: str) -> str:
    ratio = large_ms / small_ms if small_ms else float("inf")
    return (f"{label:<38}{small_ms:>10.1f}{small_queries:>9}{large_ms:>10.1f}{large_queries:>9}{ratio:>8.2f}  "
            f"{status}")
