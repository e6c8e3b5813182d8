"""bench_requests: the CPU one request of each busy page costs, on the configured database.

    python manage.py bench_requests [--runs 20] [--repeat 3] [--page PATH ...] [--profile] [--json]

Each page of the month-end load test (loadtest/locustfile.py) is requested in this process with
Django's test Client, through the whole middleware stack with DEBUG off, as the user the load
test sends there: the city-scale accounts of ``seed_demo --scale large`` (dept001.staff1,
office01, …) when they exist, else the small demo's (staff1, office, …). After a few requests to
warm up, each page is requested ``--runs`` times, in ``--repeat`` rounds that take the pages in
turn, and the command prints per request:

- ``cpu ms``: the CPU time of this process (``time.process_time``): Python, the ORM and the
  templates, i.e. what a gunicorn worker spends;
- ``db cpu ms``: the CPU the PostgreSQL backend serving this connection spent (read from /proc,
  so only when the database runs on this host; "—" otherwise);
- ``wall ms``, the number of queries and the size of the page.

Each time is the median of a round, and the lowest of the rounds is printed: other work on the
machine can only add to a time (even CPU time grows when the cores are shared: caches are
evicted), so the best round is the figure that repeats from day to day.

Cached pages are measured as served: the dashboard is computed once per change and then read
from the cache (``bench`` measures it computed afresh as well). ``--profile`` prints, for each
page, the functions that take the most CPU (cProfile) — the place to start when a page is slow.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from departments.choices import Role
from departments.models import Membership
from tasks.choices import AssignmentStatus
from tasks.models import Assignment

WARM_UP = 3
# (page, role of the user who opens it) in the load test's mix; <id> is an open assignment of the user's.
PAGES = [
    ("/tasks/", Role.STAFF),
    ("/tasks/?status=in_progress", Role.STAFF),
    ("/tasks/<id>/", Role.STAFF),
    ("/tasks/approvals/", Role.LEADER),
    ("/notifications/", Role.STAFF),
    ("/reviews/", Role.OFFICE),
    ("/assignments/", Role.OFFICE),
    ("/assignments/?state=overdue", Role.OFFICE),
    ("/dashboard/", Role.OFFICE),
    ("/status/", Role.STAFF),
]
# The accounts per role the load test uses: city scale first, the small demo's otherwise.
ACCOUNTS = {
    Role.STAFF: ("dept001.staff1", "staff1"),
    Role.OFFICE: ("office01", "office"),
}


@dataclass
class Figures:
    page: str
    user: str
    status: int
    cpu_ms: float
    db_cpu_ms: float | None
    wall_ms: float
    queries: int
    kilobytes: float


class Command(BaseCommand):
    help = "每次请求的 CPU 耗时:负载测试中各页面在当前数据库上的服务端 CPU、数据库 CPU、耗时与查询数。 / CPU per request."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20, help="每轮每个页面计时的请求次数(默认 20)")
        parser.add_argument("--repeat", type=int, default=3, help="轮数,取最好的一轮(默认 3)")
        parser.add_argument("--page", action="append", dest="pages", metavar="PATH",
                            help="只测这些页面(可重复;写法同输出的第一列,如 /tasks/ 或 /tasks/<id>/)")
        parser.add_argument("--profile", action="store_true", help="另外输出每个页面最耗时的函数(cProfile)")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, runs: int, repeat: int, pages: list[str] | None, profile: bool, json: bool, **options):
        if runs < 1 or repeat < 1:
            raise CommandError("--runs 和 --repeat 至少为 1")
        known = [page for page, _role in PAGES]
        unknown = [page for page in pages or [] if page not in known]
        if unknown:
            raise CommandError(f"没有这些页面:{'、'.join(unknown)}。可选:{'、'.join(known)}")
        chosen = [(page, role) for page, role in PAGES if not pages or page in pages]
        profiles = {}
        with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            visits = []
            for page, role in chosen:
                user = account(role)
                if user is None:
                    raise CommandError(f"没有可用于 {page} 的{role.label}账号,请先运行 seed_demo")
                client = Client()
                client.force_login(user)
                visits.append((page, resolve_path(page, user), user.get_username(), client))
            rounds = [[measure(client, page, path, username, runs) for page, path, username, client in visits]
                      for _round in range(repeat)]
            results = [best(*figures) for figures in zip(*rounds, strict=True)]
            if profile:
                profiles = {page: profile_of(client, path, runs) for page, path, _username, client in visits}
        if json:
            self.stdout.write(dumps([asdict(figures) for figures in results]))
            return
        self.stdout.write(table(results))
        for page, text in profiles.items():
            self.stdout.write(f"\n{page}\n{text}")


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def account(role: str):
    """The user the load test sends to a page of this role: the named demo account when there is
    one, else the first user holding the role (for a leader, one whose department approves
    reports, so that the approvals page has work on it)."""
    for username in ACCOUNTS.get(role, ()):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is not None:
            return user
    members = Membership.objects.filter(role=role, user__is_active=True).select_related("user")
    if role == Role.LEADER:
        members = members.order_by("-department__requires_leader_approval", "user__username")
    else:
        members = members.order_by("user__username")
    membership = members.first()
    return membership.user if membership else None


def resolve_path(page: str, user) -> str:
    if "<id>" not in page:
        return page
    assignment = (Assignment.objects.filter(department__memberships__user=user)
                  .exclude(status=AssignmentStatus.CLOSED).order_by("pk").first())
    if assignment is None:
        raise CommandError(f"{user.get_username()} 没有未办结的任务,无法测量 {page}")
    return page.replace("<id>", str(assignment.pk))


def measure(client: Client, page: str, path: str, username: str, runs: int) -> Figures:
    """Warm up, count the queries of one request, then time ``runs`` requests."""
    for _warm in range(WARM_UP):
        client.get(path)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    query_count = len(queries)
    backend = database_backend()
    db_before = cpu_ticks(backend)
    cpu, wall = [], []
    for _run in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    db_after = cpu_ticks(backend) if database_backend() == backend else None
    db_cpu = None
    if db_before is not None and db_after is not None:
        db_cpu = round((db_after - db_before) * 1000 / CLOCK_TICKS / runs, 1)
    return Figures(page=page, user=username, status=response.status_code,
                   cpu_ms=round(statistics.median(cpu) * 1000, 1), db_cpu_ms=db_cpu,
                   wall_ms=round(statistics.median(wall) * 1000, 1), queries=query_count,
                   kilobytes=round(len(response.content) / 1024, 1))


def best(*rounds: Figures) -> Figures:
    """The lowest of each time over the rounds (other work only adds to a time)."""
    def lowest(values):
        known = [value for value in values if value is not None]
        return min(known) if known else None

    return Figures(page=rounds[0].page, user=rounds[0].user, status=rounds[-1].status,
                   cpu_ms=lowest(r.cpu_ms for r in rounds), db_cpu_ms=lowest(r.db_cpu_ms for r in rounds),
                   wall_ms=lowest(r.wall_ms for r in rounds), queries=rounds[-1].queries,
                   kilobytes=rounds[-1].kilobytes)


CLOCK_TICKS = 100  # USER_HZ: the unit of /proc/<pid>/stat on Linux


def database_backend() -> int | None:
    """The process id of the PostgreSQL backend serving this connection (None for other databases)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def cpu_ticks(pid: int | None) -> int | None:
    """User + system CPU of a process so far, in clock ticks; None when it cannot be read (the
    database runs on another host)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime and stime: fields 14 and 15 of stat(5)


def profile_of(client: Client, path: str, runs: int) -> str:
    """cProfile on CPU time, so that waiting for the database does not hide where the CPU goes."""
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _run in range(runs):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
    return out.getvalue()


def table(results: list[Figures]) -> str:
    lines = [f"{'page':<30}{'user':<18}{'cpu ms':>8}{'db cpu ms':>11}{'wall ms':>9}{'queries':>9}{'KB':>8}  status"]
    for f in results:
        db_cpu = "—" if f.db_cpu_ms is None else f"{f.db_cpu_ms:.1f}"
        status = "ok" if f.status == 200 else f"HTTP {f.status}"
        lines.append(f"{f.page:<30}{f.user:<18}{f.cpu_ms:>8.1f}{db_cpu:>11}{f.wall_ms:>9.1f}{f.queries:>9}"
                     f"{f.kilobytes:>8.1f}  {status}")
    return "\n".join(lines)
