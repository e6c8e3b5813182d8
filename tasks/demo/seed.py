"""Write the demo data. Every step looks rows up by their natural key first, so seeding twice
creates nothing new and never changes a demo user's password after it was first set."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from departments.choices import DepartmentKind, GroupRole, Role
from departments.models import Department, DepartmentAlias, GroupMembership, LeadingGroup, Membership
from documents.choices import DocumentStatus
from documents.models import Indicator, Measure, Milestone, PolicyDocument, Section
from tasks.choices import AssignmentRole, AssignmentStatus, ReportStatus
from tasks.demo import business, directory, document
from tasks.models import Assignment, ProgressReport
from tasks.rollups.refresh import mark_work_of


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    department: str
    role: str
    password: str
    group: str = ""  # a leading group's reviewer: the role is held in that group, not in a department


USERS = [
    DemoUser("admin", "系统管理员", directory.OFFICE, Role.ADMIN, "admin-demo-2025"),
    DemoUser("office", "督查室 王督查", directory.OFFICE, Role.OFFICE, "office-demo-2025"),
    DemoUser("leadership", "李副市长", directory.GOVERNMENT, Role.LEADERSHIP, "leadership-demo-2025"),
    DemoUser("staff1", "市发改委 张填报", "市发展和改革委员会", Role.STAFF, "staff1-demo-2025"),
    DemoUser("leader1", "市发改委 刘主任", "市发展和改革委员会", Role.LEADER, "leader1-demo-2025"),
    DemoUser("staff2", "市工信局 陈填报", "市工业和信息化局", Role.STAFF, "staff2-demo-2025"),
    DemoUser("leader2", "市工信局 赵局长", "市工业和信息化局", Role.LEADER, "leader2-demo-2025"),
    DemoUser("office2", "营商办 孙督查", "", GroupRole.OFFICE, "office2-demo-2025", group=business.GROUP),
]

LEADER_APPROVAL_DEPARTMENT = "市发展和改革委员会"

ROLE_FOR = {"lead": AssignmentRole.LEAD, "responsible": AssignmentRole.RESPONSIBLE, "supporting": AssignmentRole.SUPPORTING}


@dataclass
class SeedResult:
    created: dict[str, int]
    users: list[tuple[DemoUser, bool]]


def seed_small(today: datetime.date | None = None) -> SeedResult:
    today = today or timezone.localdate()
    created: dict[str, int] = {}

    def count(label: str, was_created: bool) -> None:
        created[label] = created.get(label, 0) + int(was_created)

    with transaction.atomic():
        departments = _seed_directory(count)
        groups = _seed_groups(departments, count)
        users, new_users = _seed_users(departments, groups, count)
        doc = _seed_document(departments, users, count)
        _seed_reports(doc, departments, users, today, count)
        doc2 = _seed_document(departments, users, count, plan=business, group=groups[business.GROUP])
        _seed_reports(doc2, departments, users, today, count, rows=BUSINESS_REPORTS, reviewer="office2")
    return SeedResult(created=created, users=[(demo, demo.username in new_users) for demo in USERS])


def _seed_directory(count) -> dict[str, Department]:
    by_name: dict[str, Department] = {}
    for order, (name, short, aliases, kind) in enumerate(directory.DEPARTMENTS, start=1):
        dept, was_created = Department.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": kind,
                "sort_order": order,
                # One demo department shows the optional leader approval step.
                "requires_leader_approval": name == LEADER_APPROVAL_DEPARTMENT,
            },
        )
        count("departments", was_created)
        for alias in aliases:
            DepartmentAlias.objects.get_or_create(name=alias, defaults={"department": dept})
        by_name[name] = dept
        if short:
            by_name[short] = dept
    for order, (name, aliases, members) in enumerate(directory.GROUPS, start=len(directory.DEPARTMENTS) + 1):
        group, was_created = Department.objects.get_or_create(
            name=name, defaults={"kind": DepartmentKind.GROUP, "sort_order": order}
        )
        count("departments", was_created)
        for alias in aliases:
            DepartmentAlias.objects.get_or_create(name=alias, defaults={"department": group})
            by_name[alias] = group
        group.members.add(*(by_name[m] for m in members))
        by_name[name] = group
    return by_name


def _seed_groups(departments, count) -> dict[str, LeadingGroup]:
    group, was_created = LeadingGroup.objects.get_or_create(
        name=business.GROUP,
        defaults={"short_name": business.GROUP_SHORT, "office_department": departments[business.GROUP_OFFICE_SEAT]},
    )
    count("leading groups", was_created)
    return {group.name: group}


def _seed_users(departments, groups, count) -> tuple[dict, set[str]]:
    User = get_user_model()
    users, new_users = {}, set()
    for demo in USERS:
        user = User.objects.filter(username=demo.username).first()
        was_created = user is None
        if was_created:
            user = User(username=demo.username, first_name=demo.full_name, email=f"{demo.username}@example.com")
            user.is_staff = user.is_superuser = demo.role == Role.ADMIN
            user.set_password(demo.password)
            user.save()
        count("users", was_created)
        if demo.group:
            _, membership_created = GroupMembership.objects.get_or_create(
                user=user, group=groups[demo.group], defaults={"role": demo.role}
            )
        else:
            _, membership_created = Membership.objects.get_or_create(
                user=user, department=departments[demo.department], defaults={"role": demo.role}
            )
        count("memberships", membership_created)
        users[demo.username] = user
        if was_created:
            new_users.add(demo.username)
    return users, new_users


def _seed_document(departments, users, count, plan=document, group: LeadingGroup | None = None) -> PolicyDocument:
    """One demo document (``plan``: a module like ``tasks.demo.document``) with its measures and work."""
    doc, was_created = PolicyDocument.objects.get_or_create(
        doc_number=plan.DOC_NUMBER,
        defaults={
            "title": plan.TITLE,
            "issuer": plan.ISSUER,
            "issued_date": plan.ISSUED,
            "source_text": plan.source_text(),
            "status": DocumentStatus.ACTIVE,
            "created_by": users["admin"],
            "group": group,
        },
    )
    count("documents", was_created)
    tasks_heading, _ = Section.objects.get_or_create(
        document=doc, number="二、", defaults={"title": "重点任务", "level": 1, "order": 1}
    )
    sections: dict[tuple[str, str], Section] = {}
    for order, demo in enumerate(plan.MEASURES, start=1):
        number, title = demo.section
        if demo.section not in sections:
            is_top = number.endswith("、")
            sections[demo.section], _ = Section.objects.get_or_create(
                document=doc,
                number=number,
                title=title,
                defaults={"level": 1 if is_top else 2, "parent": None if is_top else tasks_heading, "order": order + 1},
            )
        measure, was_created = Measure.objects.get_or_create(
            document=doc,
            number=demo.number,
            defaults={
                "section": sections[demo.section],
                "title": demo.title,
                "content": demo.content,
                "deadline": demo.deadline,
                "deadline_text": demo.deadline_text,
                "is_ongoing": demo.ongoing,
                "recurrence": demo.recurrence,
                "order": order,
            },
        )
        count("measures", was_created)
        if was_created:
            for step, (title, due, phrase) in enumerate(demo.milestones):
                Milestone.objects.create(measure=measure, title=title, due_date=due, phrase=phrase, order=step)
            for ind in demo.indicators:
                Indicator.objects.create(
                    measure=measure, name=ind.name, comparator=ind.comparator,
                    target_value=Decimal(ind.value), unit=ind.unit, due_date=ind.due,
                )
        for role_name in ("lead", "responsible", "supporting"):
            for unit in getattr(demo, role_name):
                _, was_created = Assignment.objects.get_or_create(
                    measure=measure, department=departments[unit], defaults={"role": ROLE_FOR[role_name]}
                )
                count("assignments", was_created)
    return doc


def _month(today: datetime.date, back: int) -> tuple[datetime.date, datetime.date]:
    year, month = today.year, today.month - back
    while month < 1:
        year, month = year - 1, month + 12
    start = datetime.date(year, month, 1)
    next_start = datetime.date(year + month // 12, month % 12 + 1, 1)
    return start, next_start - datetime.timedelta(days=1)


# (measure number, department, months back, status, percent, text, review comment)
REPORTS = [
    ("6", "市发改委", 1, ReportStatus.ACCEPTED, 40, "完成上半年营商环境监测,梳理问题清单32项,已整改21项。", "整改台账清晰,请继续推进。"),
    ("6", "市发改委", 0, ReportStatus.RETURNED, 55, "本月继续推进问题整改。", "请补充剩余11项问题的整改时限和责任人。"),
    ("5", "市发改委", 0, ReportStatus.SUBMITTED, 80, "第二批“一件事”清单已完成部门会签,待市政府常务会议审议。", ""),
    ("10", "市发改委", 0, ReportStatus.LEADER_APPROVED, 70, "召开月度调度会1次,督办滞后事项3项。", ""),
    ("3", "市发改委", 0, ReportStatus.DRAFT, 90, "已向平台汇聚发改领域数据资源目录46项。", ""),
    ("7", "市工信局", 1, ReportStatus.ACCEPTED, 45, "1—9月全市数字经济核心产业营业收入312亿元。", "数据口径与统计局一致,通过。"),
    ("8", "市工信局", 0, ReportStatus.RETURNED, 70, "已完成146家企业数字化诊断。", "该任务已逾期,请说明剩余54家企业的完成计划。"),
    ("2", "市工信局", 0, ReportStatus.SUBMITTED, 85, "累计建成5G基站1086个,城区覆盖率96%。", ""),
    ("7", "市工信局", 0, ReportStatus.DRAFT, 55, "10月新引进软件企业4家。", ""),
    ("11", "市财政局", 8, ReportStatus.ACCEPTED, 100, "年度项目资金1.2亿元已全部纳入部门预算。", "同意办结。"),
]


# The business-environment plan's reports, waiting for its group's office (office2) among them.
BUSINESS_REPORTS = [
    ("2", "市发改委", 1, ReportStatus.ACCEPTED, 60, "已梳理妨碍统一市场的政策措施27件,拟废止5件、修订9件。", "清单规范,请按期公开。"),
    ("6", "市发改委", 0, ReportStatus.SUBMITTED, 50, "本季度召开政企恳谈会1次,收集企业诉求18项,已办结12项。", ""),
    ("8", "市发改委", 0, ReportStatus.LEADER_APPROVED, 60, "完成月度调度,对进度滞后的2项任务发出督办单。", ""),
    ("2", "市发改委", 0, ReportStatus.DRAFT, 75, "清理清单已报市政府审定。", ""),
    ("5", "市工信局", 1, ReportStatus.RETURNED, 30, "正在梳理惠企政策事项。", "请列明首批可“免申即享”的政策名称和兑现方式。"),
    ("5", "市工信局", 0, ReportStatus.SUBMITTED, 70, "首批“免申即享”政策清单14项已完成会签。", ""),
    ("3", "市工信局", 0, ReportStatus.DRAFT, 40, "配合完成工业项目联合审验流程梳理。", ""),
    ("6", "市工信局", 0, ReportStatus.ACCEPTED, 50, "本季度走访重点工业企业36家,协调解决用工、用电问题9项。", "通过。"),
    ("1", "市市场监管局", 1, ReportStatus.ACCEPTED, 100, "企业开办全流程压缩至0.5个工作日,已常态化运行。", "同意办结。"),
]


def _seed_reports(doc, departments, users, today, count, rows=REPORTS, reviewer: str = "office") -> None:
    office = users[reviewer]
    staff_for = {"市发改委": users["staff1"], "市工信局": users["staff2"]}
    leader_for = {"市发改委": users["leader1"], "市工信局": users["leader2"]}
    now = timezone.now()
    for number, unit, back, status, percent, text, comment in rows:
        assignment = Assignment.objects.get(measure__document=doc, measure__number=number, department=departments[unit])
        start, end = _month(today, back)
        author = staff_for.get(unit)
        submitted = status != ReportStatus.DRAFT
        reviewed = status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED)
        _, was_created = ProgressReport.objects.get_or_create(
            assignment=assignment,
            period_start=start,
            defaults={
                "period_end": end,
                "text": text,
                "percent": percent,
                "status": status,
                "created_by": author,
                "submitted_by": author if submitted else None,
                "submitted_at": now if submitted else None,
                "leader_approved_by": leader_for.get(unit) if status == ReportStatus.LEADER_APPROVED else None,
                "leader_approved_at": now if status == ReportStatus.LEADER_APPROVED else None,
                "reviewed_by": office if reviewed else None,
                "reviewed_at": now if reviewed else None,
                "review_comment": comment,
            },
        )
        count("reports", was_created)
        if was_created and status == ReportStatus.ACCEPTED and percent > assignment.percent:
            assignment.percent = percent
            assignment.status = AssignmentStatus.CLOSED if percent == 100 else AssignmentStatus.IN_PROGRESS
            if percent == 100:
                assignment.closed_at, assignment.closed_by = now, office
            assignment.save()
    # Departments that have reported have acknowledged their work; the rest still wait (待签收).
    Assignment.objects.filter(
        measure__document=doc, status=AssignmentStatus.PENDING, reports__isnull=False
    ).update(status=AssignmentStatus.IN_PROGRESS, acknowledged_at=now)
    mark_work_of(Assignment.objects.filter(measure__document=doc))  # an update sends no signal
