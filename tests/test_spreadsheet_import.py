"""Task spreadsheet (任务分解表) import: reading, checking, writing all or nothing, from the
command, the import page and the Django admin."""

import datetime
import tempfile
from io import StringIO
from pathlib import Path

from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from departments.models import Department
from documents.models import Measure, Milestone, PolicyDocument, Section
from tasks.choices import AssignmentRole
from tasks.models import Assignment, SpreadsheetImport
from tasks.spreadsheets.reading import read_sheet
from tasks.spreadsheets.service import import_rows
from tests.base import BaseTestCase, make_user
from tests.sheets import HEADER, csv_bytes, make_sheet_directory, sample_rows, upload, xlsx_bytes

LEAD, RESPONSIBLE, SUPPORTING = AssignmentRole.LEAD, AssignmentRole.RESPONSIBLE, AssignmentRole.SUPPORTING


def counts() -> tuple[int, ...]:
    return (
        Measure.objects.count(), Assignment.objects.count(), Section.objects.count(), Milestone.objects.count(),
        Measure.history.count(), Assignment.history.count(),
    )


class SheetCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.units = make_sheet_directory()
        cls.target = PolicyDocument.objects.create(title="测试市数字经济重点任务", issued_date=datetime.date(2026, 1, 10))

    def check(self, rows, document=None):
        """A dry run of ``rows`` (the whole sheet) into the target document."""
        return import_rows(document or self.target, rows, dry_run=True)

    def units_of(self, row):
        return [(unit.department_name, unit.role) for unit in row.units]

    def import_file(self, name: str, data: bytes, *args: str) -> str:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            out = StringIO()
            call_command("import_measures", str(path), "--document", str(self.target.pk), *args, stdout=out)
            return out.getvalue()

    def assert_rejected(self, name: str, data: bytes, *messages: str) -> None:
        """The command refuses the file with each message, and the database is unchanged."""
        before = counts()
        with self.assertRaises(CommandError) as caught:
            self.import_file(name, data)
        for message in messages:
            self.assertIn(message, str(caught.exception))
        self.assertEqual(counts(), before)


