"""seed_demo writes a complete demo, and running it again changes nothing."""

import importlib
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from departments.models import Department
from documents.models import Measure, PolicyDocument
from tasks.choices import ReportStatus
from tasks.models import Assignment, ProgressReport
from tasks.rollups import rebuild

ROOT = Path(__file__).resolve().parent.parent


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Department, PolicyDocument, Measure, Assignment, ProgressReport, get_user_model())
    }


class SeedDemoTests(TestCase):
    def test_it_seeds_every_role_and_status_once(self):
        out = StringIO()
        call_command("seed_demo", stdout=out)
        first = counts()
        self.assertGreaterEqual(first["Department"], 30)
        self.assertEqual(first["Measure"], 12 + 8)
        for doc in PolicyDocument.objects.all():
            statuses = ProgressReport.objects.filter(assignment__measure__document=doc).values_list("status", flat=True)
            self.assertEqual(set(statuses), set(ReportStatus.values), doc.title)
        for username in ("admin", "office", "leadership", "staff1", "leader1", "staff2", "leader2", "office2"):
            self.assertIn(username, out.getvalue())
        self.assertIn("office2-demo-2025", out.getvalue())
        self.assertTrue(get_user_model().objects.get(username="staff1").check_password("staff1-demo-2025"))
        self.assertTrue(Department.objects.find("市发展改革委").requires_leader_approval)
        group = Department.objects.find("各县(市、区)政府")
        self.assertEqual(group.members.count(), 5)

        call_command("seed_demo", stdout=StringIO())
        self.assertEqual(counts(), first)
        self.assertEqual(rebuild.check().differing, {})  # the dashboard's rollups match the seeded work

    def test_office2_oversees_exactly_its_groups_document_and_staff_see_both_groups(self):
        call_command("seed_demo", stdout=StringIO())
        users = {u.username: u for u in get_user_model().objects.all()}
        business = PolicyDocument.objects.get(group__name="云川市优化营商环境领导小组")
        owned = set(Assignment.objects.filter(measure__document=business).values_list("pk", flat=True))
        self.assertEqual(set(Assignment.objects.visible_to(users["office2"]).values_list("pk", flat=True)), owned)
        self.assertEqual(Assignment.objects.visible_to(users["office"]).count(), Assignment.objects.count())
        waiting = ProgressReport.objects.visible_to(users["office2"]).filter(status=ReportStatus.SUBMITTED)
        self.assertTrue(waiting.exists())
        for username in ("staff1", "staff2"):
            documents = set(Assignment.objects.visible_to(users[username]).values_list("measure__document", flat=True))
            self.assertEqual(documents, set(PolicyDocument.objects.values_list("pk", flat=True)), username)

    def test_it_keeps_a_changed_password(self):
        call_command("seed_demo", stdout=StringIO())
        user = get_user_model().objects.get(username="office")
        user.set_password("a-new-strong-secret")
        user.save()
        out = StringIO()
        call_command("seed_demo", stdout=out)
        user.refresh_from_db()
        self.assertTrue(user.check_password("a-new-strong-secret"))
        self.assertNotIn("office-demo-2025", out.getvalue())


def test_it_seeds_a_fresh_sqlite_file_twice(tmp_path):
    """The quick start's embedded default: a SQLite file, migrated and seeded twice."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}", "DJANGO_SETTINGS_MODULE": ""}
    env.pop("DJANGO_SETTINGS_MODULE")
    outputs = []
    for args in (["migrate", "-v0"], ["seed_demo"], ["seed_demo"], ["rebuild_rollups", "--check"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
        outputs.append(done.stdout)
    assert "本次新建：assignments 0, departments 0, documents 0" in outputs[2]
    assert "没有偏差" in outputs[3]  # the dashboard's rollups match the seeded work


@pytest.mark.parametrize("name", ["document", "business"])
def test_it_writes_a_demo_document_the_parser_reads_back_as_seeded(name):
    """The demo text and its structured measures say the same thing."""
    from documents.parsing import parse_document
    from tasks import demo

    document = importlib.import_module(f"{demo.__name__}.{name}")
    parsed = parse_document(document.source_text())
    assert (parsed.title, parsed.doc_number, parsed.issued_date) == (document.TITLE, document.DOC_NUMBER, document.ISSUED)
    assert [m.number for m in parsed.measures] == [m.number for m in document.MEASURES]
    for got, seeded in zip(parsed.measures, document.MEASURES, strict=True):
        assert (got.title, got.lead, got.responsible, got.supporting) == (
            seeded.title, seeded.lead, seeded.responsible, seeded.supporting,
        ), seeded.number
        assert got.ongoing == (seeded.ongoing and not seeded.recurrence), seeded.number
