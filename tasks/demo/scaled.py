"""What the city-scale and the province-scale demos generate alike: the vocabulary of measures
and reports, how a department's diligence decides the state of its work, and the reports an
assignment has over its reporting periods (tasks.demo.large, tasks.demo.province).

Every function draws from the ``random.Random`` it is given, in a fixed order, so a generator
that calls them in a fixed order writes the same rows on every run of the same day.
"""

from __future__ import annotations

import calendar
import datetime
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from tasks.choices import AssignmentStatus, ReportStatus
from tasks.periods import period_containing

PASSWORD = "scale-demo-2025"  # demo data only: every generated account shares it
MONTHS_REPORTED = 15  # past months each open assignment reports for (plus, for some, the current one)
GRACE_DAYS = 5  # a report this many days after its period ended is still on time

KINDS = ["实施方案", "行动计划", "实施意见", "工作方案", "三年行动方案(2025—2027年)"]
SECTIONS = ["夯实发展基础", "补齐短板弱项", "激发市场活力", "强化要素保障"]  # the sub-headings of 二、重点任务
VERBS = ["加快推进", "持续完善", "全面提升", "组织实施", "深化", "健全", "大力发展", "着力优化"]
OBJECTS = ["基础设施建设", "公共服务供给", "体制机制改革", "数据资源共享", "项目谋划储备", "示范创建工作", "人才队伍建设",
           "监测评估机制", "重点项目建设", "标准体系建设", "信用监管", "应急保障能力", "资金保障机制", "宣传推广工作",
           "产业链协同", "平台载体建设", "考核评价体系", "督查督办机制", "风险防控体系", "试点示范工作"]
PROGRESS = ["已召开专题推进会,明确责任分工和时间节点。", "完成阶段性目标,正在组织验收。", "已制定工作方案并印发实施。",
            "正在开展调研摸底,形成问题清单。", "项目有序推进,完成年度投资计划的大部分。", "已完成年度任务,进入常态化推进。",
            "协调解决了资金和用地问题,进度有所加快。", "受审批环节影响进度偏慢,已提请协调。"]
URGE_MESSAGE = "该任务已逾期,请于本周内报送整改计划。"
URGE_REPLY = "已部署整改,下周报送。"
EXTENSION_REASON = "项目审批周期较长,申请延期。"


@dataclass(slots=True)
class Dept:
    pk: int
    diligence: float  # chance of doing a thing on time


@dataclass(slots=True)
class Plan:
    """A generated measure, as its assignments need it."""

    pk: int
    deadline: datetime.date | None
    recurrence: str
    created: datetime.date  # the day its document gave the work out


