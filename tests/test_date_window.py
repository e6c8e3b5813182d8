"""Deadlines are accepted only inside the window of policytrack.bounds (2000-01-01 – 2100-12-31)
on every path where a date enters: forms, API, spreadsheets, documents and the admin. Each
refusal leaves nothing written."""

from __future__ import annotations

import datetime

import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from documents.importing.plan import problems
from documents.importing.wizard import start_import
from documents.models import Measure, Milestone
from tasks.models import Assignment, ExtensionRequest
from tasks.spreadsheets.cells import parse_deadline
from tasks.spreadsheets.reading import read_csv
from tasks.spreadsheets.runs import check_run, start_run
from tasks.workflow import reports
from tests.base import BaseTestCase
from tests.importing import PLAN_TEXT
from tests.sheets import HEADER, csv_bytes, make_sheet_directory

NOW = datetime.datetime(2026, 3, 20, 9, 0, tzinfo=datetime.UTC)
ABSURD = ["9999-12-31", "1900-01-01", "2101-01-01", "1999-12-31"]


@time_machine.travel(NOW, tick=False)
class DateWindowTests(BaseTestCase):
    def test_extension_requests_outside_the_window_are_refused_on_the_web_and_in_the_api(self):
        api = APIClient()
        api.force_authenticate(self.leader_a)
        self.client.force_login(self.leader_a)
        for value in ABSURD:
            with self.subTest(value=value):
                response = api.post(f"/api/assignments/{self.assignment_a.pk}/extension-requests/",
                                    {"requested_deadline": value, "reason": "设备到货延迟"}, format="json")
                self.assertEqual(response.status_code, 400)
                self.assertIn("2100-12-31", str(response.json()["requested_deadline"]))
                self.client.post(reverse("tasks:extension-request", args=[self.assignment_a.pk]),
                                 {"requested_deadline": value, "reason": "设备到货延迟"})
                self.assertFalse(ExtensionRequest.objects.exists())
        with self.assertRaises(ValidationError):
            reports.request_extension(self.assignment_a, self.leader_a, datetime.date(9999, 12, 31), "理由")
        self.assertFalse(ExtensionRequest.objects.exists())
        ok = api.post(f"/api/assignments/{self.assignment_a.pk}/extension-requests/",
                      {"requested_deadline": "2100-12-31", "reason": "设备到货延迟"}, format="json")
        self.assertEqual(ok.status_code, 201)

    def test_spreadsheet_cells_outside_the_window_are_errors(self):
        for value in (datetime.datetime(9999, 12, 31), datetime.datetime(1900, 1, 1), "9999-12-31", "1900/1/1",
                      "1990年6月底前"):
            with self.subTest(value=value):
                cell = parse_deadline(value, 2026)
                self.assertIsNotNone(cell.error)
                self.assertIn("2100-12-31", cell.error)
        self.assertIsNone(parse_deadline("2026年6月底前", 2026).error)

    def test_a_spreadsheet_with_an_absurd_deadline_imports_nothing(self):
        make_sheet_directory()
        rows = [HEADER, [1, "建设城市算力中心", "市发改委", "", "2026年12月", "", ""],
                [2, "推进政务数据共享", "市发改委", "", "9999-12-31", "", ""]]
        run = start_run(self.document, "分解表.csv", read_csv(csv_bytes(rows)), self.admin)
        before = (Measure.objects.count(), Assignment.objects.count())
        plan = check_run(run, dry_run=False, user=self.admin)
        self.assertFalse(plan.ok)
        self.assertTrue(any("9999-12-31" in error for row in plan.rows for error in row.errors))
        self.assertEqual((Measure.objects.count(), Assignment.objects.count()), before)

    def test_a_document_measure_cannot_be_given_an_absurd_deadline(self):
        run = start_import(PLAN_TEXT, "plan.txt", self.admin)
        key = run.plan["measures"][0]["key"]
        self.client.force_login(self.admin)
        response = self.client.post(reverse("documents:import-measure", args=[run.pk, key]), {
            "number": "1", "title": "建设街道综合养老服务中心", "deadline": "9999-12-31", "deadline_text": "",
            "units-TOTAL_FORMS": "1", "units-INITIAL_FORMS": "0", "units-0-name": "市民政局", "units-0-role": "lead",
        })
        self.assertContains(response, "2100-12-31")
        run.refresh_from_db()
        self.assertNotIn("deadline_override", run.plan["measures"][0])
        # a plan that holds such a date anyway (written before the window) cannot be imported
        run.plan["measures"][0]["deadline_override"] = {"date": "9999-12-31", "phrase": "9999-12-31"}
        self.assertTrue(any("9999-12-31" in problem and "2100-12-31" in problem for problem in problems(run.plan)))

    def test_the_admin_refuses_absurd_dates_through_the_model_validators(self):
        self.client.force_login(self.admin)
        for model_value in ABSURD[:2]:
            day = datetime.date.fromisoformat(model_value)
            with self.subTest(day=day):
                with self.assertRaises(ValidationError):
                    Measure(document=self.document, number="9", title="x", deadline=day).full_clean()
                with self.assertRaises(ValidationError):
                    Milestone(measure=self.measure, title="x", due_date=day).full_clean()
                with self.assertRaises(ValidationError):
                    Assignment(measure=self.measure, department=self.dept_b, deadline=day).full_clean(
                        validate_unique=False)
        change = reverse("admin:documents_measure_change", args=[self.measure.pk])
        form = self.client.get(change).context["adminform"].form
        data = {name: form[name].value() or "" for name in form.fields}
        data.update({"deadline": "9999-12-31"})
        response = self.client.post(change, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("deadline", response.context["adminform"].form.errors)
        self.measure.refresh_from_db()
        self.assertEqual(self.measure.deadline, datetime.date(2026, 6, 30))
