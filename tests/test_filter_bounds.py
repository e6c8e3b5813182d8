"""Every numeric and date filter is bounded: an out-of-range value is a 400 with a message, never
an overflow in the database or in date arithmetic (a 500)."""

from __future__ import annotations

from django.urls import reverse
from rest_framework.test import APIClient

from policytrack.bounds import DATE_MAX, DAYS_MAX
from tests.base import BaseTestCase

HUGE = ["99999999999", "2.8e16", "-9.0e207", "1e400", "-1"]
FAR_DATES = ["9999-12-31", "0001-01-01", "1900-01-01"]


class FilterBoundsTests(BaseTestCase):
    def api(self, user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    def test_it_refuses_huge_day_spans_in_the_task_list_and_the_export(self):
        self.client.force_login(self.staff_a)
        for value in HUGE:
            with self.subTest(value=value):
                page = self.client.get(reverse("tasks:my-tasks"), {"due_within": value})
                self.assertContains(page, "筛选条件有误")  # the list is empty and says why
                self.assertEqual(len(page.context["object_list"]), 0)
                export = self.client.get(reverse("tasks:ledger-export"), {"due_within": value})
                self.assertEqual(export.status_code, 400)
        self.assertEqual(self.client.get(reverse("tasks:my-tasks"), {"due_within": DAYS_MAX}).status_code, 200)

    def test_it_refuses_far_dates_in_the_office_list(self):
        self.client.force_login(self.office)
        for name in ("closed_to", "due_from", "due_to"):
            for value in FAR_DATES:
                with self.subTest(name=name, value=value):
                    response = self.client.get(reverse("tasks:assignments"), {name: value})
                    self.assertContains(response, "2100-12-31", status_code=400)
        ok = self.client.get(reverse("tasks:assignments"), {"closed_to": DATE_MAX.isoformat()})
        self.assertEqual(ok.status_code, 200)

    def test_it_refuses_out_of_range_numbers_and_dates_in_the_api(self):
        cases = [("/api/assignments/", "due_within", v) for v in HUGE]
        cases += [(url, name, v) for url, name in (("/api/measures/", "document"),
                                                  ("/api/extension-requests/", "assignment"),
                                                  ("/api/reports/", "assignment"))
                  for v in ("-9.0e207", "-1.1e215", "0", "9223372036854775808", "1.5")]
        cases += [("/api/reports/", "period", v) for v in FAR_DATES]
        for user in (self.office, self.staff_a):
            for url, name, value in cases:
                with self.subTest(user=user.username, url=url, name=name, value=value):
                    response = self.api(user).get(url, {name: value})
                    self.assertEqual(response.status_code, 400, response.content)
                    self.assertIn(name, response.json())

    def test_the_largest_valid_id_is_simply_not_found(self):
        response = self.api(self.office).get("/api/measures/", {"document": "9223372036854775807"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["count"], 0)
