"""Two first saves of a period's report at once: both find no row to lock, the second insert hits
the unique constraint. The loser gets a 409 (API) or a warning (form), never a 500, and nothing
of its save is kept."""

from __future__ import annotations

import datetime
from unittest import mock

import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from rest_framework.test import APIClient

from tasks.models import ProgressReport
from tests.base import BaseTestCase

NOW = datetime.datetime(2026, 3, 20, 9, 0, tzinfo=datetime.UTC)


def the_other_save_is_not_yet_visible():
    """The row-locking look-up sees nothing, as when the winner's insert is not yet committed."""
    return mock.patch.object(ProgressReport.objects, "select_for_update", return_value=ProgressReport.objects.none())


@time_machine.travel(NOW, tick=False)
class FirstSaveRaceTests(BaseTestCase):
    def test_the_api_answers_409_for_the_second_first_save(self):
        client = APIClient()
        client.force_authenticate(self.staff_a)
        before = (ProgressReport.objects.count(), ProgressReport.history.count())
        with the_other_save_is_not_yet_visible():
            response = client.post("/api/reports/", {"assignment": self.assignment_a.pk, "text": "同时保存。",
                                                     "percent": 30}, format="json")
        self.assertEqual(response.status_code, 409, response.content)
        self.assertIn("刚由他人创建", response.json()["detail"])
        self.assertEqual((ProgressReport.objects.count(), ProgressReport.history.count()), before)
        self.assertEqual(ProgressReport.objects.get(pk=self.report_a.pk).text, "完成选址。")

    def test_the_form_says_so_instead_of_failing(self):
        self.client.force_login(self.staff_a)
        before = ProgressReport.objects.count()
        with the_other_save_is_not_yet_visible():
            response = self.client.post(reverse("tasks:assignment", args=[self.assignment_a.pk]),
                                        {"text": "同时保存。", "percent": "30"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(any("刚由他人创建" in str(m) for m in get_messages(response.wsgi_request)))
        self.assertEqual(ProgressReport.objects.count(), before)