@dataclass(slots=True)
class Work:
    """A generated assignment, as its reports and follow-up need it."""

    pk: int
    plan: Plan
    dept: Dept
    status: str
    closed_at: datetime.datetime | None
    extended: datetime.date | None = None  # an approved extension's deadline

    @property
    def due(self) -> datetime.date | None:
        return self.extended or self.plan.deadline


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` before the month of ``day``."""
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """That time of ``day`` in the project's time zone (Asia/Shanghai)."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone())


def analyze(models: Iterable[type[Model]], log: Callable[[str], None]) -> None:
    """Refresh the planner's statistics: right after a bulk load they still describe empty tables,
    and PostgreSQL would plan the first hours of queries for a city of a few rows. Outside a
    transaction PostgreSQL also vacuums, which marks the new pages all-visible so that counts
    such as the review queue's read their index alone (autovacuum would, some minutes later)."""
    statement = "ANALYZE"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
            cursor.execute(f"{statement} {tables}")
        else:
            cursor.execute(statement)
    log(f"statistics refreshed ({statement})")


def assignment_state(rng: random.Random, today: datetime.date, plan: Plan, dept: Dept
                     ) -> tuple[str, int, datetime.datetime | None, datetime.datetime | None]:
    """(status, percent, acknowledged_at, closed_at) of one department's work on a measure: work
    past its deadline is mostly closed, the diligent on time; some open work is not acknowledged."""
    on_time = rng.random() < dept.diligence
    status, closed_at = AssignmentStatus.IN_PROGRESS, None
    if plan.deadline and plan.deadline < today:
        if rng.random() < 0.55 + 0.4 * dept.diligence:
            status = AssignmentStatus.CLOSED
            late = 0 if on_time else rng.randint(3, 60)
            closed_at = at(min(today, plan.deadline + datetime.timedelta(days=late - rng.randint(0, 20))), 16)
    elif rng.random() < 0.08 * dept.diligence and plan.deadline:
        status, closed_at = AssignmentStatus.CLOSED, at(today - datetime.timedelta(days=rng.randint(1, 60)), 16)
    elif rng.random() > 0.75 + 0.2 * dept.diligence:
        status = AssignmentStatus.PENDING
    given = at(plan.created, 9)
    if closed_at is not None and closed_at <= given:
        closed_at = given + datetime.timedelta(days=30)
    acknowledged = None if status == AssignmentStatus.PENDING else given + datetime.timedelta(days=rng.randint(1, 7))
    percent = 100 if status == AssignmentStatus.CLOSED else rng.randint(0, 9) * 10
    return status, percent, acknowledged, closed_at


# The columns report_rows gives values for, in order (tasks.demo.sinks writers take them as they are).
REPORT_COLUMNS = ("assignment_id", "period_start", "period_end", "text", "percent", "status", "submitted_at",
                  "reviewed_at", "review_comment", "version")


def report_rows(rng: random.Random, today: datetime.date, works: Iterable[Work],
                months: int = MONTHS_REPORTED) -> Iterator[tuple]:
    """The reports of each acknowledged assignment, one per reporting period of its measure's
    recurrence from ``months`` months back (or from when the work was given) to the current
    period: a diligent department misses few periods and reports within the grace days; recent
    reports still wait for review, the current period's are some of them drafts. Yields tuples
    in the order of REPORT_COLUMNS, one at a time, so that millions need no memory."""
    first = months_before(today, months)
    for work in works:
        if work.status == AssignmentStatus.PENDING:
            continue
        recurrence = work.plan.recurrence
        ends = work.closed_at.date() if work.closed_at else None
        period = period_containing(recurrence, max(first, work.plan.created))
        while period.start <= today:
            current = period.end >= today
            if ends is not None and period.start > ends:
                break
            if current and rng.random() > 0.45 * work.dept.diligence:
                break
            if not current and rng.random() > 0.5 + 0.5 * work.dept.diligence:  # missed this period
                period = period_containing(recurrence, period.end + datetime.timedelta(days=1))
                continue
            if current:
                submitted = at(today - datetime.timedelta(days=rng.randint(0, min(20, (today - period.start).days))), 10)
                status = ReportStatus.DRAFT if rng.random() < 0.25 else ReportStatus.SUBMITTED
            else:
                late = rng.random() >= work.dept.diligence
                delay = rng.randint(GRACE_DAYS + 1, 25) if late else rng.randint(-4, GRACE_DAYS)
                submitted = at(min(today, period.end + datetime.timedelta(days=delay)), 10, rng.randint(0, 59))
                recent = period.end >= today - datetime.timedelta(days=40)
                status = rng.choices(
                    [ReportStatus.ACCEPTED, ReportStatus.RETURNED, ReportStatus.SUBMITTED, ReportStatus.LEADER_APPROVED],
                    weights=[55, 5, 35, 5] if recent else [92, 6, 1, 1],
                )[0]
            text, percent = rng.choice(PROGRESS), min(100, rng.randint(1, 10) * 10)
            reviewed = status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED)
            yield (work.pk, period.start, period.end, text, percent, status,
                   None if status == ReportStatus.DRAFT else submitted,
                   submitted + datetime.timedelta(days=2) if reviewed else None,
                   "请补充具体数据。" if status == ReportStatus.RETURNED else "",
                   1 if status == ReportStatus.DRAFT else 2)
            period = period_containing(recurrence, period.end + datetime.timedelta(days=1))


def urged(rng: random.Random, today: datetime.date, works: list[Work]) -> list[Work]:
    """The overdue work the office has urged: about one assignment in sixty."""
    overdue = [w for w in works if w.status != AssignmentStatus.CLOSED and w.due and w.due < today]
    return rng.sample(overdue, min(len(overdue), max(1, len(works) // 60)))


def month_end(day: datetime.date) -> datetime.date:
    """The last day of the month of ``day``: what "X月底前" means."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
