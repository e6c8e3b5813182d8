"""Named personas and a small world shared by the tests.

- office: the leadership-group office reviewer (督查员)
- leadership: read-only leader (领导)
- admin: superuser
- staff_a / leader_a: department A (市发改委)
- staff_b: department B (市工信局), the outsider for department A's objects
"""

import datetime

from django.contrib.auth import get_user_model
from django.test import TestCase

from departments.choices import DepartmentKind, Role
from departments.models import Department, DepartmentAlias, Membership
from documents.models import Measure, PolicyDocument
from tasks.choices import AssignmentRole
from tasks.models import Assignment, ProgressReport

PASSWORD = "persona-password-123"


def refresh_rollups() -> None:
    """Bring the dashboard's rollups up to date after a fixture wrote with ``QuerySet.update()``
    (which sends no signal, so nothing refreshes them: the nightly repair would)."""
    from tasks.rollups import rebuild

    rebuild.check(repair=True)


def make_user(username: str, department: Department | None = None, role: str = Role.STAFF, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if department is not None:
        Membership.objects.create(user=user, department=department, role=role)
    return user


class BaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.office_dept = Department.objects.create(name="市推进办", kind=DepartmentKind.OTHER)
        cls.gov = Department.objects.create(name="市人民政府", short_name="市政府", kind=DepartmentKind.OTHER)
        cls.dept_a = Department.objects.create(name="市发展和改革委员会", short_name="市发改委")
        DepartmentAlias.objects.create(department=cls.dept_a, name="市发展改革委")
        cls.dept_b = Department.objects.create(name="市工业和信息化局", short_name="市工信局")

        cls.office = make_user("office", cls.office_dept, Role.OFFICE)
        cls.leadership = make_user("leadership", cls.gov, Role.LEADERSHIP)
        cls.admin = get_user_model().objects.create_superuser("admin", "admin@example.com", PASSWORD)
        cls.staff_a = make_user("staff_a", cls.dept_a, Role.STAFF)
        cls.leader_a = make_user("leader_a", cls.dept_a, Role.LEADER)
        cls.staff_b = make_user("staff_b", cls.dept_b, Role.STAFF)

        cls.document = PolicyDocument.objects.create(
            title="测试市数字经济行动方案", doc_number="测府办发〔2026〕1号", issued_date=datetime.date(2026, 1, 5)
        )
        cls.measure = Measure.objects.create(
            document=cls.document, number="1", title="建设算力中心", content="建设算力中心。2026年6月底前建成。",
            deadline=datetime.date(2026, 6, 30), order=1,
        )
        cls.assignment_a = Assignment.objects.create(
            measure=cls.measure, department=cls.dept_a, role=AssignmentRole.LEAD
        )
        cls.assignment_b = Assignment.objects.create(
            measure=cls.measure, department=cls.dept_b, role=AssignmentRole.SUPPORTING
        )
        cls.report_a = ProgressReport.objects.create(
            assignment=cls.assignment_a,
            period_start=datetime.date(2026, 3, 1),
            period_end=datetime.date(2026, 3, 31),
            text="完成选址。",
            percent=20,
            created_by=cls.staff_a,
        )
