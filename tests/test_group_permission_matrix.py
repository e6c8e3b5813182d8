"""The permission matrix for leading groups: a group's office reviewer and a leadership member
chairing the group, against the objects of a document of their group and of another group's.

Document A (with department A's and department B's work on it) belongs to group 1, the group of
both personas; document B belongs to group 2, and the objects of target ``B`` here are department
B's work on it (assignment, sent report, file, urge, extension request, the document and its
measure). Every row of the main matrix (tests/test_permission_matrix.py) is run:

- on their own group's objects, and on pages without an object, the personas get what the general
  office and city leadership get there;
- on another group's objects they get a 404 where the general office would read or act, a list
  without the object, and, where their role alone refuses, the API's 403 (it checks the role
  first) or the page's 404 (it looks the object up first) (DESIGN: 404 for objects outside the
  scope).
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.test import Client

from departments.choices import GroupRole
from departments.models import GroupMembership, LeadingGroup
from tasks.choices import ExtensionStatus, ReportStatus
from tasks.models import Attachment, ExtensionRequest, ProgressReport, Urge
from tests.base import make_user
from tests.test_permission_matrix import MATRIX, PDF, ROLES, ROUTES, MatrixTestCase

# Kinds of object a leading group's scope decides (departments, tokens and imports are not).
SCOPED = {"assignment", "report", "attachment", "urge", "extension", "document", "measure"}
OUTSIDE = {"200": "404", "201": "404", "302": "404", "302!": "404", "409": "404", "400": "404",
           "200+": "200-", "200-": "200-", "403": "403", "404": "404"}
# persona -> the column of the main matrix whose rights it has within its group
PERSONAS = {"group_office": "office", "group_leadership": "leadership"}
# Cells where a group persona differs from that column for a reason of its own.
DIFFERENT = {
    # the general office drafted this bulletin: a group's office does not see another office's drafts
    ("group_office", "GET", "tasks:bulletin", "unpublished"): "404",
    ("group_office", "POST", "tasks:bulletin", "unpublished"): "404",
    ("group_office", "GET", "tasks:bulletin-docx", "unpublished"): "404",
    ("group_office", "POST", "tasks:bulletin-publish", "unpublished"): "404",
    # the bulk form offers only the reports in scope: another group's is refused with a message
    ("group_office", "POST", "tasks:reviews", "B"): "302!",
}


# Pages whose role guard answers before any object is looked up (the others look it up first).
ROLE_FIRST = {"tasks:my-tasks", "tasks:urge-reply", "tasks:extension-decision", "tasks:reviews", "tasks:report-withdraw"}


def expected_cell(persona: str, method: str, name: str, target: str) -> str:
    key = (persona, method, name, target)
    if key in DIFFERENT:
        return DIFFERENT[key]
    column = ROLES.index(PERSONAS[persona])
    route = ROUTES[(method, name)]
    if target == "B" and route.kind in SCOPED:
        inside = MATRIX[(method, name, "A")][column]
        if inside == "403" and not route.api and name not in ROLE_FIRST:
            return "404"
        return OUTSIDE[inside]
    return MATRIX[(method, name, target)][column]


class GroupMatrixTestCase(MatrixTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.group = LeadingGroup.objects.create(name="测试市数字经济发展领导小组", short_name="数字经济领导小组",
                                                office_department=cls.dept_a)
        cls.other_group = LeadingGroup.objects.create(name="测试市工业强市领导小组", office_department=cls.dept_b)
        type(cls.document).objects.filter(pk=cls.document.pk).update(group=cls.group)
        type(cls.document).objects.filter(pk=cls.document_b.pk).update(group=cls.other_group)
        cls.group_office = make_user("group_office")
        GroupMembership.objects.create(group=cls.group, user=cls.group_office, role=GroupRole.OFFICE)
        cls.group_leadership = make_user("group_leadership")
        GroupMembership.objects.create(group=cls.group, user=cls.group_leadership, role=GroupRole.LEADERSHIP)
        # the other group's reviewer, so that notices of its work have somebody to go to
        GroupMembership.objects.create(group=cls.other_group, user=make_user("other_office"), role=GroupRole.OFFICE)

        cls.assignment_other = cls.measure_b.assignments.get()
        cls.sent_other = ProgressReport.objects.create(
            assignment=cls.assignment_other, period_start=datetime.date(2026, 5, 1),
            period_end=datetime.date(2026, 5, 31), text="平台上线试运行。", percent=40,
            status=ReportStatus.SUBMITTED, created_by=cls.staff_b, submitted_by=cls.staff_b, version=2,
        )
        cls.file_other = Attachment.objects.create(
            report=cls.sent_other, file=ContentFile(PDF, name="evidence.pdf"), original_name="佐证.pdf",
            content_type="application/pdf", size=len(PDF), uploaded_by=cls.staff_b,
        )
        cls.urge_other = Urge.objects.create(assignment=cls.assignment_other, message="请加快进度。", sent_by=cls.office)
        cls.extension_other = ExtensionRequest.objects.create(
            assignment=cls.assignment_other, requested_by=None, previous_deadline=datetime.date(2026, 6, 30),
            requested_deadline=datetime.date(2026, 9, 30), reason="设备到货延迟", status=ExtensionStatus.PENDING,
        )

    def setUp(self):
        super().setUp()
        self.file_other.file.storage.save(self.file_other.file.name, ContentFile(PDF))

    def target_object(self, kind, target):
        other = {
            "assignment": self.assignment_other, "report": self.sent_other, "attachment": self.file_other,
            "urge": self.urge_other, "extension": self.extension_other, "document": self.document_b,
            "measure": self.measure_b,
        }
        if target == "B" and kind in other:
            return other[kind]
        return super().target_object(kind, target)

    def check_persona(self, persona: str) -> None:
        user = getattr(self, persona)
        client = Client()
        client.force_login(user)
        wrong = []
        for method, name, target in MATRIX:
            expected = expected_cell(persona, method, name, target)
            got = self.outcome(client, user, method, name, target)
            if got != expected:
                wrong.append(f"{method} {name} [{target}]: expected {expected}, got {got}")
        self.assertEqual(wrong, [], f"{persona}: {len(wrong)} cell(s) of the group matrix differ")


class GroupPermissionMatrixTests(GroupMatrixTestCase):
    def test_it_matches_the_matrix_for_a_groups_office(self):
        self.check_persona("group_office")

    def test_it_matches_the_matrix_for_a_groups_leadership(self):
        self.check_persona("group_leadership")

    def test_it_never_lets_a_group_read_or_change_another_groups_work(self):
        for persona in PERSONAS:
            for method, name, target in MATRIX:
                if target == "B" and ROUTES[(method, name)].kind in SCOPED:
                    with self.subTest(persona=persona, row=(method, name)):
                        # 302! is an HTML action refused with a message, nothing done
                        self.assertIn(expected_cell(persona, method, name, target), ("403", "404", "200-", "302!"))

    def test_the_general_office_still_acts_on_every_group(self):
        client = Client()
        client.force_login(self.office)
        for method, name in (("GET", "tasks:assignment"), ("POST", "tasks:urge"), ("POST", "api-report-accept"),
                             ("GET", "api-document-detail"), ("POST", "api-extension-request-decide")):
            with self.subTest(route=(method, name)):
                self.assertIn(self.outcome(client, self.office, method, name, "B"), ("200", "201", "302"))
