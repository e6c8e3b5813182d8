"""Two real server processes (gunicorn, DEBUG off) on one PostgreSQL database and one Redis
cache, as two machines behind the balancer: a user logged in on one is logged in on the other,
and a change made through one is on the other's dashboard at once, although that dashboard is
cached (DASHBOARD_CACHE_SECONDS on, in the shared Redis).

The servers read and write the test database itself (a transactional test, so that what the
test writes is committed and visible to them)."""

from __future__ import annotations

import datetime
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from departments.choices import DepartmentKind, Role
from departments.models import Department
from documents.models import Measure, PolicyDocument
from tasks.choices import AssignmentRole, AssignmentStatus
from tasks.models import Assignment
from tests.base import PASSWORD, make_user
from tests.services import redis_url

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
READY_SECONDS = 60


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database the test writes to, as a DATABASE_URL for the servers."""
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or 'localhost'}{port}/{db['NAME']}"


def wait_until_ready(server: Server) -> None:
    """Until /healthz/ says the database and the shared cache answer; fail with the server's log
    when it exits or is not ready in time."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"the server on {server.url} exited:\n{server.log.read_text(encoding='utf-8')}")
        try:
            answer = requests.get(f"{server.url}/healthz/", timeout=2)
            if answer.status_code == 200 and answer.json() == {"status": "ok", "database": "ok", "cache": "ok"}:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server on {server.url} was not ready in {READY_SECONDS} s:\n{server.log.read_text(encoding='utf-8')}")


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=15)


@pytest.fixture
def world(transactional_db):
    office_department = Department.objects.create(name="市推进办", kind=DepartmentKind.OTHER)
    department = Department.objects.create(name="市发展和改革委员会", short_name="市发改委")
    document = PolicyDocument.objects.create(title="测试市数字经济行动方案", doc_number="测府办发〔2026〕7号",
                                             issued_date=datetime.date(2026, 1, 5))
    measures = [Measure.objects.create(document=document, number=str(n), title=f"措施{n}", content=f"措施{n}。",
                                       deadline=datetime.date(2030, 6, 30), order=n) for n in (1, 2)]
    assignments = [Assignment.objects.create(measure=measure, department=department, role=AssignmentRole.LEAD,
                                             status=AssignmentStatus.IN_PROGRESS) for measure in measures]
    office, staff = make_user("office", office_department, Role.OFFICE), make_user("staff", department, Role.STAFF)
    for user in (office, staff):  # a hash the servers' production hashers read (the tests' own is MD5)
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt(), iterations=1000)
        user.save(update_fields=["password"])
    return {"office": office, "staff": staff, "assignment": assignments[0]}


@pytest.fixture
def servers(world, tmp_path, request):
    """Two gunicorn processes on free ports, sharing the test database, one Redis cache (under a
    key prefix of this run's own) and the secret key, as every machine of a deployment does."""
    prefix = f"two-servers-{secrets.token_hex(4)}"
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
    env.update({
        "DJANGO_SETTINGS_MODULE": "tests.live_settings", "PYTHONPATH": str(ROOT), "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url(), "CACHE_KEY_PREFIX": prefix, "DASHBOARD_CACHE_SECONDS": "300",
        "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0", "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(tmp_path / "media"), "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    })
    started: list[Server] = []
    request.addfinalizer(lambda: [stop(server) for server in started])
    for name in ("a", "b"):
        port, log = free_port(), tmp_path / f"server-{name}.log"
        process = subprocess.Popen(
            [str(GUNICORN), "policytrack.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", "-"],
            cwd=ROOT, env=env, stdout=log.open("w", encoding="utf-8"), stderr=subprocess.STDOUT,
        )
        started.append(Server(f"http://127.0.0.1:{port}", process, log))
    for server in started:
        wait_until_ready(server)
    return started[0], started[1], prefix


def log_in(browser: requests.Session, server: Server, username: str) -> None:
    """Through the login form, as a person does (CSRF token, django-axes and all)."""
    form = browser.get(f"{server.url}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
    done = browser.post(f"{server.url}/accounts/login/", timeout=10, allow_redirects=False,
                        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert done.status_code == 302, done.text


def summary(browser: requests.Session, server: Server) -> dict:
    answer = browser.get(f"{server.url}/api/dashboard/summary/", timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()["summary"]


def test_a_session_and_a_change_made_on_one_server_are_seen_on_the_other(world, servers):
    server_a, server_b, prefix = servers
    office = requests.Session()
    log_in(office, server_a, "office")
    page = office.get(f"{server_b.url}/dashboard/", timeout=30, allow_redirects=False)
    assert page.status_code == 200 and "office" in page.text  # the session made on A is valid on B

    before = summary(office, server_b)
    assert (before["assignments"], before["closed"]) == (2, 0)
    cached = redis.Redis.from_url(redis_url()).keys(f"{prefix}:*dashboard:*")
    assert cached, "B's dashboard is cached in the shared Redis"
    assert summary(office, server_a) == before  # and A reads the same entry

    signed = office.post(f"{server_a.url}/tasks/{world['assignment'].pk}/sign-off/", timeout=30, allow_redirects=False,
                         data={"csrfmiddlewaretoken": office.cookies["csrftoken"]})
    assert signed.status_code == 302, signed.text
    after = summary(office, server_b)  # at once: no waiting for the cache to expire
    assert (after["assignments"], after["closed"]) == (2, 1)

    staff = requests.Session()
    log_in(staff, server_b, "staff")
    tasks = staff.get(f"{server_a.url}/api/assignments/", timeout=30)
    assert tasks.status_code == 200  # and a session made on B is valid on A
    statuses = {row["id"]: row["status"] for row in tasks.json()["results"]}
    assert statuses[world["assignment"].pk] == AssignmentStatus.CLOSED
