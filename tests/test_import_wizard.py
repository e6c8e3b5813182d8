"""The import wizard: paste or upload, check and correct, confirm once; bad input loses nothing."""

import io
from pathlib import Path

import docx
from django.urls import reverse

from departments.models import Department
from documents.models import DocumentImport, Indicator, Measure, Milestone, PolicyDocument, Section
from documents.parsing.bench import adversarial_document
from tasks.models import Assignment
from tests.base import BaseTestCase
from tests.importing import PLAN_TEXT, make_directory

PDFS = Path(__file__).resolve().parent / "parsing" / "fixtures" / "pdf"


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


class ImportWizardTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.units = make_directory()

    def setUp(self):
        self.client.force_login(self.admin)

    def start(self, **data):
        response = self.client.post(reverse("documents:import"), data)
        self.assertEqual(response.status_code, 302, getattr(response, "context", None) and response.context["form"].errors)
        return DocumentImport.objects.latest("pk")

    def preview(self, run):
        return self.client.get(reverse("documents:import-preview", args=[run.pk]))

    def map_unknown(self, run):
        self.client.post(
            reverse("documents:import-unit", args=[run.pk]),
            {"name": "市教科体局", "action": "map", "department": self.units["市科教体局"].pk, "kind": "bureau"},
        )

    def confirm(self, run):
        return self.client.post(reverse("tasks:import-confirm", args=[run.pk]), follow=True)

    def test_it_previews_measures_units_and_deadlines_and_flags_unknown_units(self):
        run = self.start(text=PLAN_TEXT)
        response = self.preview(run)
        self.assertEqual(len(response.context["rows"]), 5)
        self.assertEqual([u["name"] for u in response.context["unresolved"]], ["市教科体局"])
        suggestion_names = [s["name"] for s in response.context["unresolved"][0]["suggestions"]]
        self.assertIn("市科学技术和教育体育局", suggestion_names)  # offered, never applied
        self.assertContains(response, '<mark class="deadline"', count=6)
        self.assertContains(response, "unit-lead")
        self.assertEqual(response.context["plan"]["doc_number"], "青府办发〔2024〕21号")
        self.assertTrue(response.context["problems"])
        self.assertEqual(PolicyDocument.objects.filter(doc_number="青府办发〔2024〕21号").count(), 0)

    def test_it_refuses_to_confirm_while_a_unit_is_unknown_and_writes_nothing(self):
        run = self.start(text=PLAN_TEXT)
        before = (PolicyDocument.objects.count(), Measure.objects.count(), Assignment.objects.count())
        response = self.confirm(run)
        self.assertContains(response, "市教科体局")
        self.assertEqual(before, (PolicyDocument.objects.count(), Measure.objects.count(), Assignment.objects.count()))

    def test_it_creates_everything_in_one_go_after_the_unit_is_mapped(self):
        run = self.start(text=PLAN_TEXT)
        self.map_unknown(run)
        response = self.confirm(run)
        document = PolicyDocument.objects.get(doc_number="青府办发〔2024〕21号")
        self.assertRedirects(response, reverse("documents:detail", args=[document.pk]))
        self.assertContains(response, "新建措施 5 项")
        self.assertEqual(document.measures.count(), 5)
        first = document.measures.get(number="1")
        self.assertEqual(str(first.deadline), "2025-12-31")
        self.assertEqual(list(Milestone.objects.filter(measure=first).values_list("due_date", flat=True))[0].isoformat(), "2024-06-30")
        self.assertEqual(first.section.title, "完善居家社区养老服务网络")
        self.assertEqual(first.section.parent.title, "重点任务")
        roles = {(a.department.name, a.role) for a in Assignment.objects.filter(measure=first).select_related("department")}
        self.assertIn(("市民政局", "lead"), roles)
        self.assertIn(("各县(市、区)人民政府", "supporting"), roles)
        third = document.measures.get(number="3")
        self.assertTrue(Assignment.objects.filter(measure=third, department=self.units["市科教体局"]).exists())
        self.assertEqual(document.measures.get(number="2").recurrence, "quarterly")
        self.assertTrue(Indicator.objects.filter(measure__document=document).exists())
        self.assertEqual(Section.objects.filter(document=document, title="总体目标").count(), 0)
        run.refresh_from_db()
        self.assertEqual((run.status, run.document), ("applied", document))
        self.assertEqual(first.history.count(), 1)

    def test_it_creates_a_new_department_when_the_admin_says_so(self):
        run = self.start(text=PLAN_TEXT)
        self.client.post(
            reverse("documents:import-unit", args=[run.pk]),
            {"name": "市教科体局", "action": "create", "kind": "bureau"},
        )
        self.assertFalse(Department.objects.filter(name="市教科体局").exists())  # only on confirm
        self.confirm(run)
        self.assertTrue(Department.objects.filter(name="市教科体局").exists())

    def test_it_requires_a_department_when_mapping(self):
        run = self.start(text=PLAN_TEXT)
        response = self.client.post(
            reverse("documents:import-unit", args=[run.pk]), {"name": "市教科体局", "action": "map"}, follow=True
        )
        self.assertContains(response, "请选择对应的单位")

    def test_it_lets_the_admin_correct_a_measure(self):
        run = self.start(text=PLAN_TEXT)
        key = run.plan["measures"][4]["key"]
        url = reverse("documents:import-measure", args=[run.pk, key])
        self.assertContains(self.client.get(url), "强化资金保障")
        data = {
            "number": "5", "title": "强化财政资金保障", "deadline": "2024-12-31", "deadline_text": "2024年底前",
            "units-TOTAL_FORMS": "3", "units-INITIAL_FORMS": "2", "units-MIN_NUM_FORMS": "0", "units-MAX_NUM_FORMS": "1000",
            "units-0-name": "市财政局", "units-0-role": "lead",
            "units-1-name": "市民政局", "units-1-role": "supporting", "units-1-DELETE": "on",
            "units-2-name": "市发改委", "units-2-role": "responsible",
        }
        self.client.post(url, data)
        self.map_unknown(run)
        self.confirm(run)
        measure = Measure.objects.get(document__doc_number="青府办发〔2024〕21号", number="5")
        self.assertEqual((measure.title, str(measure.deadline), measure.deadline_text), ("强化财政资金保障", "2024-12-31", "2024年底前"))
        self.assertEqual(
            set(measure.assignments.values_list("department__name", "role")),
            {("市财政局", "lead"), ("市发展和改革委员会", "responsible")},
        )

    def test_it_shows_errors_for_a_broken_measure_edit_and_keeps_the_plan(self):
        run = self.start(text=PLAN_TEXT)
        key = run.plan["measures"][0]["key"]
        response = self.client.post(
            reverse("documents:import-measure", args=[run.pk, key]),
            {"number": "", "title": "", "deadline": "2024-13-45", "units-TOTAL_FORMS": "0", "units-INITIAL_FORMS": "0"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "is-invalid")
        run.refresh_from_db()
        self.assertEqual(run.plan["measures"][0]["title"], "建设街道综合养老服务中心")

    def test_it_drops_a_measure_and_refuses_duplicate_numbers(self):
        run = self.start(text=PLAN_TEXT)
        self.client.post(reverse("documents:import-drop", args=[run.pk, run.plan["measures"][3]["key"]]), {"dropped": "1"})
        run.refresh_from_db()
        run.plan["measures"][1]["number"] = "1"
        run.save()
        self.map_unknown(run)
        response = self.confirm(run)
        self.assertContains(response, "措施编号“1”重复")
        run.refresh_from_db()
        run.plan["measures"][1]["number"] = "2"
        run.save()
        self.confirm(run)
        numbers = set(Measure.objects.filter(document__doc_number="青府办发〔2024〕21号").values_list("number", flat=True))
        self.assertEqual(numbers, {"1", "2", "3", "5"})

    def test_it_updates_instead_of_duplicating_on_a_second_import(self):
        run = self.start(text=PLAN_TEXT)
        self.map_unknown(run)
        self.confirm(run)
        counts = (Measure.objects.count(), Assignment.objects.count(), Section.objects.count())
        again = self.start(text=PLAN_TEXT)
        self.assertContains(self.preview(again), "该文件已经导入过")
        self.map_unknown(again)
        response = self.confirm(again)
        self.assertContains(response, "已更新")
        self.assertEqual(counts, (Measure.objects.count(), Assignment.objects.count(), Section.objects.count()))
        self.assertEqual(PolicyDocument.objects.filter(doc_number="青府办发〔2024〕21号").count(), 1)

    def test_it_edits_the_metadata(self):
        run = self.start(text=PLAN_TEXT)
        self.client.post(
            reverse("documents:import-metadata", args=[run.pk]),
            {"title": "新标题", "doc_number": "青府办发〔2024〕22号", "issuer": "青湖市人民政府", "issued_date": "2024-03-09"},
        )
        run.refresh_from_db()
        self.assertEqual((run.plan["title"], run.plan["issued_date"]), ("新标题", "2024-03-09"))
        response = self.client.post(reverse("documents:import-metadata", args=[run.pk]), {"title": "", "issued_date": "x"}, follow=True)
        self.assertContains(response, "文件信息有误")
        run.refresh_from_db()
        self.assertEqual(run.plan["title"], "新标题")

    def test_it_discards_a_run_and_then_refuses_changes_to_it(self):
        run = self.start(text=PLAN_TEXT)
        self.client.post(reverse("documents:import-discard", args=[run.pk]))
        run.refresh_from_db()
        self.assertEqual(run.status, "discarded")
        self.assertEqual(self.client.post(reverse("tasks:import-confirm", args=[run.pk])).status_code, 404)
        self.assertEqual(self.preview(run).status_code, 200)

    def test_it_reads_a_docx_with_numbered_paragraphs_and_a_gb18030_text(self):
        document = docx.Document()
        document.add_paragraph("青湖市推进养老服务高质量发展实施方案")
        document.add_paragraph("一、重点任务")
        document.add_paragraph("1.建设街道综合养老服务中心。2025年底前建成。〔牵头单位:市民政局〕")
        document.add_paragraph("2.发展老年助餐服务。〔牵头单位:市商务局〕")
        buffer = io.BytesIO()
        document.save(buffer)
        self.start(file=upload("方案.docx", buffer.getvalue()))
        self.assertEqual(len(DocumentImport.objects.latest("pk").plan["measures"]), 2)
        self.start(file=upload("方案.txt", PLAN_TEXT.encode("gb18030"), "text/plain"))
        self.assertEqual(len(DocumentImport.objects.latest("pk").plan["measures"]), 5)

    def test_it_reads_a_pdf_task_table_into_measures(self):
        self.start(file=upload("分工表.pdf", (PDFS / "task_table.pdf").read_bytes(), "application/pdf"))
        plan = DocumentImport.objects.latest("pk").plan
        self.assertEqual([m["number"] for m in plan["measures"]], [str(n) for n in range(1, 21)])
        self.assertEqual(plan["measures"][0]["units"][0], {"name": "市政务服务管理局", "role": "lead"})
        self.assertIn("一、提升政务服务效能", [s["heading"] for s in plan["sections"]])

    def test_it_refuses_scanned_and_encrypted_pdfs_and_keeps_nothing(self):
        before = (DocumentImport.objects.count(), PolicyDocument.objects.count())
        for name, message in (("scanned.pdf", "扫描图片"), ("encrypted.pdf", "加密")):
            with self.subTest(name=name):
                response = self.client.post(reverse("documents:import"),
                                            {"file": upload(name, (PDFS / name).read_bytes(), "application/pdf")})
                self.assertEqual(response.status_code, 200)
                self.assertIn(message, " ".join(response.context["form"].non_field_errors()))
        self.assertEqual((DocumentImport.objects.count(), PolicyDocument.objects.count()), before)

    def test_it_explains_what_is_wrong_with_bad_input_and_keeps_nothing(self):
        cases = [
            ({}, "请粘贴文件全文或上传文件"),
            ({"text": "   "}, "请粘贴文件全文或上传文件"),
            ({"text": PLAN_TEXT, "file": upload("a.txt", b"x")}, "请只选择一种方式"),
            ({"file": upload("old.doc", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)}, ".doc"),
            ({"file": upload("scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj")}, "PDF"),
            ({"file": upload("empty.txt", b"")}, "空"),
            ({"file": upload("image.txt", bytes(range(256)) * 8)}, ""),
            ({"file": upload("fake.docx", b"PK\x03\x04not really a zip")}, ""),
        ]
        for data, message in cases:
            with self.subTest(data=list(data)):
                response = self.client.post(reverse("documents:import"), data)
                self.assertEqual(response.status_code, 200)
                errors = [e for field_errors in response.context["form"].errors.values() for e in field_errors]
                self.assertTrue(errors)
                self.assertIn(message, " ".join(errors))
                self.assertContains(response, 'data-testid="form-errors"')
        self.assertEqual(DocumentImport.objects.count(), 0)

    def test_it_refuses_an_oversized_upload(self):
        with self.settings(DOCUMENT_IMPORT_MAX_BYTES=1024):
            response = self.client.post(reverse("documents:import"), {"file": upload("big.txt", PLAN_TEXT.encode() * 3)})
        self.assertTrue(response.context["form"].non_field_errors())
        self.assertEqual(DocumentImport.objects.count(), 0)

    def test_it_reads_a_bare_name_with_the_prefix_of_the_unit_before_it_and_shows_it(self):
        science = Department.objects.create(name="江南省科学技术厅", short_name="省科技厅")
        industry = Department.objects.create(name="江南省工业和信息化厅", short_name="省工业和信息化厅")
        Department.objects.create(name="临川市工业和信息化局", short_name="市工业和信息化局")
        text = (
            "江南省数字产业行动方案\n一、重点任务\n"
            "1.壮大软件产业。2025年底前形成产业集群。(省科技厅牵头,工业和信息化厅按职责分工负责)\n"
        )
        run = self.start(text=text)
        unit = run.plan["units"]["工业和信息化厅"]
        self.assertEqual((unit["department_id"], unit["match"], unit["via"]), (industry.pk, "prefix", "省工业和信息化厅"))
        self.assertEqual(run.plan["units"]["省科技厅"]["department_id"], science.pk)
        response = self.preview(run)
        self.assertContains(response, "→ 省工业和信息化厅")
        self.assertEqual(response.context["unresolved"], [])
        self.confirm(run)
        measure = Measure.objects.get(document__title="江南省数字产业行动方案")
        self.assertEqual(
            sorted(measure.assignments.values_list("department__name", "role")),
            [("江南省工业和信息化厅", "responsible"), ("江南省科学技术厅", "lead")],
        )

    def test_it_shows_comparators_as_symbols_and_lets_the_admin_correct_or_drop_an_indicator(self):
        text = (
            "临川市营商环境提升方案\n一、重点任务\n"
            "1.压缩审批时限。企业投资项目审批在15个工作日内办结,新增市场主体不少于5000户。(市行政审批局负责)\n"
        )
        Department.objects.create(name="临川市行政审批局", short_name="市行政审批局")
        run = self.start(text=text)
        indicators = run.plan["measures"][0]["indicators"]
        self.assertEqual([(i["comparator"], i["value"], i["unit"]) for i in indicators],
                         [("lte", "15", "个工作日"), ("gte", "5000", "户")])
        response = self.preview(run)
        self.assertContains(response, "≤ 15个工作日")
        self.assertContains(response, "≥ 5000户")
        self.assertNotContains(response, " lte ")
        self.assertNotContains(response, " gte ")
        key = run.plan["measures"][0]["key"]
        url = reverse("documents:import-measure", args=[run.pk, key])
        self.assertContains(self.client.get(url), 'value="个工作日"')
        base = {
            "number": "1", "title": "压缩审批时限", "deadline": "", "deadline_text": "",
            "units-TOTAL_FORMS": "1", "units-INITIAL_FORMS": "1", "units-0-name": "市行政审批局",
            "units-0-role": "responsible",
            "indicators-TOTAL_FORMS": "2", "indicators-INITIAL_FORMS": "2",
            "indicators-0-name": "企业投资项目审批时限", "indicators-0-comparator": "lte", "indicators-0-value": "10",
            "indicators-0-unit": "个工作日",
            "indicators-1-name": indicators[1]["name"], "indicators-1-comparator": "gte", "indicators-1-value": "5000",
            "indicators-1-unit": "户", "indicators-1-DELETE": "on",
        }
        # A corrected indicator without a value is refused, and the plan is unchanged.
        response = self.client.post(url, {**base, "indicators-0-value": ""})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "缺少目标值")
        run.refresh_from_db()
        self.assertEqual(len(run.plan["measures"][0]["indicators"]), 2)
        self.client.post(url, base)
        run.refresh_from_db()
        (kept,) = run.plan["measures"][0]["indicators"]
        self.assertEqual((kept["name"], kept["comparator"], kept["value"]), ("企业投资项目审批时限", "lte", "10"))
        before = Indicator.objects.count()
        self.confirm(run)
        self.assertEqual(Indicator.objects.count(), before + 1)
        indicator = Indicator.objects.get(measure__document__title="临川市营商环境提升方案")
        self.assertEqual((indicator.comparator, indicator.target_value, indicator.unit), ("lte", 10, "个工作日"))

    def test_it_flags_deadlines_in_the_past_and_approximate_phrases(self):
        text = (
            "临川市重点工作方案\n一、重点任务\n"
            "1.完成规划编制。2020年6月底前完成。(市发改委负责)\n"
            "2.开展试点示范。2099年下半年开展试点。(市发改委负责)\n"
            "3.研究出台配套政策。适时出台实施细则。(市发改委负责)\n"
        )
        run = self.start(text=text)
        response = self.preview(run)
        rows = {row["measure"]["number"]: row for row in response.context["rows"]}
        self.assertTrue(rows["1"]["past_deadline"])
        self.assertFalse(rows["2"]["past_deadline"])
        self.assertEqual(response.context["past_deadlines"], ["1"])
        self.assertContains(response, "导入后即为逾期", count=1)
        self.assertTrue(rows["2"]["fields"]["approximate"])
        self.assertFalse(rows["1"]["fields"]["approximate"])
        self.assertContains(response, "大致时间，请核对", count=1)
        self.assertEqual(rows["3"]["fields"]["vague_phrase"], "适时")
        self.assertContains(response, "时限不明确（“适时”）")

    def test_it_imports_a_traditional_script_mirror_against_the_simplified_directory(self):
        text = (
            "臨江市養老服務體系建設實施方案\n一、重點任務\n"
            "1.建設街道綜合養老服務中心。2025年底前實現全覆蓋。（牽頭單位：市民政局；配合單位：市發改委、市財政局）\n"
        )
        run = self.start(text=text)
        self.assertEqual(run.plan["title"], "臨江市養老服務體系建設實施方案")
        self.assertEqual([u["name"] for u in run.plan["measures"][0]["units"]], ["市民政局", "市發改委", "市財政局"])
        self.assertEqual(run.plan["units"]["市發改委"]["department_id"], self.units["市发改委"].pk)
        self.confirm(run)
        measure = Measure.objects.get(document__title="臨江市養老服務體系建設實施方案")
        self.assertEqual(str(measure.deadline), "2025-12-31")
        self.assertEqual(
            set(measure.assignments.values_list("department__name", "role")),
            {("市民政局", "lead"), ("市发展和改革委员会", "supporting"), ("市财政局", "supporting")},
        )

    def test_it_stops_a_parse_past_its_time_budget_with_a_message_and_saves_nothing(self):
        text = adversarial_document("dense labels", 200_000)
        before = (DocumentImport.objects.count(), PolicyDocument.objects.count(), Measure.objects.count())
        with self.settings(DOCUMENT_PARSE_TIME_LIMIT=1e-6):
            response = self.client.post(reverse("documents:import"), {"text": text})
        self.assertEqual(response.status_code, 200)
        self.assertIn("已停止，未保存任何内容", " ".join(response.context["form"].non_field_errors()))
        self.assertContains(response, "已停止")
        self.assertEqual(before, (DocumentImport.objects.count(), PolicyDocument.objects.count(), Measure.objects.count()))
        # Under the default budget the same text goes through.
        self.start(text=text)

    def test_it_is_for_admins_only(self):
        run = self.start(text=PLAN_TEXT)
        key = run.plan["measures"][0]["key"]
        urls = [
            ("get", reverse("documents:import")),
            ("get", reverse("documents:import-preview", args=[run.pk])),
            ("get", reverse("documents:import-measure", args=[run.pk, key])),
            ("post", reverse("documents:import-metadata", args=[run.pk])),
            ("post", reverse("documents:import-unit", args=[run.pk])),
            ("post", reverse("documents:import-drop", args=[run.pk, key])),
            ("post", reverse("documents:import-discard", args=[run.pk])),
            ("post", reverse("tasks:import-confirm", args=[run.pk])),
        ]
        for user in (self.office, self.leadership, self.staff_a):
            self.client.force_login(user)
            for method, url in urls:
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(getattr(self.client, method)(url).status_code, 403)
        run.refresh_from_db()
        self.assertEqual(run.status, "draft")


