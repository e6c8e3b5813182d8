"""Month-end at PolicyTrack: departments open their tasks and submit reports, leaders approve, the
office reviews and watches the dashboard, leadership reads it.

Runs against the city-scale demo (``seed_demo --scale large``: every generated account's
password is ``scale-demo-2025``) on a server on 127.0.0.1; ``loadtest/run.py`` starts one and
runs this file headless. People think 5–15 s between actions (divided by the pace of
loadtest/capacity.py, 1 in the month-end window), as people reading a page or typing a report do.

Each simulated person has an account of their own and keeps their session for the whole run, as
people do: they log in through the login form once, when they arrive. Real logins go on during
the run at ``LOADTEST_LOGINS_PER_MINUTE`` (people arriving at work: a login, the landing page, a
logout), whatever the pace. Staff of different departments never write the same report; office
reviewers split the queue by report id, so that two never decide the same report (the portal
would tell the second one, but that is not what is measured).

Writers: a share ``LOADTEST_WRITERS`` of the actions of department staff and office reviewers
write through the real forms with their CSRF tokens, so that every write goes through the
workflow service: staff submit this period's report on an assignment in progress; reviewers
accept the oldest report of their share of the queue, or return one in five with a comment.
Leaders approve what waits for them. A refused action (a warning message instead of a success)
counts as a failure.
"""

from __future__ import annotations

import functools
import itertools
import os
import random
import re

import gevent
from capacity import PLAN, Controller  # loadtest/capacity.py: Locust puts this directory on the path
from locust import HttpUser, constant_pacing, events, task
from locust.runners import MasterRunner, WorkerRunner

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "scale-demo-2025")
DEPARTMENTS = int(os.environ.get("LOADTEST_DEPARTMENTS", "280"))
WRITERS = float(os.environ.get("LOADTEST_WRITERS", "0.25"))
LOGINS_PER_MINUTE = float(os.environ.get("LOADTEST_LOGINS_PER_MINUTE", "2"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ASSIGNMENT = re.compile(r'data-assignment="(\d+)"')
REVIEW_ROW = re.compile(r'name="reports" value="(\d+)"[^<]*</td>.*?href="/tasks/(\d+)/"', re.S)
DECISION = re.compile(r'action="/reports/(\d+)/decision/".*?name="version" value="(\d+)"', re.S)
WARNING = re.compile(r'class="alert alert-(?:warning|danger) alert-dismissible')  # a message, not a box of the page

LOG = os.environ.get("LOADTEST_LOG")  # run.py reads every request's time from here
_log = open(LOG, "a", encoding="utf-8", buffering=1) if LOG else None  # noqa: SIM115 - open for the whole run


@events.request.add_listener
def record(request_type, name, response_time, response_length, exception, start_time=None, **kwargs) -> None:
    """One line per request: when it started, what it was, how long it took, whether it failed."""
    PLAN.record(response_time, exception is not None)
    if _log is not None:
        _log.write(f"{start_time or 0:.3f}\t{request_type} {name}\t{response_time:.1f}\t{int(exception is not None)}\n")


@events.test_start.add_listener
def start_controller(environment, **kwargs) -> None:
    """Run the phases of loadtest/capacity.py, then stop Locust."""
    if isinstance(environment.runner, MasterRunner | WorkerRunner):
        return
    controller = Controller(
        users=environment.parsed_options.num_users, measure=float(os.environ.get("LOADTEST_MEASURE", "60")),
        step=float(os.environ.get("LOADTEST_STEP", "20")), settle=float(os.environ.get("LOADTEST_SETTLE", "5")),
        capacity=os.environ.get("LOADTEST_CAPACITY", "1") == "1", write_marker=marker, sleep=gevent.sleep,
    )

    def run() -> None:
        controller.run()
        environment.runner.quit()

    gevent.spawn(run)


def marker(line: str) -> None:
    if _log is not None:
        _log.write(line + "\n")


def work(action):
    """A user's action, or, in the trivial phase, one request for the status view instead."""

    @functools.wraps(action)
    def run(self):
        if PLAN.trivial:
            with self.client.get("/status/", name="/status/", catch_response=True) as response:
                if response.status_code != 200 or not response.json().get("authenticated"):
                    response.failure(f"status: {response.status_code}")
            return
        action(self)

    return run


def writes() -> bool:
    return random.random() < WRITERS


_staff = itertools.count()
_leaders = itertools.count()
_office = itertools.count()
_leadership = itertools.count()
_newcomers = itertools.count()
OFFICE_ACCOUNTS = 8


class Person(HttpUser):
    """A logged-in user of the portal."""

    abstract = True
    username = ""

    def wait_time(self) -> float:
        return PLAN.think()

    def on_start(self) -> None:
        self.log_in()
        PLAN.arrived += 1

    def log_in(self) -> None:
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = CSRF.search(page.text)
        with self.client.post("/accounts/login/", {"username": self.username, "password": PASSWORD,
                                                   "csrfmiddlewaretoken": token.group(1) if token else ""},
                              name="/accounts/login/ [POST]", catch_response=True) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"login refused for {self.username}")
            return response

    def post_form(self, page_text: str, url: str, data: dict, name: str) -> None:
        """Post like the browser does and count a warning message (a refused action) as a failure."""
        token = CSRF.search(page_text)
        with self.client.post(url, {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}, name=name,
                              catch_response=True) as response:
            if response.status_code != 200 or WARNING.search(response.text):
                response.failure(f"refused: {response.status_code}")


class DepartmentStaff(Person):
    """填报员: opens the task list and an assignment, writes this period's report."""

    weight = 1

    def on_start(self) -> None:
        n = next(_staff)
        self.username = f"dept{n * 11 % DEPARTMENTS + 1:03d}.staff{n // DEPARTMENTS + 1}"  # 11 and 280 share no factor
        self.done: set[int] = set()
        super().on_start()

    @task
    @work
    def act(self) -> None:
        if writes():
            self.submit_a_report()
        else:
            random.choices([self.open_tasks, self.open_an_assignment, self.notifications], [5, 4, 1])[0]()

    def open_tasks(self) -> None:
        self.client.get("/tasks/", name="/tasks/")

    def open_an_assignment(self) -> None:
        ids = ASSIGNMENT.findall(self.client.get("/tasks/?status=in_progress", name="/tasks/?status=…").text)
        if ids:
            self.client.get(f"/tasks/{random.choice(ids)}/", name="/tasks/<id>/")

    def notifications(self) -> None:
        self.client.get("/notifications/", name="/notifications/")

    def submit_a_report(self) -> None:
        listing = self.client.get("/tasks/?status=in_progress&o=-created", name="/tasks/?status=…")
        for pk in [int(pk) for pk in ASSIGNMENT.findall(listing.text) if int(pk) not in self.done][:4]:
            page = self.client.get(f"/tasks/{pk}/", name="/tasks/<id>/")
            self.done.add(pk)
            if 'data-testid="submit-report"' in page.text:
                self.post_form(page.text, f"/tasks/{pk}/", {
                    "text": "本月按计划推进,已完成阶段性工作,下月继续落实。", "percent": str(random.randint(3, 9) * 10),
                    "submit": "1",
                }, name="/tasks/<id>/ [POST report]")
                return


class DepartmentLeader(Person):
    """部门负责人: looks at the department's work and approves what waits for them."""

    weight = 0
    fixed_count = 10

    def on_start(self) -> None:
        n = next(_leaders)
        self.username = f"dept{(n * 29 + 3) % DEPARTMENTS + 1:03d}.leader"
        super().on_start()

    @task(3)
    @work
    def open_tasks(self) -> None:
        self.client.get("/tasks/", name="/tasks/")

    @task(2)
    @work
    def approvals(self) -> None:
        page = self.client.get("/tasks/approvals/", name="/tasks/approvals/")
        decisions = DECISION.findall(page.text)
        if decisions:
            report, version = decisions[0]
            self.post_form(page.text, f"/reports/{report}/decision/",
                           {"decision": "accept", "comment": "", "version": version}, name="/reports/<id>/decision/")


class OfficeReviewer(Person):
    """督查员: reviews reports (oldest first), watches the queue, the dashboard and the overdue list."""

    weight = 0
    fixed_count = OFFICE_ACCOUNTS

    def on_start(self) -> None:
        self.index = next(_office) % OFFICE_ACCOUNTS
        self.username = f"office{self.index + 1:02d}"
        super().on_start()

    @task
    @work
    def act(self) -> None:
        if writes():
            self.review_one()
        else:
            random.choices([self.queue, self.dashboard, self.overdue], [2, 2, 1])[0]()

    def queue(self):
        return self.client.get("/reviews/", name="/reviews/")

    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="/dashboard/")

    def overdue(self) -> None:
        self.client.get("/assignments/?state=overdue", name="/assignments/?state=…")

    def review_one(self) -> None:
        mine = [(r, a) for r, a in REVIEW_ROW.findall(self.queue().text) if int(r) % OFFICE_ACCOUNTS == self.index]
        if not mine:
            return
        report, assignment = mine[0]
        page = self.client.get(f"/tasks/{assignment}/", name="/tasks/<id>/")
        versions = dict(DECISION.findall(page.text))
        if report in versions:
            accept = random.random() >= 0.2
            self.post_form(page.text, f"/reports/{report}/decision/",
                           {"decision": "accept" if accept else "return",
                            "comment": "" if accept else "请补充本期量化进展和佐证材料。", "version": versions[report]},
                           name="/reports/<id>/decision/")


