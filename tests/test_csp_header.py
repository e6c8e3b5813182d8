"""The Content-Security-Policy header on pages, and templates that keep to it: no inline
scripts, no on* handlers, no <style> blocks (style="…" attributes are allowed)."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from tests.base import BaseTestCase

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
STYLE_BLOCK = re.compile(r"<style[\s>]", re.I)


class CspHeaderTests(BaseTestCase):
    def test_pages_carry_the_strict_policy(self):
        self.client.force_login(self.office)
        for url in (reverse("tasks:dashboard"), reverse("tasks:reviews"), reverse("api-docs"), reverse("login")):
            with self.subTest(url=url):
                policy = self.client.get(url)["Content-Security-Policy"]
                for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                                  "style-src-attr 'unsafe-inline'", "img-src 'self' data:", "frame-ancestors 'none'",
                                  "object-src 'none'", "base-uri 'self'", "form-action 'self'"):
                    self.assertIn(directive, policy)
                self.assertNotIn("unsafe-eval", policy)

    def test_evidence_downloads_keep_their_own_stricter_policy(self):
        from django.core.files.base import ContentFile

        from tasks.models import Attachment

        attachment = Attachment.objects.create(report=self.report_a, file=ContentFile(b"%PDF-1.4\n", name="e.pdf"),
                                               original_name="佐证.pdf", content_type="application/pdf", size=9,
                                               uploaded_by=self.staff_a)
        self.client.force_login(self.staff_a)
        response = self.client.get(reverse("tasks:attachment", args=[attachment.pk]))
        self.assertEqual(response["Content-Security-Policy"], "default-src 'none'; sandbox")

    def test_templates_hold_no_inline_scripts_handlers_or_style_blocks(self):
        found = []
        for folder in TEMPLATE_DIRS:
            for path in folder.rglob("*.html"):
                text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"))
                for pattern in (INLINE_SCRIPT, HANDLER, STYLE_BLOCK):
                    found += [f"{path.relative_to(ROOT)}: {m[0]}" for m in pattern.finditer(text)]
        self.assertEqual(found, [])
