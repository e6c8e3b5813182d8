"""Run the month-end load test: gunicorn on 127.0.0.1 against a copy of the city-scale
PostgreSQL database, Locust headless (100 users, 60 s), then print the figures.

    .venv/bin/python loadtest/run.py [--users 100] [--spawn-rate 4] [--time 60] [--workers 4]

Users arrive at --spawn-rate per second and log in through the login form; once all have
arrived, the next --time seconds are the measured month-end window (in which users also log
out and in again now and then). Figures are printed for both phases, from the time of every
request that locustfile.py records.

DATABASE_URL names the city-scale database (default postgres://postgres@127.0.0.1:5432/policytrack_scale);
it is migrated and seeded first when needed (``seed_demo --scale large``). The test runs on a
fresh copy (``CREATE DATABASE … TEMPLATE …``, dropped afterwards), so every run starts from the
same data and the reports it submits do not pile up. The server runs as in production (DEBUG=0,
collected static files) but on plain HTTP on 127.0.0.1 only. REDIS_URL, when set, is passed on:
the workers then share one cache and queue notifications to Redis, as in production; without
it each worker caches for itself and sends notifications in-process.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/policytrack_scale"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=4, help="users arriving per second")
    parser.add_argument("--time", type=int, default=60, help="seconds")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    options = parser.parse_args()

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("The load test runs against PostgreSQL: set DATABASE_URL=postgres://…")
    base, _, name = url.rpartition("/")
    copy = f"{name}_load"
    work = Path(tempfile.mkdtemp(prefix="policytrack-load-"))
    port = options.port or free_port()
    env = {
        **os.environ, "DATABASE_URL": url, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0", "SECURE_HSTS_SECONDS": "0", "STATIC_ROOT": str(work / "static"),
        "EMAIL_FILE_PATH": str(work / "mail"), "MEDIA_ROOT": str(work / "media"), "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    # Read before this script's own set-up (migrate, collectstatic, the copy, the server's start)
    # adds to it: what is left is other work on the machine.
    quiet(f"{os.cpu_count()} CPUs; load average before the run")
    step("migrate and seed the city-scale database (no-op when it is there)")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", "--scale", "large")
    manage(env, "collectstatic", "--noinput", "-v0")
    step(f"copy {name} to {copy}")
    psql(url, f'DROP DATABASE IF EXISTS "{copy}"')
    psql(url, f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    env["DATABASE_URL"] = f"{base}/{copy}"
    server = None
    try:
        step(f"gunicorn on 127.0.0.1:{port} with {options.workers} workers")
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "policytrack.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
             str(options.workers), "--access-logfile", "-", "--error-logfile", str(work / "gunicorn.log")],
            cwd=ROOT, env=env, stdout=open(work / "access.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
        )
        wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        step(f"locust: {options.users} users arriving at {options.spawn_rate}/s, then {options.time} s measured")
        ramp = options.users / options.spawn_rate
        log = work / "requests.tsv"
        started = time.time()
        locust = subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless", "--users",
             str(options.users), "--spawn-rate", str(options.spawn_rate), "--run-time", f"{round(ramp + options.time)}s",
             "--host", f"http://127.0.0.1:{port}", "--csv", str(work / "stats"), "--only-summary",
             "--stop-timeout", "10", "--exit-code-on-error", "0"],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "LOADTEST_LOG": str(log)}, capture_output=True,
            text=True, check=False,
        )
        (work / "locust.log").write_text(locust.stdout + locust.stderr, encoding="utf-8")
        quiet("load average after the run (server, database and Locust share these CPUs)", warn=False)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        psql(url, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    return report(work, log, started + ramp)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def phase(title: str, rows: list[tuple[float, str, float, int]]) -> int:
    """Print one phase's figures per request kind and in all; answer its number of errors."""
    if not rows:
        print(f"\n{title}: no requests")
        return 0
    seconds = max(1.0, rows[-1][0] - rows[0][0])
    print(f"\n{title}\n{'request':<44}{'count':>7}{'errors':>7}{'p50':>7}{'p95':>7}{'p99':>7}")
    for name in sorted({row[1] for row in rows}):
        times = [row[2] for row in rows if row[1] == name]
        errors = sum(row[3] for row in rows if row[1] == name)
        print(f"{name:<44.44}{len(times):>7}{errors:>7}{percentile(times, .5):>7.0f}{percentile(times, .95):>7.0f}"
              f"{percentile(times, .99):>7.0f}")
    times = [row[2] for row in rows]
    errors = sum(row[3] for row in rows)
    print(f"ALL: requests/s {len(rows) / seconds:.1f} · p50 {percentile(times, .5):.0f} ms · p95 "
          f"{percentile(times, .95):.0f} ms · p99 {percentile(times, .99):.0f} ms · requests {len(rows)} · errors {errors}")
    return errors


def report(work: Path, log: Path, measured_from: float) -> int:
    rows = []
    for line in log.read_text(encoding="utf-8").splitlines():
        started, name, elapsed, failed = line.split("\t")
        rows.append((float(started), name, float(elapsed), int(failed)))
    rows.sort()
    arrival = [row for row in rows if row[0] < measured_from]
    window = [row for row in rows if row[0] >= measured_from]
    errors = phase("Arrival: users log in as they arrive (not the measured window)", arrival)
    errors += phase("Measured month-end window", window)
    failed = work / "stats_failures.csv"
    if errors and failed.exists():
        print(failed.read_text(encoding="utf-8"))
    print(f"(logs in {work})")
    return 1 if errors else 0


def quiet(text: str, warn: bool = True) -> None:
    """Say how busy the machine is: other work on it makes the figures worse than the portal's."""
    one, five, _fifteen = os.getloadavg()
    step(f"{text}: {one:.2f} (1 min), {five:.2f} (5 min)")
    if warn and one > 0.5 * (os.cpu_count() or 1):
        step("warning: the machine is busy with other work; the figures below include its effect")


def step(text: str) -> None:
    print(f"· {text}", flush=True)


def manage(env: dict, *arguments: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *arguments], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def psql(url: str, statement: str) -> None:
    base = url.rpartition("/")[0]
    subprocess.run(["psql", f"{base}/postgres", "-v", "ON_ERROR_STOP=1", "-q", "-c", statement], check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"the server did not answer at {url}")


if __name__ == "__main__":
    sys.exit(main())
