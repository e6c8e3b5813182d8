"""Bulletins (通报): drafted by the office from the dashboard's numbers, printed, downloaded as
.docx (read back here with python-docx), published to every department."""

import io

import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from docx import Document

from tasks.choices import AssignmentStatus
from tasks.models import Bulletin
from tests.test_dashboard import NOW, CityTestCase

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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
        self.b2.status = AssignmentStatus.CLOSED
        self.b2.save()
        bulletin.refresh_from_db()
        self.assertEqual(bulletin.content["summary"]["overdue"], 1)
        self.assertEqual(self.draft("2026-05").content["summary"]["overdue"], 0)

    def test_it_prints_and_writes_a_docx_with_the_same_contents(self):
        bulletin = self.draft("2026-05", title="2026年5月督查通报")
        page = self.client.get(reverse("tasks:bulletin", args=[bulletin.pk]))
        self.assertContains(page, 'class="gongwen"')
        self.assertContains(page, "2026年5月督查通报")
        self.assertContains(page, "培育数据市场")
        self.assertContains(page, "报告率 60%")
        response = self.client.get(reverse("tasks:bulletin-docx", args=[bulletin.pk]))
        self.assertEqual(response["Content-Type"],
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        self.assertIn("attachment", response["Content-Disposition"])
        docx = Document(io.BytesIO(b"".join(response.streaming_content)))
        paragraphs = [p.text for p in docx.paragraphs]
        self.assertEqual(paragraphs[2], "2026年5月督查通报")  # under the red header and the number
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


@time_machine.travel(NOW, tick=False)
class OfficialDocumentTests(CityTestCase):
    """The bulletin is an official document (公文): A4, GB/T 9704 margins, red header, number,
    recipients, the office's 按语 and 下一步工作, sign-off and date, page numbers, no code words."""

    def draft(self):
        self.client.force_login(self.office)
        self.client.post(reverse("tasks:bulletins"), {"period": "2026-05"})
        return Bulletin.objects.latest("pk")

    def edit(self, bulletin, **changes):
        data = {"issuer": bulletin.issuer, "doc_number": bulletin.doc_number, "title": bulletin.title,
                "recipients": bulletin.recipients, "foreword": bulletin.foreword, "next_steps": bulletin.next_steps,
                **changes}
        return self.client.post(reverse("tasks:bulletin", args=[bulletin.pk]), data)

    def docx(self, bulletin):
        response = self.client.get(reverse("tasks:bulletin-docx", args=[bulletin.pk]))
        return Document(io.BytesIO(b"".join(response.streaming_content)))

    def test_it_writes_an_a4_official_document_with_page_numbers(self):
        bulletin = self.draft()
        response = self.edit(bulletin, issuer="测试市数字经济工作领导小组办公室", doc_number="测数办通〔2026〕5号",
                             recipients="各区人民政府，市直各有关单位", foreword="为压实责任，现将有关情况通报如下。",
                             next_steps="一是紧盯逾期事项逐项销号。\n二是按月调度重点任务。")
        self.assertEqual(response.status_code, 302)
        document = self.docx(bulletin)
        section = document.sections[0]
        self.assertEqual((round(section.page_width.mm), round(section.page_height.mm)), (210, 297))  # A4
        self.assertEqual((round(section.top_margin.mm), round(section.bottom_margin.mm),
                          round(section.left_margin.mm), round(section.right_margin.mm)), (37, 35, 28, 26))
        footer = section.footer.paragraphs[0]
        self.assertIn('w:instr="PAGE"', footer._p.xml)
        shown = "".join(node.text for node in footer._p.iter(f"{W}t"))  # with the PAGE field's last value
        self.assertEqual(shown, "— 1 —")
        texts = [p.text for p in document.paragraphs]
        self.assertEqual(texts[:4], ["测试市数字经济工作领导小组办公室", "测数办通〔2026〕5号", bulletin.title,
                                     "各区人民政府，市直各有关单位："])
        issuer = document.paragraphs[0].runs[0]
        self.assertEqual(str(issuer.font.color.rgb), "E60012")  # the red header
        self.assertIn('w:color="E60012"', document.paragraphs[1]._p.xml)  # the red line under the number
        self.assertIn("为压实责任，现将有关情况通报如下。", texts)
        self.assertIn("五、下一步工作", texts)
        self.assertIn("二是按月调度重点任务。", texts)
        self.assertEqual(texts[-2:], ["测试市数字经济工作领导小组办公室", "2026年6月25日"])
        fonts = {run._element.rPr.rFonts.get(f"{W}eastAsia")
                 for paragraph in document.paragraphs for run in paragraph.runs}
        self.assertTrue({"仿宋_GB2312", "黑体", "方正小标宋简体"} <= fonts, fonts)
        every_text = "\n".join(texts + [cell.text for table in document.tables for row in table.rows
                                         for cell in row.cells])
        self.assertNotRegex(every_text, r"[A-Za-z]+_[A-Za-z_]+")  # no setting names or code words
        self.assertNotIn("2026-06-25", "\n".join(texts[:6]))

        page = self.client.get(reverse("tasks:bulletin", args=[bulletin.pk]))
        for text in ("测试市数字经济工作领导小组办公室", "测数办通〔2026〕5号", "各区人民政府，市直各有关单位：",
                     "二是按月调度重点任务。", "2026年6月25日"):
            self.assertContains(page, text)

    def test_it_strips_setting_names_from_older_snapshots(self):
        bulletin = self.draft()
        bulletin.content["score_rule"] = "得分只看按时完成的工作。权重由设置 SCORE_WEIGHT_ON_TIME_CLOSURE 配置。"
        bulletin.save()
        texts = [p.text for p in self.docx(bulletin).paragraphs]
        self.assertIn("得分只看按时完成的工作。", texts)
        self.assertFalse(any("SCORE_WEIGHT" in text for text in texts))

    def test_it_refuses_broken_or_late_edits_and_changes_nothing(self):
        bulletin = self.draft()
        before = Bulletin.objects.filter(pk=bulletin.pk).values().get()
        response = self.edit(bulletin, issuer="", title="长" * 201)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "通报未保存", status_code=400)
        self.assertEqual(Bulletin.objects.filter(pk=bulletin.pk).values().get(), before)
        self.client.post(reverse("tasks:bulletin-publish", args=[bulletin.pk]))
        response = self.edit(bulletin, foreword="发布后再改")
        self.assertEqual(response.status_code, 302)
        bulletin.refresh_from_db()
        self.assertEqual(bulletin.foreword, "")
        self.client.force_login(self.staff_a)  # a department reads it, but may not write it
        self.assertEqual(self.edit(bulletin, foreword="x").status_code, 403)