class GroupExpansionTests(BaseTestCase):
    def test_it_assigns_a_group_as_a_whole_or_to_each_member_as_the_admin_chooses(self):
        units = make_directory()
        group = units["各县(市、区)政府"]
        counties = [Department.objects.create(name=name, kind="county") for name in ("东湖区人民政府", "南溪县人民政府")]
        group.members.add(*counties)
        self.client.force_login(self.admin)
        self.client.post(reverse("documents:import"), {"text": PLAN_TEXT})
        run = DocumentImport.objects.latest("pk")
        response = self.client.get(reverse("documents:import-preview", args=[run.pk]))
        self.assertEqual([g["name"] for g in response.context["groups"]], ["各县(市、区)政府"])
        unit_url = reverse("documents:import-unit", args=[run.pk])
        self.client.post(unit_url, {"name": "各县(市、区)政府", "action": "expand", "kind": "group"})
        self.client.post(unit_url, {"name": "市教科体局", "action": "map", "department": units["市科教体局"].pk,
                                    "kind": "bureau"})
        self.client.post(reverse("tasks:import-confirm", args=[run.pk]))
        first = Measure.objects.get(document__doc_number="青府办发〔2024〕21号", number="1")
        supporting = set(first.assignments.filter(role="supporting").values_list("department__name", flat=True))
        self.assertIn("东湖区人民政府", supporting)
        self.assertIn("南溪县人民政府", supporting)
        self.assertNotIn("各县(市、区)人民政府", supporting)