class Leadership(Person):
    """领导: reads the dashboard, now and then for one kind of department or one document."""

    weight = 0
    fixed_count = 4

    def on_start(self) -> None:
        self.username = f"leadership{next(_leadership) % 3 + 1:02d}"
        super().on_start()

    @task(3)
    @work
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="/dashboard/")

    @task(1)
    @work
    def dashboard_for_counties(self) -> None:
        self.client.get("/dashboard/?department_kind=county", name="/dashboard/?department_kind=…")

    @task(1)
    @work
    def summary_api(self) -> None:
        self.client.get("/api/dashboard/summary/", name="/api/dashboard/summary/")


class Newcomer(Person):
    """Someone arriving at work: logs in through the form, lands on their page, later logs out.
    One such person every 60 / LOADTEST_LOGINS_PER_MINUTE seconds, each time another account
    (staff accounts no other simulated person uses), at the real rate whatever the pace."""

    weight = 0
    fixed_count = 1 if LOGINS_PER_MINUTE > 0 else 0
    wait_time = constant_pacing(60 / LOGINS_PER_MINUTE if LOGINS_PER_MINUTE > 0 else 60)

    def on_start(self) -> None:
        PLAN.arrived += 1

    @task
    def arrive(self) -> None:
        n = next(_newcomers)
        self.username = f"dept{n % DEPARTMENTS + 1:03d}.staff5"
        landed = self.log_in()
        if "/accounts/login/" not in landed.url:
            token = CSRF.search(landed.text)  # the logout form of the page they landed on
            self.client.post("/accounts/logout/", {"csrfmiddlewaretoken": token.group(1) if token else ""},
                             name="/accounts/logout/ [POST]")
