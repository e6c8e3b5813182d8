"""POST /api/documents/parse/: the parser over HTTP, for admins and the office."""

from django.urls import reverse
from rest_framework.test import APIClient

from documents.parsing.bench import adversarial_document
from tests.base import BaseTestCase
from tests.importing import PLAN_TEXT

URL = reverse("api-document-parse")


class ParseApiTests(BaseTestCase):
    def setUp(self):
        self.api = APIClient()

    def test_it_returns_the_corpus_schema(self):
        self.api.force_authenticate(self.office)
        response = self.api.post(URL, {"text": PLAN_TEXT, "source": "plan.txt"}, format="json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["source"], "plan.txt")
        self.assertEqual(len(response.json()["measures"]), 5)

    def test_it_rejects_missing_empty_or_oversized_text(self):
        self.api.force_authenticate(self.admin)
        for payload in ({}, {"text": ""}, {"text": "   "}, {"text": ["not", "a", "string"]}):
            with self.subTest(payload=payload):
                response = self.api.post(URL, payload, format="json")
                self.assertEqual(response.status_code, 400)
                self.assertIn("text", response.json())
        with self.settings(DOCUMENT_IMPORT_MAX_BYTES=10):
            response = self.api.post(URL, {"text": "x" * 50}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("文本过长", response.json()["text"][0])
        response = self.api.post(URL, "{not json", content_type="application/json")
        self.assertEqual(response.status_code, 400)

    def test_it_stops_a_parse_past_its_time_budget_with_a_clear_message(self):
        self.api.force_authenticate(self.office)
        text = adversarial_document("labels on one line", 200_000)
        with self.settings(DOCUMENT_PARSE_TIME_LIMIT=1e-6):
            response = self.api.post(URL, {"text": text}, format="json")
        self.assertEqual(response.status_code, 422)
        self.assertIn("已停止", response.json()["detail"])
        response = self.api.post(URL, {"text": text}, format="json")  # the default budget is ample
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.json()["measures"])

    def test_it_is_closed_to_departments_and_anonymous_callers(self):
        self.assertIn(self.api.post(URL, {"text": PLAN_TEXT}, format="json").status_code, (401, 403))
        for user in (self.staff_a, self.leadership):
            self.api.force_authenticate(user)
            self.assertEqual(self.api.post(URL, {"text": PLAN_TEXT}, format="json").status_code, 403)
