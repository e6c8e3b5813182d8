"""Bulletins (通报): drafted by the office from the dashboard's numbers, printed, downloaded as
.docx (read back here with python-docx), published to every department."""

import io

import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from docx import Document

from tasks.choices import AssignmentStatus
from tasks.models import Assignment, Bulletin
from tests.test_dashboard import NOW, CityTestCase


@time_machine.travel(NOW, tick=False)
class BulletinTests(CityTestCase):
    def draft(self, period="2026-05", title=""):
        self.client.force_login(self.office)
        response = self.client.post(reverse("tasks:bulletins"), {"period": period, "title": title})
        self.assertEqual(response.status_code, 302, response.content[:300])
        return Bulletin.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])

    def test_it_snapshots_the_summary_overdue_items_ranking_and_completed_measures(self):
        bulletin = self.draft("2026-05")
        content = bulletin.content
        self.assertEqual(bulletin.title, "关于2026年5月政策落实工作推进情况的通报")
        self.assertEqual((bulletin.period, bulletin.period_start.isoformat(), bulletin.period_end.isoformat()),
                         ("2026-05", "2026-05-01", "2026-05-31"))
        self.assertFalse(bulletin.is_published)
        s = content["summary"]
        self.assertEqual((s["assignments"], s["closed"], s["overdue"], s["reports_expected"], s["reports_received"],
                          s["report_rate"], s["on_time_report_rate"]), (10, 3, 1, 5, 3, 60.0, 40.0))
        self.assertEqual(content["overdue"], [{
            "department": "市工信局", "document": "测试市数字经济行动方案", "number": "2", "title": "培育数据市场",
            "role": "责任单位", "due": "2026-05-31", "days_overdue": 25, "percent": 0,
        }])
        self.assertEqual([(r["rank"], r["name"], r["score"]) for r in content["ranking"]],
                         [(1, "市发改委", 100.0), (2, "东湖区政府", 30.0), (3, "市工信局", 13.3)])
        self.assertEqual(content["completed"], [{"document": "测试市数字经济行动方案", "number": "2",
                                                 "title": "培育数据市场", "completed_on": "2026-05-20"}])
        june = self.draft("2026-06").content["completed"]
        self.assertEqual([(c["title"], c["completed_on"]) for c in june], [("建设政务云", "2026-06-15")])

    def test_the_snapshot_does_not_move_when_the_work_does(self):
        bulletin = self.draft("2026-05")
        Assignment.objects.filter(pk=self.b2.pk).update(status=AssignmentStatus.CLOSED)
        bulletin.refresh_from_db()
        self.assertEqual(bulletin.content["summary"]["overdue"], 1)
        self.assertEqual(self.draft("2026-05").content["summary"]["overdue"], 0)

    def test_it_prints_and_writes_a_docx_with_the_same_contents(self):
        bulletin = self.draft("2026-05", title="2026年5月督查通报")
        page = self.client.get(reverse("tasks:bulletin", args=[bulletin.pk]))
        self.assertContains(page, "css/policytrack.css")  # its print rules (A4, no navigation) live there
        from django.contrib.staticfiles import finders

        stylesheet = open(finders.find("css/policytrack.css"), encoding="utf-8").read()
        self.assertIn("@page { size: A4", stylesheet)
        self.assertContains(page, "2026年5月督查通报")
        self.assertContains(page, "培育数据市场")
        self.assertContains(page, "报告率 60%")
        response = self.client.get(reverse("tasks:bulletin-docx", args=[bulletin.pk]))
        self.assertEqual(response["Content-Type"],
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        self.assertIn("attachment", response["Content-Disposition"])
        docx = Document(io.BytesIO(b"".join(response.streaming_content)))
        paragraphs = [p.text for p in docx.paragraphs]
        self.assertEqual(paragraphs[0], "2026年5月督查通报")
        self.assertTrue(any("已办结 3 项" in p and "逾期 1 项" in p for p in paragraphs), paragraphs)
        self.assertTrue(any("报告率 60%" in p and "按时报告率 40%" in p for p in paragraphs), paragraphs)
        overdue, ranking, completed = ([[c.text for c in row.cells] for row in table.rows] for table in docx.tables)
        self.assertEqual(overdue[1], ["市工信局", "测试市数字经济行动方案", "2", "培育数据市场", "责任单位", "2026-05-31", "25", "0%"])
        self.assertEqual([row[:2] + row[-1:] for row in ranking[1:]],
                         [["1", "市发改委", "100"], ["2", "东湖区政府", "30"], ["3", "市工信局", "13.3"]])
        self.assertEqual(completed[1:], [["测试市数字经济行动方案", "2", "培育数据市场", "2026-05-20"]])

    def test_departments_see_only_published_bulletins(self):
        bulletin = self.draft("2026-05")
        self.client.force_login(self.staff_a)
        self.assertEqual(list(self.client.get(reverse("tasks:bulletins")).context["object_list"]), [])
        self.assertEqual(self.client.get(reverse("tasks:bulletin", args=[bulletin.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("tasks:bulletin-docx", args=[bulletin.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("tasks:bulletin-publish", args=[bulletin.pk])).status_code, 403)

        self.client.force_login(self.office)
        response = self.client.post(reverse("tasks:bulletin-publish", args=[bulletin.pk]))
        self.assertEqual(response.status_code, 302)
        bulletin.refresh_from_db()
        self.assertTrue(bulletin.is_published)
        self.assertEqual(bulletin.published_by, self.office)
        self.assertEqual(bulletin.published_at, NOW)

        for user in (self.staff_a, self.leader_a, self.staff_b, self.leadership):
            self.client.force_login(user)
            self.assertEqual(list(self.client.get(reverse("tasks:bulletins")).context["object_list"]), [bulletin])
            self.assertContains(self.client.get(reverse("tasks:bulletin", args=[bulletin.pk])), "培育数据市场")
            self.assertNotContains(self.client.get(reverse("tasks:bulletin", args=[bulletin.pk])), 'data-testid="publish"')

    def test_publishing_twice_is_refused_with_a_message(self):
        bulletin = self.draft()
        self.client.post(reverse("tasks:bulletin-publish", args=[bulletin.pk]))
        response = self.client.post(reverse("tasks:bulletin-publish", args=[bulletin.pk]))
        self.assertEqual([str(m) for m in get_messages(response.wsgi_request)][-1], "该通报已经发布过了。")

    def test_only_the_office_drafts(self):
        for user in (self.staff_a, self.leader_a, self.leadership, self.admin):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.post(reverse("tasks:bulletins"), {"period": "2026-05"}).status_code, 403)
                self.assertNotContains(self.client.get(reverse("tasks:bulletins")), 'data-testid="bulletin-form"')
        self.assertFalse(Bulletin.objects.exists())
        self.client.logout()
        self.assertEqual(self.client.get(reverse("tasks:bulletins")).status_code, 302)

    def test_a_bad_or_future_period_is_explained(self):
        self.client.force_login(self.office)
        for period, message in (("2026-5月", "无法识别的期间"), ("2026-13", "月份应在 1 到 12 之间"),
                                ("2026-Q3", "尚未开始")):
            with self.subTest(period=period):
                response = self.client.post(reverse("tasks:bulletins"), {"period": period})
                self.assertContains(response, message, status_code=400)
        self.assertFalse(Bulletin.objects.exists())