class ReadingTests(SheetCase):
    def test_a_bare_name_after_a_prefixed_one_takes_its_prefix_and_the_preview_says_so(self):
        rows = [HEADER, [1, "推进质量强省建设", "省市场监管局", "省市场监管局、财政局", "2026年底前", "", None]]
        province = Department.objects.create(name="江南省财政厅", short_name="省财政局")
        plan = self.check(rows)
        self.assertTrue(plan.ok, plan.all_errors())
        (row,) = plan.rows
        self.assertIn(("江南省财政厅", SUPPORTING), self.units_of(row))
        self.assertNotIn(self.units["市财政局"].name, [name for name, _role in self.units_of(row)])
        self.assertTrue(any("按前一单位的前缀理解为“省财政局”" in warning for warning in plan.all_warnings()))
        self.assertEqual(province.assignments.count(), 0)  # a dry run writes nothing

    def test_it_finds_the_header_below_a_title_and_reads_every_column(self):
        plan = self.check(read_sheet("表.xlsx", xlsx_bytes(sample_rows())))
        self.assertTrue(plan.ok, plan.all_errors())
        self.assertEqual(plan.header.header_row, 3)
        first, second, third, fourth = plan.rows
        self.assertEqual((first.row, first.number, first.title), (4, "1", "建设城市算力中心"))
        self.assertEqual(first.content, "建设城市算力中心。分两期实施。\n备注：一期先行")
        self.assertEqual(first.category, "数字基础设施")
        self.assertEqual(first.fields["deadline"], datetime.date(2026, 12, 31))
        self.assertEqual(
            self.units_of(first),
            [("市发展和改革委员会", LEAD), ("市工业和信息化局", SUPPORTING), ("市财政局", SUPPORTING)],
        )
        self.assertEqual(self.units_of(second), [("市发展和改革委员会", LEAD), ("市财政局", RESPONSIBLE)])
        self.assertEqual(second.fields["deadline"], datetime.date(2026, 6, 30))  # a real Excel date
        self.assertEqual(third.fields["deadline"], datetime.date(2026, 6, 30))
        self.assertEqual((fourth.number, fourth.fields["is_ongoing"], fourth.fields["deadline"]), ("4", True, None))
        self.assertEqual(self.units_of(fourth), [("市工业和信息化局", LEAD), ("市发展和改革委员会", SUPPORTING)])

    def test_it_knows_each_header_variant(self):
        variants = [
            ("序号", "重点任务", "牵头单位", "配合单位", "完成时限", "类别"),
            ("编号", "任务内容", "主办单位", "协办单位", "时间节点", "分类"),
            ("序号", "工作任务", "责任单位", "配合单位", "完成时间", "领域"),
            ("编号", "具体措施", "*牵头单位", "协办单位", "完成时限\n(年月)", "类别"),
        ]
        for header in variants:
            with self.subTest(header=header):
                plan = self.check([[*header, "备注"], ["7", "推进数据共享", "市发改委", "市财政局", "2026年9月", "数字政府", "无"]])
                self.assertTrue(plan.ok, plan.all_errors())
                row = plan.rows[0]
                self.assertEqual((row.number, row.title, row.category), ("7", "推进数据共享", "数字政府"))
                self.assertEqual(row.fields["deadline"], datetime.date(2026, 9, 30))
                # A lone 责任单位 column names responsible units: nobody is promoted to lead.
                first_role = RESPONSIBLE if "责任单位" in header else LEAD
                self.assertEqual(self.units_of(row), [("市发展和改革委员会", first_role), ("市财政局", SUPPORTING)])
                self.assertTrue(row.content.endswith("备注：无"))

    def test_it_reads_a_two_row_header(self):
        rows = [
            ["序号", "重点任务", "责任单位", None, "完成时限"],
            [None, None, "牵头单位", "配合单位", None],
            [1, "推进数据共享", "市发改委", "市工信局", "2026年9月"],
        ]
        data = xlsx_bytes(rows, merges=["A1:A2", "B1:B2", "C1:D1", "E1:E2"])
        plan = self.check(read_sheet("两行表头.xlsx", data))
        self.assertTrue(plan.ok, plan.all_errors())
        self.assertEqual(plan.header.data_start, 2)
        self.assertEqual(self.units_of(plan.rows[0]), [("市发展和改革委员会", LEAD), ("市工业和信息化局", SUPPORTING)])

    def test_it_fills_merged_cells_down(self):
        rows = [HEADER] + [[n, f"任务{n}", "市发改委" if n == 1 else None, "", "2026年12月", "数字政府" if n == 1 else None]
                           for n in (1, 2, 3)]
        plan = self.check(read_sheet("合并.xlsx", xlsx_bytes(rows, merges=["F2:F4", "C2:C3"])))
        self.assertEqual([row.category for row in plan.rows], ["数字政府"] * 3)
        self.assertEqual([self.units_of(row) for row in plan.rows[:2]], [[("市发展和改革委员会", LEAD)]] * 2)
        self.assertEqual(plan.rows[2].units, [])  # C4 is outside the merge: no unit, a warning
        self.assertIn("第 4 行：没有填写承办单位", "".join(plan.all_warnings()))

    def test_it_treats_a_heading_line_as_the_category_of_the_rows_below(self):
        rows = [HEADER[:5], ["一、数字产业"] * 5, [1, "培育龙头企业", "市工信局", "", "2026年12月"]]
        plan = self.check(read_sheet("分类行.xlsx", xlsx_bytes(rows, merges=["A2:E2"])))
        self.assertTrue(plan.ok, plan.all_errors())
        self.assertEqual(plan.rows[1].category, "一、数字产业")
        self.assertEqual(plan.counts()["create"], 1)

    def test_it_ignores_rows_that_hold_only_a_number(self):
        plan = self.check([HEADER[:3], [1, "任务", "市发改委"], [2, None, None], [3, "", ""]])
        self.assertTrue(plan.ok, plan.all_errors())
        self.assertEqual([row.number for row in plan.rows], ["1"])
        self.assertIn("第 3 行只有序号，已忽略。", plan.all_warnings())

    def test_it_reads_csv_in_every_usual_encoding(self):
        rows = [HEADER, [1, "推进数据共享,建设平台。", "市发改委，市财政局", "省市场监管局（省知识产权局）", "2026年6月底前", "数字政府", ""]]
        for encoding in ("utf-8", "utf-8-sig", "gb18030"):
            with self.subTest(encoding=encoding):
                plan = self.check(read_sheet("表.csv", csv_bytes(rows, encoding)))
                self.assertTrue(plan.ok, plan.all_errors())
                row = plan.rows[0]
                self.assertEqual(row.title, "推进数据共享,建设平台")
                self.assertEqual(
                    self.units_of(row),
                    [("市发展和改革委员会", LEAD), ("市财政局", LEAD), ("省市场监督管理局", SUPPORTING)],
                )

    def test_it_splits_department_cells_as_documents_do(self):
        header = ["序号", "重点任务", "牵头单位", "配合单位"]
        cases = [
            ("市发改委牵头,市财政局、市工信局按职责分工负责", "无",
             [("市发展和改革委员会", LEAD), ("市财政局", RESPONSIBLE), ("市工业和信息化局", RESPONSIBLE)]),
            ("市发展改革委", "", [("市发展和改革委员会", LEAD)]),
            ("各县(市、区)政府", "—", [("各县(市、区)人民政府", LEAD)]),
            ("市工信局", "省市场监管局(省知识产权局)", [("市工业和信息化局", LEAD), ("省市场监督管理局", SUPPORTING)]),
        ]
        for lead, supporting, expected in cases:
            with self.subTest(lead=lead, supporting=supporting):
                plan = self.check([header, [1, "任务", lead, supporting]])
                self.assertTrue(plan.ok, plan.all_errors())
                self.assertEqual(self.units_of(plan.rows[0]), expected)

    def test_merged_ranges_are_found_whatever_the_chunk_boundaries(self):
        from unittest import mock

        from tasks.spreadsheets import reading

        rows = [["序号", "重点任务", "牵头单位"]] + [[n, f"任务{n}", "市发改委" if n % 3 == 1 else None] for n in range(1, 301)]
        data = xlsx_bytes(rows, merges=[f"C{r}:C{r + 2}" for r in range(2, 300, 3)])
        whole = read_sheet("合并.xlsx", data)
        with mock.patch.object(reading, "_SCAN_CHUNK", 97):  # tags cut at every possible place
            self.assertEqual(read_sheet("合并.xlsx", data), whole)
        self.assertTrue(all(row[2] == "市发改委" for row in whole[1:]))

    def test_two_task_columns_import_the_task_text_not_the_group(self):
        sheets = {
            "merged": [["序号", "重点任务", "重点任务", "牵头单位"], [1, "数字基础", "建设城市算力中心。分两期实施。", "市发改委"],
                       [2, "数字基础", "推进政务数据共享", "市工信局"]],
            "separate": [["序号", "主要任务", "具体措施", "牵头单位"], [1, "数字基础", "建设城市算力中心。分两期实施。", "市发改委"],
                         [2, None, "推进政务数据共享", "市工信局"]],
        }
        for name, rows in sheets.items():
            with self.subTest(sheet=name):
                plan = self.check(rows)
                self.assertTrue(plan.ok, plan.all_errors())
                self.assertEqual([(r.title, r.category) for r in plan.rows],
                                 [("建设城市算力中心", "数字基础"), ("推进政务数据共享", "数字基础")])
                self.assertFalse([w for w in plan.all_warnings() if "同一类列" in w])

    def test_a_csv_of_a_merged_task_header_imports_the_same_as_the_sheet(self):
        rows = [["序号", "重点任务", None, "牵头单位"], [1, "数字基础", "建设城市算力中心。分两期实施。", "市发改委"],
                [2, None, "推进政务数据共享", "市工信局"]]
        before = counts()
        self.import_file("两列任务.csv", csv_bytes(rows))
        self.assertEqual(list(Measure.objects.filter(document=self.target).order_by("order").values_list(
            "title", "section__title")), [("建设城市算力中心", "数字基础"), ("推进政务数据共享", "数字基础")])
        self.assertEqual(counts()[0], before[0] + 2)
        merged = xlsx_bytes([["序号", "重点任务", None, "牵头单位"], *rows[1:]], merges=["B1:C1"])
        self.assertEqual([r.title for r in self.check(read_sheet("两列任务.xlsx", merged)).rows],
                         ["建设城市算力中心", "推进政务数据共享"])

    def test_a_lone_responsible_column_never_promotes_its_first_unit_to_lead(self):
        plan = self.check([["序号", "重点任务", "责任单位"], [1, "任务", "市发改委、市财政局"], [2, "任务", "市财政局、市工信局牵头"]])
        self.assertEqual(self.units_of(plan.rows[0]), [("市发展和改革委员会", RESPONSIBLE), ("市财政局", RESPONSIBLE)])
        self.assertEqual(self.units_of(plan.rows[1]), [("市财政局", LEAD), ("市工业和信息化局", LEAD)])

    def test_it_reads_every_deadline_format(self):
        cases = [
            ("2026年12月", datetime.date(2026, 12, 31), False, ""),
            ("2026年6月底前", datetime.date(2026, 6, 30), False, ""),
            (datetime.datetime(2026, 3, 15), datetime.date(2026, 3, 15), False, ""),
            ("2026/6/30", datetime.date(2026, 6, 30), False, ""),
            ("2026-06", datetime.date(2026, 6, 30), False, ""),
            ("年底前", datetime.date(2026, 12, 31), False, ""),  # the document's year
            ("持续推进", None, True, ""),
            ("每季度", None, False, "quarterly"),
        ]
        for value, deadline, ongoing, recurrence in cases:
            with self.subTest(value=value):
                plan = self.check(read_sheet("时限.xlsx", xlsx_bytes([HEADER[:5], [1, "任务", "市发改委", "", value]])))
                fields = plan.rows[0].fields
                self.assertTrue(plan.ok, plan.all_errors())
                self.assertEqual((fields["deadline"], fields["is_ongoing"], fields["recurrence"]), (deadline, ongoing, recurrence))

    def test_it_keeps_unreadable_deadline_words_with_a_warning(self):
        plan = self.check([HEADER[:5], [1, "任务", "市发改委", "", "尽快"]])
        self.assertTrue(plan.ok)
        self.assertEqual((plan.rows[0].fields["deadline"], plan.rows[0].fields["deadline_text"]), (None, "尽快"))
        self.assertIn("第 2 行：完成时限“尽快”未能识别为日期", plan.all_warnings()[0])


