"""The department directory as a spreadsheet: export, all-or-nothing import with row-numbered
errors, and the Department admin's import / export buttons."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from departments.choices import DepartmentKind
from departments.models import Department, DepartmentAlias
from departments.resources import DepartmentResource, Formula, import_departments
from tests.base import BaseTestCase, make_user
from tests.sheets import csv_bytes, csv_values, upload, xlsx_bytes, xlsx_values

HEADER = ["单位全称", "简称", "别名", "类型", "上级单位", "成员单位"]


def directory_state() -> tuple:
    return (
        sorted(Department.objects.values_list("name", "short_name", "kind", "parent__name")),
        sorted(DepartmentAlias.objects.values_list("name", "department__name")),
        sorted(Department.members.through.objects.values_list("from_department__name", "to_department__name")),
    )


class DepartmentResourceTests(BaseTestCase):
    def test_it_exports_names_aliases_kind_parent_and_members(self):
        group = Department.objects.create(name="各县(市、区)人民政府", kind=DepartmentKind.GROUP, parent=self.gov)
        group.members.add(self.dept_b)
        dataset = DepartmentResource().export(Department.objects.order_by("pk"))
        self.assertEqual(dataset.headers, HEADER)
        rows = {row[0]: row for row in dataset}
        self.assertEqual(rows["市发展和改革委员会"], ("市发展和改革委员会", "市发改委", "市发展改革委", "委办局", "", ""))
        self.assertEqual(rows["各县(市、区)人民政府"][3:], ("集合单位", "市人民政府", "市工业和信息化局"))

    def test_it_creates_and_updates_departments_in_one_go(self):
        rows = [
            HEADER,
            ["市发展和改革委员会", "市发改委", "发改委、市发展改革局", "委办局", "市人民政府", ""],
            ["各开发区管委会", "", "各开发区", "集合单位", "", "高新区管委会;经开区管委会"],
            ["高新区管委会", "高新区", "", "开发区/园区", "各开发区管委会", ""],
            ["经开区管委会", "", "", "zone", "", ""],
        ]
        plan = import_departments(rows)
        self.assertTrue(plan.ok, plan.errors)
        self.assertEqual(Department.objects.get(name="高新区管委会").parent.name, "各开发区管委会")
        group = Department.objects.get(name="各开发区管委会")
        self.assertEqual(group.kind, DepartmentKind.GROUP)
        self.assertEqual(sorted(group.members.values_list("name", flat=True)), ["经开区管委会", "高新区管委会"])
        self.dept_a.refresh_from_db()
        self.assertEqual(self.dept_a.parent, self.gov)
        self.assertEqual(
            sorted(self.dept_a.aliases.values_list("name", flat=True)), ["发改委", "市发展改革委", "市发展改革局"]
        )
        state = directory_state()
        self.assertTrue(import_departments(rows).ok)  # importing the same sheet again changes nothing
        self.assertEqual(directory_state(), state)

    def test_it_rejects_bad_rows_with_their_numbers_and_changes_nothing(self):
        before = directory_state()
        rows = [
            HEADER,
            ["", "空名称", "", "", "", ""],
            ["市新单位", "", "市发改委", "委办局", "", ""],
            ["市新单位", "", "", "", "", ""],
            ["市另一单位", "", "", "部门", "市不存在局", ""],
            ["市第三单位", "", "", "", "", "市工业和信息化局"],
            ["市第四单位", "", "", "", "市第四单位", ""],
            ["市第五单位", Formula("=A1"), "", "", "", ""],
        ]
        plan = import_departments(rows)
        self.assertFalse(plan.ok)
        errors = "\n".join(plan.errors)
        for expected in (
            "第 2 行：单位全称为空",
            "第 3 行：别名“市发改委”已是其他单位的名称或别名",
            "第 4 行：单位“市新单位”与第 3 行重复",
            "第 5 行：类型“部门”无法识别",
            "第 5 行：上级单位“市不存在局”不在单位名录中，也不在本表中",
            "第 6 行：只有集合单位可以填写成员单位",
            "第 7 行：上级单位不能是本单位",
            "第 8 行：单元格是公式",
        ):
            self.assertIn(expected, errors)
        self.assertEqual(directory_state(), before)

    def test_it_needs_the_name_column(self):
        plan = import_departments([["简称"], ["市发改委"]])
        self.assertEqual(plan.errors, ["第 1 行表头缺少“单位全称”列。"])
        self.assertEqual(import_departments([]).errors, ["表格是空的。"])


class DepartmentAdminTests(BaseTestCase):
    def admin_import(self, data: bytes, name: str = "名录.xlsx", format_index: str = "0"):
        return self.client.post(
            reverse("admin:departments_department_import"),
            {"format": format_index, "resource": "0", "import_file": upload(name, data)},
        )

    def test_it_previews_then_imports_from_the_admin(self):
        self.client.force_login(self.admin)
        before = directory_state()
        response = self.admin_import(xlsx_bytes([HEADER, ["市数据局", "", "市大数据局", "委办局", "市人民政府", ""]]))
        self.assertEqual(response.context["result"].totals["new"], 1)
        self.assertEqual(directory_state(), before)  # the preview writes nothing
        response = self.client.post(
            reverse("admin:departments_department_process_import"), response.context["confirm_form"].initial
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Department.objects.get(name="市数据局").aliases.get().name, "市大数据局")

    def test_it_reads_gb18030_csv_and_reports_errors_by_row(self):
        self.client.force_login(self.admin)
        before = directory_state()
        data = csv_bytes([HEADER, ["市数据局", "", "", "", "", ""], ["市审计局", "", "", "不存在的类型", "", ""]], "gb18030")
        response = self.admin_import(data, "名录.csv", "1")
        self.assertTrue(response.context["result"].has_validation_errors())
        self.assertContains(response, "第 3 行：类型“不存在的类型”无法识别")
        self.assertEqual(directory_state(), before)

    def test_the_admin_export_is_neutralised(self):
        Department.objects.create(name="=HYPERLINK(\"http://x\")", short_name="@evil")
        self.client.force_login(self.admin)
        for index, reader in (("0", xlsx_values), ("1", csv_values)):
            with self.subTest(format=index):
                fields = {f"departmentresource_{name}": "on" for name in ("name", "short_name", "aliases", "kind", "parent", "members")}
                response = self.client.post(reverse("admin:departments_department_export"), {"format": index, "resource": "0", **fields})
                values = reader(response.content)
                self.assertEqual(values[0], HEADER)
                self.assertIn(["'=HYPERLINK(\"http://x\")", "'@evil"], [row[:2] for row in values])

    def test_importing_needs_add_and_change_permissions(self):
        viewer = make_user("viewer", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_department"))
        self.client.force_login(viewer)
        self.assertEqual(self.client.get(reverse("admin:departments_department_import")).status_code, 403)
        self.assertEqual(self.client.get(reverse("admin:departments_department_export")).status_code, 200)
