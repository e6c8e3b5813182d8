"""Run the month-end load test: gunicorn on 127.0.0.1 against a copy of the city-scale
PostgreSQL database, Locust headless, then print the figures and the stack's capacity.

    .venv/bin/python loadtest/run.py [--users 100] [--spawn-rate 4] [--time 60] [--workers 4]
        [--writers 0.25] [--logins-per-minute 2] [--step 20] [--settle 5] [--no-capacity]

Users arrive at --spawn-rate per second and log in through the login form; they keep their
session for the whole run, and real logins go on at --logins-per-minute (people arriving at work).
Once all have arrived (and --settle seconds more), the next --time seconds are the measured
month-end window: people think 5–15 s between actions, and --writers of the actions of staff and
office reviewers write through the real forms (staff submit a report, reviewers accept or return
one), leaders approve what waits for them (loadtest/locustfile.py).

Capacity, so that the figure carries from one machine to another: after the window the same
users, with the same sessions, work faster and faster (their think time divided by a pace, × 1.5
per --step seconds) until the p95 passes 500 ms or a request fails, then the pace is refined
twice between the last step that held and the first that did not; the month-end mix's capacity
is the highest requests per second of a step that held. Then every action is replaced by the
status view (``/status/``: an authenticated request, one query, the same middleware) and its
capacity is searched the same way. The ratio of the two is what share of the stack's capacity
for a trivial request the month-end mix reaches: on a faster machine both grow, the ratio stays
(loadtest/capacity.py says more). Locust runs on the same machine and its own cost is in both.

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

from capacity import LIMIT_MS, STEP, percentile  # loadtest/capacity.py, beside this script
from cpu import Sampler  # loadtest/cpu.py

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
    parser.add_argument("--writers", type=float, default=0.25,
                        help="share of the actions of staff and office reviewers that write (0-1)")
    parser.add_argument("--logins-per-minute", type=float, default=2, help="real logins during the run")
    parser.add_argument("--step", type=float, default=20, help="seconds measured per capacity step")
    parser.add_argument("--settle", type=float, default=5, help="seconds before each measured step")
    parser.add_argument("--no-capacity", action="store_true", help="only the month-end window")
    options = parser.parse_args()
    if not 0 <= options.writers <= 1:
        sys.exit("--writers is a share: between 0 and 1")
    if options.users < 23:
        sys.exit("--users: at least 23 (10 leaders, 8 reviewers, 4 leadership, a newcomer and staff)")

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
    server = sampler = None
    try:
        step(f"gunicorn on 127.0.0.1:{port} with {options.workers} workers")
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "policytrack.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
             str(options.workers), "--access-logfile", "-", "--error-logfile", str(work / "gunicorn.log")],
            cwd=ROOT, env=env, stdout=open(work / "access.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
        )
        wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        sampler = Sampler(server.pid, copy)
        sampler.start()
        step(f"locust: {options.users} users arriving at {options.spawn_rate}/s, then {options.time} s measured"
             f"{'' if options.no_capacity else ', then the capacity search'}")
        ramp = options.users / options.spawn_rate
        log = work / "requests.tsv"
        longest = ramp + 120 + options.time + 40 * (options.step + options.settle)  # a bound, never reached
        locust = subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless", "--users",
             str(options.users), "--spawn-rate", str(options.spawn_rate), "--run-time", f"{round(longest)}s",
             "--host", f"http://127.0.0.1:{port}", "--csv", str(work / "stats"), "--only-summary",
             "--stop-timeout", "10", "--exit-code-on-error", "0"],
            cwd=ROOT, capture_output=True, text=True, check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT), "LOADTEST_LOG": str(log),
                 "LOADTEST_WRITERS": str(options.writers), "LOADTEST_LOGINS_PER_MINUTE": str(options.logins_per_minute),
                 "LOADTEST_MEASURE": str(options.time), "LOADTEST_STEP": str(options.step),
                 "LOADTEST_SETTLE": str(options.settle), "LOADTEST_CAPACITY": "0" if options.no_capacity else "1"},
        )
        (work / "locust.log").write_text(locust.stdout + locust.stderr, encoding="utf-8")
        quiet("load average after the run (server, database and Locust share these CPUs)", warn=False)
    finally:
        if sampler is not None:
            sampler.stop()
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        psql(url, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    return report(work, log, options, sampler)


WRITES = ("POST /tasks/<id>/ [POST report]", "POST /reports/<id>/decision/")


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


def writers(rows: list[tuple[float, str, float, int]], share: float) -> None:
    written = sum(1 for row in rows if row[1] in WRITES)
    logins = sum(1 for row in rows if row[1] == "POST /accounts/login/ [POST]")
    print(f"writers: {share:.0%} of staff and reviewer actions write; {written} of {len(rows)} requests "
          f"({written / max(1, len(rows)):.1%}) were writes (reports submitted, reviewed, approved); "
          f"{logins} real logins")


def read_log(log: Path) -> tuple[list[tuple[float, str, float, int]], list[tuple[str, float, float, float]]]:
    rows, steps = [], []
    for line in log.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if fields[0] == STEP:
            steps.append((fields[1], float(fields[2]), float(fields[3]), float(fields[4])))
        else:
            rows.append((float(fields[0]), fields[1], float(fields[2]), int(fields[3])))
    rows.sort()
    return rows, steps


def report(work: Path, log: Path, options: argparse.Namespace, sampler: Sampler) -> int:
    rows, steps = read_log(log)
    if not steps:
        print((work / "locust.log").read_text(encoding="utf-8")[-3000:])
        sys.exit(f"the run ended before the month-end window (logs in {work})")
    phase("Arrival: users log in as they arrive (not measured)", [row for row in rows if row[0] < steps[0][2]])
    within = {step: [row for row in rows if step[2] <= row[0] < step[3]] for step in steps}
    window = within[steps[0]]
    errors = phase(f"Measured month-end window ({options.users} users, {options.time} s)", window)
    writers(window, options.writers)
    print(cpu_line(sampler.between(*steps[0][2:]), len(window), steps[0][3] - steps[0][2]))
    failed = work / "stats_failures.csv"
    if errors and failed.exists():
        print(failed.read_text(encoding="utf-8"))
    if len(steps) > 1:
        capacity(steps, within, sampler)
    print(f"(logs in {work})")
    return 1 if errors else 0


def cpu_line(spent: dict[str, float] | None, requests: int, seconds: float) -> str:
    """CPU per request of the server, the database and Locust, and how busy the machine was."""
    if not spent or not requests:
        return "CPU: not measured (no /proc)"
    other = spent["machine"] - spent["server"] - spent["database"] - spent["locust"]
    per = {group: 1000 * spent[group] / requests for group in ("server", "database", "locust")}
    return (f"CPU per request: server {per['server']:.0f} ms, database {per['database']:.0f} ms, "
            f"Locust {per['locust']:.0f} ms; other work {max(0.0, other) / seconds:.2f} cores; "
            f"machine busy {spent['machine'] / seconds / (os.cpu_count() or 1):.0%}")


def capacity(steps: list[tuple[str, float, float, float]], within: dict, sampler: Sampler) -> None:
    """Each step of the search, then the capacities at p95 ≤ LIMIT_MS and their ratio."""
    print(f"\nCapacity search (a step holds at p95 ≤ {LIMIT_MS:.0f} ms and no error)")
    print(f"{'phase':<11}{'pace':>7}{'requests/s':>12}{'p50':>7}{'p95':>7}{'errors':>8}{'writes':>8}  holds")
    best: dict[str, tuple[float, float]] = {}
    for step in steps:
        name, pace, started, ended = step
        rows = within[step]
        times = [row[2] for row in rows] or [0.0]
        errors = sum(row[3] for row in rows)
        rate = len(rows) / (ended - started)
        holds = bool(rows) and percentile(times, .95) <= LIMIT_MS and not errors
        kind = "trivial" if name == "trivial" else "mix"
        if holds and rate > best.get(kind, (0.0, 0.0))[0]:
            best[kind] = (rate, pace)
        written = sum(1 for row in rows if row[1] in WRITES) / max(1, len(rows))
        print(f"{name:<11}{pace:>7.3g}{rate:>12.1f}{percentile(times, .5):>7.0f}{percentile(times, .95):>7.0f}"
              f"{errors:>8}{written:>8.1%}  {'yes' if holds else 'no ':<5}"
              f"{cpu_line(sampler.between(started, ended), len(rows), ended - started)}")
    mix, trivial = best.get("mix"), best.get("trivial")
    if mix and trivial:
        print(f"capacity at p95 ≤ {LIMIT_MS:.0f} ms: month-end mix {mix[0]:.1f} requests/s (pace {mix[1]:.3g}), "
              f"trivial view {trivial[0]:.1f} requests/s (pace {trivial[1]:.3g}); "
              f"the mix reaches {mix[0] / trivial[0]:.1%} of the trivial view's rate")
    else:
        print("capacity: no step of " + " and ".join(kind for kind in ("mix", "trivial") if kind not in best) + " held")


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