class ImportTests(SheetCase):
    def test_it_imports_all_rows_at_once_with_history(self):
        out = self.import_file("分解表.xlsx", xlsx_bytes(sample_rows()))
        self.assertIn("新建措施 4 项", out)
        measures = Measure.objects.filter(document=self.target)
        self.assertEqual(measures.count(), 4)
        first = measures.get(number="1")
        self.assertEqual((first.title, first.deadline, first.section.title), ("建设城市算力中心", datetime.date(2026, 12, 31), "数字基础设施"))
        self.assertEqual(Assignment.objects.filter(measure__document=self.target).count(), 8)
        self.assertEqual(Measure.history.filter(document=self.target, history_type="+").count(), 4)
        self.assertEqual(Assignment.history.filter(measure__document=self.target, history_type="+").count(), 8)
        self.assertEqual(first.history.get().history_change_reason, "表格导入：分解表.xlsx")
        self.assertEqual(Section.objects.filter(document=self.target).count(), 2)
        # Each record, copied by the database, holds the row as written.
        for assignment in Assignment.objects.filter(measure__document=self.target):
            record = assignment.history.get()
            self.assertEqual((record.measure_id, record.department_id, record.role, record.status, record.history_user_id),
                             (assignment.measure_id, assignment.department_id, assignment.role, assignment.status, None))
            self.assertEqual(record.history_change_reason, "表格导入：分解表.xlsx")
        self.assertEqual((first.history.get().title, first.history.get().deadline), (first.title, first.deadline))

    def test_it_makes_milestones_of_earlier_dates_in_a_deadline_cell(self):
        self.import_file("节点.xlsx", xlsx_bytes([HEADER[:5], [1, "建设平台", "市发改委", "", "2026年6月底前完成方案,2026年12月底前建成"]]))
        measure = Measure.objects.get(document=self.target)
        self.assertEqual(measure.deadline, datetime.date(2026, 12, 31))
        self.assertEqual(list(measure.milestones.values_list("due_date", "title")), [(datetime.date(2026, 6, 30), "2026年6月底前完成方案")])

    def test_a_second_import_updates_instead_of_duplicating(self):
        data = xlsx_bytes(sample_rows())
        self.import_file("分解表.xlsx", data)
        before = counts()
        out = self.import_file("分解表.xlsx", data)
        self.assertIn("新建措施 0 项，更新 0 项", out)
        self.assertEqual(counts(), before)

        changed = sample_rows()
        changed[3][1] = "建设城市算力中心二期。"
        changed[3][3] = "市工信局"  # 市财政局 is no longer listed: its assignment is kept
        changed[3][4] = "2027年6月"
        changed[6][2] = "市发改委"  # 市工信局 was lead of 4: now 市发改委 leads, 市工信局 is not listed
        measure = Measure.objects.get(document=self.target, number="1")
        out = self.import_file("分解表.xlsx", xlsx_bytes(changed))
        self.assertIn("新建措施 0 项，更新 2 项", out)
        measure.refresh_from_db()
        self.assertEqual((measure.title, measure.deadline), ("建设城市算力中心二期", datetime.date(2027, 6, 30)))
        self.assertEqual(Measure.objects.filter(document=self.target).count(), 4)
        self.assertTrue(Assignment.objects.filter(measure=measure, department=self.units["市财政局"]).exists())
        fourth = Assignment.objects.get(measure__document=self.target, measure__number="4", department=self.dept_a)
        self.assertEqual(fourth.role, LEAD)  # was supporting
        self.assertEqual(fourth.history.first().history_type, "~")

    def test_a_dry_run_writes_nothing_and_sends_nothing(self):
        before = counts()
        out = self.import_file("分解表.xlsx", xlsx_bytes(sample_rows()), "--dry-run")
        self.assertIn("试运行", out)
        self.assertIn("新建 4 项", out)
        self.assertEqual(counts(), before)
        self.assertEqual(mail.outbox, [])

    def test_it_finds_the_document_by_title(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "表.csv"
            path.write_bytes(csv_bytes(sample_rows()))
            call_command("import_measures", str(path), "--document-title", self.target.title, stdout=StringIO())
            with self.assertRaises(CommandError):
                call_command("import_measures", str(path), "--document-title", "没有这个文件", stdout=StringIO())
        self.assertEqual(Measure.objects.filter(document=self.target).count(), 4)


class BrokenInputTests(SheetCase):
    def test_it_rejects_a_sheet_without_a_task_header(self):
        self.assert_rejected("表.xlsx", xlsx_bytes([["名称", "单位"], ["算力中心", "市发改委"]]), "没有找到表头", "重点任务")

    def test_it_rejects_a_header_without_a_lead_column(self):
        self.assert_rejected("表.xlsx", xlsx_bytes([["说明"], ["序号", "重点任务", "完成时限"], [1, "任务", "2026年"]]),
                             "第 2 行是表头，但缺少“牵头单位”列")

    def test_it_rejects_empty_sheets(self):
        self.assert_rejected("空.xlsx", xlsx_bytes([]), "表格是空的")
        self.assert_rejected("空.csv", b"", "文件是空的")
        self.assert_rejected("空行.csv", b"\n\n", "表格是空的")
        self.assert_rejected("只有表头.xlsx", xlsx_bytes([HEADER]), "表头（第 1 行）下面没有任务行")

    def test_it_rejects_files_that_are_not_spreadsheets(self):
        self.assert_rejected("假的.xlsx", "这不是表格".encode(), "不是有效的 .xlsx 表格")
        self.assert_rejected("坏的.xlsx", b"PK\x03\x04" + b"\x00" * 64, "不是有效的 .xlsx 表格")
        self.assert_rejected("旧版.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 64, ".xls")
        self.assert_rejected("图片.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "不是文本格式的 CSV")
        self.assert_rejected("文档.txt", b"hello", "只能导入 .xlsx 或 .csv")

    def test_it_rejects_formulas_naming_the_row_and_column(self):
        data = xlsx_bytes(sample_rows(), formulas={"E5": "=DATE(2026,6,30)"})
        self.assert_rejected("公式.xlsx", data, "第 5 行：“完成时限”单元格是公式（=DATE(2026,6,30)）")
        rows = sample_rows()
        rows[4][1] = "=HYPERLINK(\"http://example.com\")"
        self.assert_rejected("公式.csv", csv_bytes(rows), "第 5 行：“重点任务”单元格是公式")

    def test_it_rejects_duplicate_numbers(self):
        rows = sample_rows()
        rows[5][0] = 1
        self.assert_rejected("重复.xlsx", xlsx_bytes(rows), "第 6 行：序号“1”与第 4 行重复")

    def test_it_rejects_unknown_departments_and_suggests_close_ones(self):
        rows = [["序号", "重点任务", "牵头单位"]] + [[n, "任务", "市发改委"] for n in range(1, 7)] + [[7, "任务", "市教科体局"]]
        rows += [[8, "任务", "市教科体局"], [9, "任务", "市教科体局"]]
        # Named once, with every row it occurs in, not one line per row.
        self.assert_rejected("未知单位.xlsx", xlsx_bytes(rows), "单位“市教科体局”不在单位名录中，出现在第 8、9、10 行（相近：市科教体局）")
        plan = self.check(rows)
        self.assertEqual(len(plan.grouped_errors()), 1)
        self.assertIn("第 8 行：牵头单位“市教科体局”不在单位名录中（相近：市科教体局）", plan.rows[6].errors)
        self.assertFalse(Assignment.objects.filter(department=self.units["市科教体局"]).exists())

    def test_it_rejects_impossible_dates(self):
        for value in ("2026-02-30", "2026年13月", "2026年2月30日", 12, 123456):
            with self.subTest(value=value):
                rows = sample_rows()
                rows[5][4] = value
                self.assert_rejected("日期.xlsx", xlsx_bytes(rows), "第 6 行：完成时限")

    def test_a_number_in_a_general_cell_is_read_as_an_excel_date_and_said_so(self):
        rows = sample_rows()
        rows[5][4] = 46022
        plan = self.check(read_sheet("日期.xlsx", xlsx_bytes(rows)))
        self.assertTrue(plan.ok, plan.all_errors())
        self.assertEqual(plan.rows[2].fields["deadline"], datetime.date(2025, 12, 31))
        self.assertIn("第 6 行：完成时限“46022”是数字，已按 Excel 日期读作 2025-12-31，请核对。", plan.all_warnings())

    def test_a_blank_deadline_is_a_warning(self):
        rows = sample_rows()
        rows[5][4] = None
        plan = self.check(read_sheet("日期.xlsx", xlsx_bytes(rows)))
        self.assertTrue(plan.ok, plan.all_errors())
        self.assertIn("第 6 行：完成时限为空。", plan.all_warnings())

    def test_it_rejects_an_empty_task(self):
        rows = sample_rows()
        rows[4][1] = None
        self.assert_rejected("空任务.xlsx", xlsx_bytes(rows), "第 5 行：重点任务为空")

    @override_settings(SPREADSHEET_IMPORT_MAX_BYTES=2000)
    def test_it_rejects_a_file_over_the_size_limit(self):
        self.assert_rejected("大.csv", csv_bytes(sample_rows() * 20), "文件超过")

    def test_every_error_is_listed_not_just_the_first(self):
        rows = sample_rows()
        rows[4][1] = None
        rows[6][2] = "市教科体局"
        before = counts()
        with self.assertRaises(CommandError) as caught:
            self.import_file("多处错误.xlsx", xlsx_bytes(rows))
        self.assertIn("第 5 行", str(caught.exception))
        self.assertIn("第 7 行", str(caught.exception))
        self.assertEqual(counts(), before)


class ImportPageTests(SheetCase):
    def setUp(self):
        self.client.force_login(self.admin)
        self.start_url = reverse("tasks:spreadsheet-import", args=[self.target.pk])

    def upload(self, name="分解表.xlsx", data=None):
        return self.client.post(self.start_url, {"file": upload(name, data or xlsx_bytes(sample_rows()))})

    def start(self, rows=None) -> SpreadsheetImport:
        response = self.upload(data=xlsx_bytes(rows or sample_rows()))
        self.assertEqual(response.status_code, 302, getattr(response, "context", None) and response.context["form"].errors)
        return SpreadsheetImport.objects.latest("pk")

    def url(self, name, run, *extra):
        return reverse(f"tasks:{name}", args=[self.target.pk, run.pk, *extra])

    def test_it_previews_then_applies_every_row_on_confirm(self):
        before = counts()
        run = self.start()
        response = self.client.get(self.url("spreadsheet-preview", run))
        self.assertEqual(response.context["counts"]["create"], 4)
        self.assertContains(response, "新建措施")
        self.assertEqual(counts(), before)  # the preview writes nothing
        response = self.client.post(self.url("spreadsheet-confirm", run), follow=True)
        self.assertRedirects(response, reverse("documents:detail", args=[self.target.pk]))
        self.assertContains(response, "新建措施 4 项")
        self.assertEqual(Measure.objects.filter(document=self.target).count(), 4)
        self.assertEqual(Measure.history.filter(document=self.target).first().history_user, self.admin)
        run.refresh_from_db()
        self.assertEqual((run.status, run.result["assignments_created"]), ("applied", 8))

    def test_it_refuses_to_confirm_a_row_with_an_error_until_it_is_skipped(self):
        rows = sample_rows()
        rows[5][4] = "2026年2月30日"
        run = self.start(rows)
        preview = self.client.get(self.url("spreadsheet-preview", run))
        self.assertContains(preview, "第 6 行：完成时限中的“2026年2月30日”不是存在的日期")
        self.assertFalse(preview.context["plan"].ok)
        before = counts()
        response = self.client.post(self.url("spreadsheet-confirm", run), follow=True)
        self.assertContains(response, "未导入任何数据")
        self.assertEqual(counts(), before)
        self.client.post(self.url("spreadsheet-skip", run, 6))
        self.client.post(self.url("spreadsheet-confirm", run))
        self.assertEqual(
            sorted(Measure.objects.filter(document=self.target).values_list("number", flat=True)), ["1", "2", "4"]
        )

    def test_it_maps_an_unknown_unit_to_a_department(self):
        rows = sample_rows()
        rows[3][3] = "市教科体局"
        run = self.start(rows)
        preview = self.client.get(self.url("spreadsheet-preview", run))
        self.assertEqual(list(preview.context["plan"].unknown), ["市教科体局"])
        self.assertContains(preview, "市科学技术和教育体育局")  # offered as a close match, not applied
        department = self.units["市科教体局"]
        self.client.post(self.url("spreadsheet-unit", run), {"name": "市教科体局", "department": department.pk})
        self.client.post(self.url("spreadsheet-confirm", run))
        measure = Measure.objects.get(document=self.target, number="1")
        self.assertEqual(Assignment.objects.get(measure=measure, department=department).role, SUPPORTING)

    def test_it_creates_a_missing_unit_on_confirmation_only(self):
        rows = sample_rows()
        rows[3][3] = "市新设数据局"
        run = self.start(rows)
        self.assertContains(self.client.get(self.url("spreadsheet-preview", run)), 'data-testid="create-unit"')
        before = Department.objects.count()
        self.client.post(self.url("spreadsheet-unit-create", run), {"name": "市新设数据局", "kind": "bureau"})
        preview = self.client.get(self.url("spreadsheet-preview", run))
        self.assertTrue(preview.context["plan"].ok, preview.context["plan"].all_errors())
        self.assertEqual(Department.objects.count(), before)  # nothing is created before the confirmation
        self.client.post(self.url("spreadsheet-confirm", run))
        created = Department.objects.get(name="市新设数据局")
        self.assertEqual(created.kind, "bureau")
        self.assertEqual(Assignment.objects.get(department=created).role, SUPPORTING)
        run.refresh_from_db()
        self.assertEqual(run.result["departments_created"], 1)

    def test_the_preview_lists_every_error_a_page_at_a_time(self):
        rows = [["序号", "重点任务", "牵头单位", "完成时限"]] + [[n, f"任务{n}", "市发改委", "2026年2月30日"] for n in range(1, 251)]
        run = self.start(rows)
        first = self.client.get(self.url("spreadsheet-preview", run))
        self.assertEqual((first.context["errors"].paginator.count, len(first.context["errors"])), (250, 100))
        last = self.client.get(self.url("spreadsheet-preview", run) + "?errors_page=3")
        self.assertEqual(len(last.context["errors"]), 50)
        self.assertContains(last, "第 251 行：完成时限中的“2026年2月30日”不是存在的日期")

    def test_a_role_change_names_the_role_before_the_change(self):
        self.import_file("分解表.xlsx", xlsx_bytes(sample_rows()))
        rows = sample_rows()
        rows[3][2], rows[3][3] = "市工信局", "市发改委"  # lead and supporting swapped
        # Printed after the write, which has already changed the roles: the message keeps the old one.
        out = self.import_file("分解表.xlsx", xlsx_bytes(rows))
        self.assertIn("市发展和改革委员会 角色由“牵头单位”改为“配合单位”", out)
        self.assertIn("市工业和信息化局 角色由“配合单位”改为“牵头单位”", out)

    def test_it_rejects_bad_uploads_without_storing_anything(self):
        cases = [
            ("假的.xlsx", "这不是表格".encode(), "不是有效的 .xlsx 表格"),
            ("文档.txt", b"hello", "只能导入 .xlsx 或 .csv"),
            ("无表头.xlsx", xlsx_bytes([["a", "b"], [1, 2]]), "没有找到表头"),
            ("空.xlsx", xlsx_bytes([]), "表格是空的"),
        ]
        for name, data, message in cases:
            with self.subTest(name=name):
                response = self.upload(name, data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        with override_settings(SPREADSHEET_IMPORT_MAX_BYTES=1000):
            self.assertContains(self.upload(), "文件超过")
        self.assertEqual(SpreadsheetImport.objects.count(), 0)

    def test_it_applies_a_run_only_once(self):
        run = self.start()
        self.client.post(self.url("spreadsheet-confirm", run))
        response = self.client.post(self.url("spreadsheet-confirm", run), follow=True)
        self.assertContains(response, "已经确认或放弃过了")
        self.assertEqual(Measure.objects.filter(document=self.target).count(), 4)

    def test_a_discarded_run_writes_nothing(self):
        run = self.start()
        before = counts()
        self.client.post(self.url("spreadsheet-discard", run))
        self.assertEqual(self.client.post(self.url("spreadsheet-confirm", run)).status_code, 302)
        self.assertEqual(counts(), before)
        run.refresh_from_db()
        self.assertEqual(run.status, "discarded")

    def test_only_admins_may_import(self):
        run = self.start()
        for user in (self.staff_a, self.office, self.leadership):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(self.start_url).status_code, 403)
                self.assertEqual(self.upload().status_code, 403)
                self.assertEqual(self.client.get(self.url("spreadsheet-preview", run)).status_code, 403)
                self.assertEqual(self.client.post(self.url("spreadsheet-confirm", run)).status_code, 403)
        self.assertEqual(Measure.objects.filter(document=self.target).count(), 0)
        self.client.logout()
        self.assertEqual(self.client.get(self.start_url).status_code, 302)
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(reverse("tasks:spreadsheet-import", args=[9999])).status_code, 404)

    def test_the_document_page_links_the_import_for_admins_and_the_ledger_for_readers(self):
        detail = reverse("documents:detail", args=[self.target.pk])
        self.assertContains(self.client.get(detail), "导入任务分解表")
        self.client.force_login(self.office)
        response = self.client.get(detail)
        self.assertContains(response, "导出台账")
        self.assertNotContains(response, "导入任务分解表")


class BenchmarkTests(SheetCase):
    def test_the_benchmark_compares_both_importers_and_leaves_nothing_behind(self):
        from tasks.spreadsheets.bench import run_benchmark

        before = (counts(), PolicyDocument.objects.count())
        figures = run_benchmark(40)
        self.assertEqual(figures.rows, 40)
        self.assertGreater(figures.plain_total_s, 0)
        self.assertGreater(figures.ours_total_s, 0)
        self.assertGreater(figures.ours_peak_mb, 0)
        self.assertEqual((counts(), PolicyDocument.objects.count()), before)
        out = StringIO()
        call_command("bench_spreadsheet", "--rows", "20", "--skip-plain", stdout=out)
        self.assertIn("行数 rows: 20", out.getvalue())


class AdminImportTests(SheetCase):
    def admin_import(self, data: bytes, name: str = "分解表.xlsx"):
        return self.client.post(
            reverse("admin:documents_measure_import"),
            {"document": self.target.pk, "format": "0", "resource": "0", "import_file": upload(name, data)},
        )

    def test_it_previews_in_the_admin_and_imports_on_confirm(self):
        self.client.force_login(self.admin)
        self.assertContains(self.client.get(reverse("admin:documents_measure_changelist")), "导入")
        before = counts()
        response = self.admin_import(xlsx_bytes(sample_rows()))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["result"].totals["new"], 4)
        self.assertContains(response, "建设城市算力中心")
        self.assertEqual(counts(), before)
        confirm = response.context["confirm_form"]
        response = self.client.post(reverse("admin:documents_measure_process_import"), confirm.initial)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Measure.objects.filter(document=self.target).count(), 4)
        self.assertEqual(LogEntry.objects.filter(user=self.admin).count(), 4)

    def test_it_shows_row_numbered_errors_in_the_admin_and_writes_nothing(self):
        self.client.force_login(self.admin)
        rows = sample_rows()
        rows[6][2] = "市教科体局"
        before = counts()
        response = self.admin_import(xlsx_bytes(rows))
        self.assertTrue(response.context["result"].has_validation_errors())
        self.assertContains(response, "第 7 行：牵头单位“市教科体局”不在单位名录中（相近：市科教体局）")
        self.assertNotIn("confirm_form", response.context)
        self.assertContains(self.admin_import("不是表格".encode(), "坏.xlsx"), "不是有效的 .xlsx 表格")
        self.assertEqual(counts(), before)

    def test_the_admin_import_needs_the_model_permissions(self):
        viewer = make_user("viewer", is_staff=True)
        from django.contrib.auth.models import Permission

        viewer.user_permissions.add(Permission.objects.get(codename="view_measure"))
        self.client.force_login(viewer)
        self.assertEqual(self.client.get(reverse("admin:documents_measure_import")).status_code, 403)
        self.assertEqual(self.admin_import(xlsx_bytes(sample_rows())).status_code, 403)
        self.assertEqual(self.client.get(reverse("admin:documents_measure_export")).status_code, 200)
