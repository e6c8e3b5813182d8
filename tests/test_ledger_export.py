"""The ledger (台账) export: what each user may see, the filters, the file formats, formulas
neutralised on every export path, and a round trip back through the importer."""

import datetime
import io
import tempfile
from io import StringIO
from pathlib import Path

import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from documents.models import Measure, PolicyDocument
from tasks.choices import AssignmentRole, AssignmentStatus, ReportStatus
from tasks.models import Assignment, ProgressReport
from tasks.spreadsheets.ledger import HEADERS
from tasks.spreadsheets.reading import read_sheet
from tasks.spreadsheets.service import import_rows
from tests.base import BaseTestCase, make_user
from tests.sheets import csv_values, make_sheet_directory, xlsx_values

TRIGGERS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@time_machine.travel(datetime.datetime(2026, 6, 25, 9, 0, tzinfo=datetime.UTC), tick=False)
class LedgerTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.units = make_sheet_directory()
        cls.report_a.status = ReportStatus.SUBMITTED
        cls.report_a.save()
        cls.overdue = Measure.objects.create(
            document=cls.document, number="2", title="完善数据目录", content="完善数据目录。",
            deadline=datetime.date(2026, 5, 31), order=2,
        )
        Assignment.objects.create(measure=cls.overdue, department=cls.dept_a, role=AssignmentRole.LEAD, percent=40)
        cls.other = PolicyDocument.objects.create(title="另一个文件")
        closed = Measure.objects.create(document=cls.other, number="1", title="已办结的任务", is_ongoing=True, order=1)
        Assignment.objects.create(
            measure=closed, department=cls.units["市财政局"], role=AssignmentRole.LEAD, status=AssignmentStatus.CLOSED,
            percent=100,
        )

    def export(self, user, **params):
        self.client.force_login(user)
        response = self.client.get(reverse("tasks:ledger-export"), {"format": "xlsx", **params})
        self.assertEqual(response.status_code, 200, getattr(response, "content", b"")[:200])
        return b"".join(response.streaming_content) if response.streaming else response.content

    def rows(self, user, **params):
        data = self.export(user, **params)
        values = csv_values(data) if params.get("format") == "csv" else xlsx_values(data)
        self.assertEqual(list(values[0]), HEADERS)
        return values[1:]

    def test_it_exports_an_xlsx_with_chinese_headers_a_frozen_row_widths_and_wrapping(self):
        data = self.export(self.office)
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertEqual([cell.value for cell in sheet[1]], HEADERS)
        self.assertTrue(sheet["A1"].font.bold)
        self.assertEqual(sheet.column_dimensions["C"].width, 60)
        self.assertTrue(sheet["C2"].alignment.wrap_text)
        first = xlsx_values(data)[1]
        self.assertEqual(first[:6], ["测试市数字经济行动方案", "1", "建设算力中心。2026年6月底前建成。", "市发展和改革委员会", "", "市工业和信息化局"])
        self.assertEqual(first[6], datetime.datetime(2026, 6, 30))
        self.assertEqual(sheet["G2"].number_format, "yyyy-mm-dd")
        self.assertEqual(first[7:10], ["待签收", "临期或缺报", 0])
        self.assertEqual(first[10], "完成选址。")
        self.assertEqual(sheet.max_row, 4)  # three measures

    def test_it_exports_csv_with_a_bom(self):
        rows = self.rows(self.office, format="csv")
        self.assertEqual(rows[1][:3], ["测试市数字经济行动方案", "2", "完善数据目录。"])
        self.assertEqual((rows[1][6], rows[1][7], rows[1][8], rows[1][9]), ("2026-05-31", "逾期", "逾期", "40"))
        self.assertEqual((rows[2][6], rows[2][7], rows[2][8]), ("持续推进", "已办结", "已办结/持续推进"))

    def test_it_exports_what_the_filters_show(self):
        numbers = lambda **params: [(row[0], row[1]) for row in self.rows(self.office, **params)]  # noqa: E731
        self.assertEqual(numbers(document=self.other.pk), [("另一个文件", "1")])
        self.assertEqual(numbers(department=self.dept_b.pk), [("测试市数字经济行动方案", "1")])
        self.assertEqual(len(numbers(role="lead")), 3)
        self.assertEqual(numbers(role="supporting"), [("测试市数字经济行动方案", "1")])
        self.assertEqual(numbers(status="closed"), [("另一个文件", "1")])
        self.assertEqual(numbers(light="red"), [("测试市数字经济行动方案", "2")])
        self.assertEqual(numbers(light="grey"), [("另一个文件", "1")])
        self.assertEqual(numbers(q="数据目录"), [("测试市数字经济行动方案", "2")])
        only_b = self.rows(self.office, department=self.dept_b.pk)[0]
        self.assertEqual((only_b[3], only_b[5]), ("", "市工业和信息化局"))  # other units are filtered out

    def test_a_department_user_gets_only_their_own_assignments(self):
        rows = self.rows(self.staff_b)
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows[0][1], rows[0][3], rows[0][5]), ("1", "", "市工业和信息化局"))
        self.assertEqual(rows[0][10], "")  # 市发改委's report is not 市工信局's to read
        own = self.rows(self.staff_a)
        self.assertEqual([(row[1], row[3], row[5]) for row in own], [("1", "市发展和改革委员会", ""), ("2", "市发展和改革委员会", "")])

    def test_it_refuses_bad_requests(self):
        self.client.force_login(self.office)
        url = reverse("tasks:ledger-export")
        self.assertEqual(self.client.get(url, {"format": "pdf"}).status_code, 400)
        self.assertEqual(self.client.get(url, {"light": "purple"}).status_code, 400)
        self.assertEqual(self.client.get(url, {"document": "abc"}).status_code, 400)
        self.client.force_login(make_user("nobody"))
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_it_neutralises_formulas_in_xlsx_and_csv(self):
        for index, text in enumerate(TRIGGERS, start=10):
            measure = Measure.objects.create(document=self.other, number=str(index), title="x", content=text, order=index)
            Assignment.objects.create(measure=measure, department=self.dept_a, role=AssignmentRole.LEAD)
        ProgressReport.objects.create(
            assignment=Assignment.objects.get(measure__number="10"), period_start=datetime.date(2026, 5, 1),
            period_end=datetime.date(2026, 5, 31), text="=cmd|' /C calc'!A0", status=ReportStatus.SUBMITTED,
        )
        xlsx = load_workbook(io.BytesIO(self.export(self.office, document=self.other.pk))).worksheets[0]
        csv_rows = self.rows(self.office, document=self.other.pk, format="csv")
        for row in range(2, xlsx.max_row + 1):
            for cell in xlsx[row]:
                self.assertNotEqual(cell.data_type, "f")
        contents = {row[2] for row in csv_rows}
        xlsx_contents = {xlsx.cell(row=r, column=3).value for r in range(2, xlsx.max_row + 1)}
        for text in TRIGGERS:
            self.assertIn("'" + text, contents)
            self.assertIn("'" + text, xlsx_contents)
        self.assertIn("'=cmd|' /C calc'!A0", {row[10] for row in csv_rows})

    def test_the_admin_measure_export_is_neutralised(self):
        Measure.objects.create(document=self.other, number="9", title="=HYPERLINK(\"http://x\")", order=9)
        self.client.force_login(self.admin)
        url = reverse("admin:documents_measure_export")
        for index, reader in ((0, xlsx_values), (1, csv_values)):
            with self.subTest(format=index):
                response = self.client.post(url, {"format": str(index), "resource": "0", **{
                    f"measuresheetresource_{name}": "on"
                    for name in ("document", "number", "task", "lead", "responsible", "supporting", "deadline", "category")
                }})
                self.assertEqual(response.status_code, 200)
                values = reader(response.content)
                self.assertEqual(values[0][:3], ["文件", "序号", "重点任务"])
                self.assertIn("'=HYPERLINK(\"http://x\")", [row[2] for row in values])

    def test_it_round_trips_through_an_empty_document(self):
        source = PolicyDocument.objects.create(title="来源文件", issued_date=datetime.date(2026, 1, 1))
        sheet = [
            ["序号", "重点任务", "牵头单位", "责任单位", "配合单位", "完成时限"],
            ["1", "建设平台。分期推进。", "市发改委", "市财政局", "市工信局、各县(市、区)政府", "2026年12月"],
            ["2", "完善制度", "市工信局", "", "", "持续推进"],
            ["3", "定期调度", "市财政局", "", "市发改委", "每季度"],
        ]
        self.assertTrue(import_rows(source, sheet).ok)
        data = self.export(self.office, document=source.pk)
        empty = PolicyDocument.objects.create(title="空文件")
        plan = import_rows(empty, read_sheet("台账.xlsx", data))
        self.assertTrue(plan.ok, plan.all_errors())

        def picture(document):
            measures = Measure.objects.filter(document=document).order_by("number")
            return [
                (m.number, m.title, m.content, m.deadline, m.is_ongoing, m.recurrence,
                 sorted((a.department.name, a.role) for a in m.assignments.select_related("department")))
                for m in measures
            ]

        self.assertEqual(picture(empty), picture(source))
        self.assertEqual(len(picture(empty)), 3)

    def test_export_ledger_writes_xlsx_or_csv_by_extension(self):
        with tempfile.TemporaryDirectory() as folder:
            xlsx_path, csv_path = Path(folder) / "台账.xlsx", Path(folder) / "台账.csv"
            out = StringIO()
            call_command("export_ledger", str(xlsx_path), stdout=out)
            self.assertIn("已导出台账 3 行", out.getvalue())
            self.assertEqual(len(xlsx_values(xlsx_path.read_bytes())), 4)
            call_command("export_ledger", str(csv_path), "--document", str(self.other.pk), stdout=StringIO())
            rows = csv_values(csv_path.read_bytes())
            self.assertEqual([row[0] for row in rows[1:]], ["另一个文件"])
            with self.assertRaises(CommandError):
                call_command("export_ledger", str(Path(folder) / "台账.pdf"), stdout=StringIO())
            with self.assertRaises(CommandError):
                call_command("export_ledger", str(csv_path), "--document", "9999", stdout=StringIO())
