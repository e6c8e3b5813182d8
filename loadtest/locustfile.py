"""Month-end at PolicyTrack: departments log in, open their tasks and submit reports, leaders
approve, the office reviews and watches the dashboard, leadership reads it.

Runs against the city-scale demo (``seed_demo --scale large``: every generated account's
password is ``scale-demo-2025``) on a server on 127.0.0.1; ``loadtest/run.py`` starts one and
runs this file headless (100 users, 60 s). Users think for 5–15 s between pages, as people
reading a page or typing a report do.

Each simulated person has an account of their own: staff of different departments (so that two
people never write the same report), the office reviewers split the queue by report id (so that
two reviewers never decide the same report; the portal would tell the second one, but that is
not what is measured here). A refused action (a warning message instead of a success) counts as
a failure.
"""

from __future__ import annotations

import itertools
import os
import random
import re

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "scale-demo-2025")
DEPARTMENTS = int(os.environ.get("LOADTEST_DEPARTMENTS", "280"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ASSIGNMENT = re.compile(r'data-assignment="(\d+)"')
REVIEW_ROW = re.compile(r'name="reports" value="(\d+)"[^<]*</td>.*?href="/tasks/(\d+)/"', re.S)
DECISION = re.compile(r'action="/reports/(\d+)/decision/".*?name="version" value="(\d+)"', re.S)
WARNING = re.compile(r'class="alert alert-(?:warning|danger) alert-dismissible')  # a message, not a box of the page

LOG = os.environ.get("LOADTEST_LOG")  # run.py reads every request's time from here
_log = open(LOG, "a", encoding="utf-8") if LOG else None  # noqa: SIM115 - open for the whole run


@events.request.add_listener
def record(request_type, name, response_time, response_length, exception, start_time=None, **kwargs) -> None:
    """One line per request: when it started, what it was, how long it took, whether it failed."""
    if _log is not None:
        _log.write(f"{start_time or 0:.3f}\t{request_type} {name}\t{response_time:.1f}\t{int(exception is not None)}\n")


_staff = itertools.count()
_leaders = itertools.count()
_office = itertools.count()
_leadership = itertools.count()
OFFICE_ACCOUNTS = 8


class Person(HttpUser):
    """A logged-in user of the portal."""

    abstract = True
    wait_time = between(5, 15)
    username = ""

    def on_start(self) -> None:
        self.log_in()

    def log_in(self) -> None:
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = CSRF.search(page.text)
        with self.client.post("/accounts/login/", {"username": self.username, "password": PASSWORD,
                                                   "csrfmiddlewaretoken": token.group(1) if token else ""},
                              name="/accounts/login/ [POST]", catch_response=True) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"login refused for {self.username}")

    def log_out_and_in(self) -> None:
        page = self.client.get("/no-role/", name="/no-role/")
        token = CSRF.search(page.text)
        self.client.post("/accounts/logout/", {"csrfmiddlewaretoken": token.group(1) if token else ""},
                         name="/accounts/logout/ [POST]")
        self.log_in()

    def post_form(self, page_text: str, url: str, data: dict, name: str) -> None:
        """Post like the browser does and count a warning message (a refused action) as a failure."""
        token = CSRF.search(page_text)
        with self.client.post(url, {**data, "csrfmiddlewaretoken": token.group(1) if token else ""}, name=name,
                              catch_response=True) as response:
            if response.status_code != 200 or WARNING.search(response.text):
                response.failure(f"refused: {response.status_code}")


class DepartmentStaff(Person):
    """填报员: opens the task list and an assignment, writes this month's report."""

    weight = 78

    def on_start(self) -> None:
        n = next(_staff)
        self.username = f"dept{n * 11 % DEPARTMENTS + 1:03d}.staff{n // DEPARTMENTS + 1}"  # 11 and 280 share no factor
        self.done: set[int] = set()
        super().on_start()

    @task(5)
    def open_tasks(self) -> None:
        self.client.get("/tasks/", name="/tasks/")

    @task(3)
    def open_an_assignment(self) -> None:
        ids = ASSIGNMENT.findall(self.client.get("/tasks/?status=in_progress", name="/tasks/?status=…").text)
        if ids:
            self.client.get(f"/tasks/{random.choice(ids)}/", name="/tasks/<id>/")

    @task(3)
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

    @task(1)
    def log_in_again(self) -> None:
        """Now and then someone logs out and back in (every user also logs in when they arrive)."""
        if random.random() < 0.3:
            self.log_out_and_in()


class DepartmentLeader(Person):
    """部门负责人: looks at the department's work and approves what waits for them."""

    weight = 0
    fixed_count = 10

    def on_start(self) -> None:
        n = next(_leaders)
        self.username = f"dept{(n * 29 + 3) % DEPARTMENTS + 1:03d}.leader"
        super().on_start()

    @task(3)
    def open_tasks(self) -> None:
        self.client.get("/tasks/", name="/tasks/")

    @task(2)
    def approvals(self) -> None:
        page = self.client.get("/tasks/approvals/", name="/tasks/approvals/")
        decisions = DECISION.findall(page.text)
        if decisions:
            report, version = decisions[0]
            self.post_form(page.text, f"/reports/{report}/decision/",
                           {"decision": "accept", "comment": "", "version": version}, name="/reports/<id>/decision/")


class OfficeReviewer(Person):
    """督查员: reviews reports (oldest first), watches the dashboard and the overdue list."""

    weight = 0
    fixed_count = OFFICE_ACCOUNTS

    def on_start(self) -> None:
        self.index = next(_office) % OFFICE_ACCOUNTS
        self.username = f"office{self.index + 1:02d}"
        super().on_start()

    @task(4)
    def review_one(self) -> None:
        queue = self.client.get("/reviews/", name="/reviews/")
        mine = [(r, a) for r, a in REVIEW_ROW.findall(queue.text) if int(r) % OFFICE_ACCOUNTS == self.index]
        if not mine:
            return
        report, assignment = mine[0]
        page = self.client.get(f"/tasks/{assignment}/", name="/tasks/<id>/")
        versions = dict(DECISION.findall(page.text))
        if report in versions:
            self.post_form(page.text, f"/reports/{report}/decision/",
                           {"decision": "accept", "comment": "", "version": versions[report]},
                           name="/reports/<id>/decision/")

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="/dashboard/")

    @task(1)
    def overdue(self) -> None:
        self.client.get("/assignments/?state=overdue", name="/assignments/?state=…")


class Leadership(Person):
    """领导: reads the dashboard, now and then for one kind of department or one document."""

    weight = 0
    fixed_count = 4

    def on_start(self) -> None:
        self.username = f"leadership{next(_leadership) % 3 + 1:02d}"
        super().on_start()

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="/dashboard/")

    @task(1)
    def dashboard_for_counties(self) -> None:
        self.client.get("/dashboard/?department_kind=county", name="/dashboard/?department_kind=…")

    @task(1)
    def summary_api(self) -> None:
        self.client.get("/api/dashboard/summary/", name="/api/dashboard/summary/")
