"""bench: server time and SQL queries of the busiest pages, side by side at several scales.

    python manage.py bench [--runs 25] [--rounds 3] [--scale small,city,province] [--url SCALE=URL …] [--no-seed]

Scales: ``small`` (the demo city, ``seed_demo``), ``city`` (``seed_demo --scale large``; ``large``
is another name for it) and ``province`` (``seed_demo --scale province``); ``--scale`` lists the
ones to measure, ``small,city`` unless told. The city database is the configured one
(DATABASE_URL); the others are its siblings (PostgreSQL: the same server, database name +
``_small`` / ``_province``; SQLite: a file beside it ending in ``-small`` / ``-province``), unless
``--url SCALE=URL`` names one. Unless --no-seed, each is migrated and seeded first (a no-op when
the data is there). Each scale is measured in its own process (``bench --worker`` with
DATABASE_URL set), which requests every page in-process with Django's test Client as a
logged-in user of the role the page is for, a few times to warm up, then ``--runs`` times. The
scales take turns, ``--rounds`` times (small, city, province, small, city, …), so that a busy
minute of a shared machine does not fall on one scale alone; the table gives per scale the
median of the rounds' median server times and the query count of one request, and each
scale's time as a multiple of the first scale's. The dashboard, its API and the calendar feed
are cached until the next change to the work they count (tasks.changes); they get a second
line, "(uncached)", measured with the cache off, which is what the first request after each
change costs. A page that does not exist (yet) is reported as "not available" instead of
failing the run.
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


# scale → the seed_demo scale that writes it
SCALES = {"small": "small", "city": "large", "province": "province"}
ALIASES = {"large": "city"}


def sibling_url(url: str, suffix: str = "small") -> str:
    """A database beside the city-scale one: ``<name>_small``, ``<name>_province`` (SQLite: ``-small``)."""
    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(config["NAME"])
        return f"sqlite:///{path.with_name(f'{path.stem}-{suffix}{path.suffix}')}"
    head, _, name = url.rpartition("/")
    name, _, query = name.partition("?")
    return f"{head}/{name}_{suffix}" + (f"?{query}" if query else "")


def current_url() -> str:
    """DATABASE_URL as settings resolved it (the SQLite default included)."""
    return settings.DATABASE_URL


def parse_scales(text: str) -> list[str]:
    """``small,city,province`` → the scales, in that order, each once; an unknown one is an error."""
    scales: list[str] = []
    for name in (part.strip() for part in text.split(",") if part.strip()):
        name = ALIASES.get(name, name)
        if name not in SCALES:
            raise CommandError(f"未知的规模 {name}:可选 {', '.join(SCALES)}")
        if name not in scales:
            scales.append(name)
    if not scales:
        raise CommandError("--scale 至少列出一个规模")
    return scales


def scale_urls(scales: list[str], given: list[str]) -> dict[str, str]:
    """The database of each scale: ``--url SCALE=URL`` where given, else the city's or its sibling."""
    named: dict[str, str] = {}
    for item in given:
        scale, sep, url = item.partition("=")
        scale = ALIASES.get(scale.strip(), scale.strip())
        if not sep or scale not in SCALES or not url:
            raise CommandError(f"--url 应写成 规模=数据库地址,例如 province=postgres://…/db,而不是 {item}")
        named[scale] = url
    city = named.get("city", current_url())
    return {scale: named.get(scale) or (city if scale == "city" else sibling_url(city, scale)) for scale in scales}


class Command(BaseCommand):
    help = ("页面性能基准:小规模、城市规模和省级规模数据下各页面的服务端耗时中位数、SQL 查询数,以及相对小规模的倍数。"
            " / Page benchmark at several scales.")

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=25, help="每个页面计时的请求次数(默认 25)")
        parser.add_argument("--scale", default="small,city",
                            help="要测量的规模,逗号分隔:small、city(即 large)、province(默认 small,city)")
        parser.add_argument("--url", action="append", default=[], metavar="SCALE=URL",
                            help="某个规模的数据库 DATABASE_URL,可重复;默认 city 为当前数据库,其余为其旁的 _small、_province 库")
        parser.add_argument("--rounds", type=int, default=3,
                            help="各规模轮流测量的轮数(默认 3),每个数字取各轮中位数的中位数")
        parser.add_argument("--no-seed", action="store_true", help="不执行 migrate 和 seed_demo")
        parser.add_argument("--worker", action="store_true", help="内部使用:在当前数据库上测量并输出 JSON")

    def handle(self, *args, runs: int, rounds: int, scale: str, url: list[str], no_seed: bool, worker: bool,
               **options):
        if runs < 1:
            raise CommandError("--runs 至少为 1")
        if rounds < 1:
            raise CommandError("--rounds 至少为 1")
        if worker:
            self.stdout.write(json.dumps(measure(runs)))
            return
        databases = scale_urls(parse_scales(scale), url)
        if not no_seed:
            for name, database in databases.items():
                self.stdout.write(f"准备 {name} 数据 / preparing {name}: {redact(database)}")
                prepare(database, SCALES[name])
        measured: dict[str, list[dict[str, Any]]] = {name: [] for name in databases}
        for turn in range(1, rounds + 1):
            for name, database in databases.items():
                self.stdout.write(f"测量 {name} / measuring {name} ({runs} runs per page, round {turn}/{rounds})…")
                measured[name].append(run_worker(database, runs))
        self.stdout.write(table({name: combine(found) for name, found in measured.items()}))


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


def combine(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """One scale's figures from its rounds: per page the median of the rounds' medians, the rest
    (availability, status, query counts: the same every round) as the first round gave them."""
    combined: dict[str, Any] = {}
    for path, first in rounds[0].items():
        figures = dict(first)
        for key in ("median_ms", "uncached_ms"):
            if key in first:
                figures[key] = round(statistics.median(found[path][key] for found in rounds), 1)
        combined[path] = figures
    return combined


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
    """One line per page: per scale (in the order given) the median ms and the query count, and
    from the second scale on, its time as a multiple of the first's. Cached pages get a second
    line, "(uncached)", computed on every request."""
    scales = list(results)
    head = f"{'page':<38}"
    for n, scale in enumerate(scales):
        head += f"{scale + ' ms':>13}{'queries':>8}" + (f"{'×' + scales[0]:>9}" if n else "")
    lines = [head + "  status"]
    width = len(head) - 38
    for path, _user in PAGES:
        figures = [results[scale].get(path, {}) for scale in scales]
        missing = [f for f in figures if not f.get("available")]
        if missing:
            lines.append(f"{path:<38}{'not available':>{width}}  ({missing[0].get('reason') or '?'})")
            continue
        codes = [f["status"] for f in figures]
        status = "ok" if set(codes) == {200} else "HTTP " + "/".join(map(str, codes))
        lines.append(_line(path, [(f["median_ms"], f["queries"]) for f in figures], status))
        if all("uncached_ms" in f for f in figures):
            lines.append(_line(f"{path} (uncached)", [(f["uncached_ms"], f["uncached_queries"]) for f in figures], status))
    return "\n".join(lines)


def _line(label: str, figures: list[tuple[float, int]], status: str) -> str:
    first = figures[0][0]
    line = f"{label:<38}"
    for n, (ms, queries) in enumerate(figures):
        line += f"{ms:>13.1f}{queries:>8}"
        if n:
            line += f"{ms / first if first else float('inf'):>9.2f}"
    return f"{line}  {status}"
