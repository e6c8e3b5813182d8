"""The reminder sweep: one pass over the database that makes every reminder due today.

Rules (ReminderSettings, editable in the admin):
- approaching: before a final deadline and before each milestone, at the configured offsets
  (7, 3, 1 days by default) — the tightest offset window the work is in, once per window;
- overdue: the day after the deadline, then every ``overdue_repeat_days``, to the department's
  leaders and the office;
- report_due: ``report_due_days_before`` days before a reporting period ends while the
  department has sent no report for it;
- unacknowledged: ``unacknowledged_after_days`` after an assignment was given and not 签收;
- digest: on ``digest_weekday``, a summary for the office.
With ``skip_weekends`` nothing is sent on Saturday or Sunday: Friday's sweep sends what would
fall on the weekend ahead, and Monday's catches up what is still due.

Idempotence: every reminder has a unique key (kind, assignment, target date, offset). Work is
done in batches, each one transaction holding the reminders with their notifications and
deliveries; a batch that collides with a concurrent sweep is rolled back and redone, so a
sweep run twice, run concurrently, or killed half way makes each reminder exactly once.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q

from departments.choices import Role
from documents.choices import DocumentStatus
from documents.models import Milestone
from tasks.choices import AssignmentStatus, ReportStatus
from tasks.models import Assignment, ProgressReport
from tasks.notify.models import NotificationKind, Reminder, ReminderSettings
from tasks.notify.outbox import Audience, Message, department_members, notify_many, office_recipients
from tasks.periods import period_containing

BATCH_SIZE = 2000
MAX_BATCH_TRIES = 3


@dataclass
class Candidate:
    key: str
    kind: str
    assignment_id: int | None
    target_date: datetime.date
    offset: int
    message: Message
    department_id: int | None = None
    to_leaders_and_office: bool = False
    group_id: int | None = None  # the leading group of the document, whose office is told


@dataclass
class SweepResult:
    created: int = 0
    notifications: list[int] = field(default_factory=list)
    deliveries: list[int] = field(default_factory=list)
    skipped_weekend: bool = False

    def as_dict(self) -> dict:
        return {"created": self.created, "notifications": len(self.notifications), "deliveries": len(self.deliveries),
                "skipped_weekend": self.skipped_weekend}


def run_sweep(today: datetime.date, *, dispatch: bool = True) -> SweepResult:
    """Make every reminder due on ``today``; with ``dispatch`` queue their deliveries."""
    rules = ReminderSettings.load()
    result = SweepResult()
    if rules.skip_weekends and today.weekday() >= 5:
        result.skipped_weekend = True
        return result
    gap = _weekend_days_ahead(today) if rules.skip_weekends else 0
    office = office_recipients()
    # A department's reminders go in one batch, so each person gets them folded into one message.
    candidates = sorted(_candidates(today, gap, rules), key=lambda c: (c.department_id or 0, c.key))
    batch: list[Candidate] = []
    for candidate in candidates:
        if len(batch) >= BATCH_SIZE and candidate.department_id != batch[-1].department_id:
            _write_batch(batch, office, result, dispatch)
            batch = []
        batch.append(candidate)
    if batch:
        _write_batch(batch, office, result, dispatch)
    return result


def _weekend_days_ahead(today: datetime.date) -> int:
    """Non-working days right after ``today`` (2 on a Friday), whose reminders go out today."""
    days, day = 0, today + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        days, day = days + 1, day + datetime.timedelta(days=1)
    return days


def _write_batch(batch: list[Candidate], office: dict[int | None, list[int]], result: SweepResult, dispatch: bool) -> None:
    for attempt in range(MAX_BATCH_TRIES):
        try:
            with transaction.atomic():
                existing = set(Reminder.objects.filter(key__in=[c.key for c in batch]).values_list("key", flat=True))
                fresh = [c for c in batch if c.key not in existing]
                if not fresh:
                    return
                Reminder.objects.bulk_create(
                    Reminder(key=c.key, kind=c.kind, assignment_id=c.assignment_id, target_date=c.target_date,
                             offset=c.offset)
                    for c in fresh
                )
                written = notify_many(_audiences(fresh, office), dispatch=dispatch)
            result.created += len(fresh)
            result.notifications.extend(n.pk for n in written.notifications)
            result.deliveries.extend(d.pk for d in written.deliveries)
            return
        except IntegrityError:
            # A concurrent sweep wrote some of these keys first: redo the batch without them.
            if attempt == MAX_BATCH_TRIES - 1:
                raise


TITLE_TAG = re.compile("[:：]")  # a reminder's title is "<kind>：<what>"
MAX_LINES = 30
KIND_TAGS: dict[str, str] = {
    NotificationKind.APPROACHING: "临期", NotificationKind.MILESTONE: "节点", NotificationKind.OVERDUE: "逾期",
    NotificationKind.REPORT_DUE: "填报", NotificationKind.UNACKNOWLEDGED: "签收", NotificationKind.DIGEST: "摘要",
}


def _audiences(candidates: list[Candidate], office: dict[int | None, list[int]]) -> list[tuple[Message, Audience]]:
    """One message per person (and per department robot) per batch: a single reminder as it is,
    several folded into one list, so nobody gets fifty pings on a busy morning."""
    department_ids = {c.department_id for c in candidates if c.department_id}
    staff = department_members(department_ids)
    leaders = department_members(department_ids, roles=(Role.LEADER,))
    per_user: dict[int, list[Candidate]] = {}
    per_department: dict[int, list[Candidate]] = {}
    for c in candidates:
        if c.department_id is None:
            users = office[None]
        elif c.to_leaders_and_office:
            users = (leaders.get(c.department_id) or staff.get(c.department_id, [])) + office.get(
                c.group_id, office[None]
            )
        else:
            users = staff.get(c.department_id, [])
        for user_id in dict.fromkeys(users):
            per_user.setdefault(user_id, []).append(c)
        if c.department_id:
            per_department.setdefault(c.department_id, []).append(c)
    items = [(_fold(group), Audience((user_id,))) for user_id, group in per_user.items()]
    items += [(_fold(group), Audience((), (department_id,))) for department_id, group in per_department.items()]
    return items


def _fold(group: list[Candidate]) -> Message:
    if len(group) == 1:
        return group[0].message
    lines = [f"【{KIND_TAGS.get(c.kind, '提醒')}】{TITLE_TAG.split(c.message.title, maxsplit=1)[-1]}" for c in group[:MAX_LINES]]
    if len(group) > MAX_LINES:
        lines.append(f"……等共 {len(group)} 项，请在“我的任务”中查看。")
    kinds = {c.kind for c in group}
    kind = next(iter(kinds)) if len(kinds) == 1 else NotificationKind.DIGEST
    return Message(kind, f"今日提醒：共 {len(group)} 项任务需要关注", "\n".join(lines), "/tasks/")


def _open_assignments():
    return (
        Assignment.objects.exclude(status=AssignmentStatus.CLOSED)
        .filter(measure__document__status=DocumentStatus.ACTIVE)
    )


def _candidates(today: datetime.date, gap: int, rules: ReminderSettings) -> Iterator[Candidate]:
    if rules.approaching_enabled or rules.overdue_enabled or rules.unacknowledged_enabled:
        yield from _assignment_candidates(today, gap, rules)
    if rules.approaching_enabled and rules.offsets():
        yield from _milestone_candidates(today, gap, rules)
    if rules.report_due_enabled:
        yield from _report_due_candidates(today, gap, rules)
    if rules.digest_enabled and today.weekday() == rules.digest_weekday:
        yield _digest(today)


FIELDS = ("pk", "department_id", "department__short_name", "department__name", "role", "status", "due",
          "created_at", "measure__number", "measure__title", "measure__document__title", "measure__recurrence",
          "measure__document__group_id")


def _label(row: Mapping[str, Any]) -> str:
    return f"{row['measure__number']} {row['measure__title']}"


def _assignment_candidates(today, gap, rules) -> Iterator[Candidate]:
    offsets = rules.offsets()
    rows = _open_assignments().values(*FIELDS).order_by("pk").iterator(chunk_size=2000)
    for row in rows:
        due, link = row["due"], f"/tasks/{row['pk']}/"
        department = row["department__short_name"] or row["department__name"]
        if due is not None and rules.approaching_enabled and due >= today:
            offset = _window(offsets, (due - today).days - gap)
            if offset is not None:
                yield Candidate(
                    f"approaching:{row['pk']}:{due}:{offset}", NotificationKind.APPROACHING, row["pk"], due, offset,
                    Message(NotificationKind.APPROACHING, f"临期提醒：{_label(row)} 将于 {due:%Y-%m-%d} 到期",
                            f"《{row['measure__document__title']}》第 {row['measure__number']} 项“{row['measure__title']}”"
                            f"完成时限为 {due:%Y年%m月%d日}，还有 {(due - today).days} 天。"
                            f"请{department}抓紧推进并及时填报进展。",
                            link, row["pk"]),
                    row["department_id"],
                )
        if due is not None and rules.overdue_enabled and due < today:
            round_ = ((today - due).days - 1) // rules.overdue_repeat_days
            yield Candidate(
                f"overdue:{row['pk']}:{due}:{round_}", NotificationKind.OVERDUE, row["pk"], due, -round_,
                Message(NotificationKind.OVERDUE, f"逾期督办：{department} {_label(row)}",
                        f"《{row['measure__document__title']}》第 {row['measure__number']} 项“{row['measure__title']}”"
                        f"已于 {due:%Y年%m月%d日} 到期，{department}尚未办结，已逾期 {(today - due).days} 天。"
                        "请单位负责人督促办理,并说明进展和预计完成时间。",
                        link, row["pk"]),
                row["department_id"], to_leaders_and_office=True, group_id=row["measure__document__group_id"],
            )
        if row["status"] == AssignmentStatus.PENDING and rules.unacknowledged_enabled:
            given = row["created_at"].date()
            if (today - given).days >= rules.unacknowledged_after_days:
                yield Candidate(
                    f"unacknowledged:{row['pk']}:{given}:{rules.unacknowledged_after_days}",
                    NotificationKind.UNACKNOWLEDGED, row["pk"], given, rules.unacknowledged_after_days,
                    Message(NotificationKind.UNACKNOWLEDGED, f"新任务待签收：{_label(row)}",
                            f"{department}于 {given:%Y年%m月%d日} 收到《{row['measure__document__title']}》"
                            f"第 {row['measure__number']} 项任务，至今尚未签收，请尽快签收并安排落实。", link, row["pk"]),
                    row["department_id"],
                )


def _window(offsets: list[int], days_left: int) -> int | None:
    """The tightest reminder offset whose window the work is in (7, 3 or 1 days by default)."""
    return next((offset for offset in offsets if days_left <= offset), None)


def _milestone_candidates(today, gap, rules) -> Iterator[Candidate]:
    offsets = rules.offsets()
    horizon = today + datetime.timedelta(days=max(offsets) + gap)
    rows = (
        Milestone.objects.filter(due_date__gte=today, due_date__lte=horizon,
                                 measure__assignments__in=_open_assignments())
        .values("pk", "title", "due_date", "measure__number", "measure__title",
                assignment=F("measure__assignments__pk"), department_id=F("measure__assignments__department_id"))
        .order_by("pk", "assignment")
        .iterator(chunk_size=2000)
    )
    for row in rows:
        offset = _window(offsets, (row["due_date"] - today).days - gap)
        if offset is None:
            continue
        yield Candidate(
            f"milestone:{row['assignment']}:{row['pk']}:{offset}", NotificationKind.MILESTONE, row["assignment"],
            row["due_date"], offset,
            Message(NotificationKind.MILESTONE, f"节点提醒：{_label(row)}",
                    f"时间节点“{row['title']}”将于 {row['due_date']:%Y年%m月%d日} 到期，请按时完成。",
                    f"/tasks/{row['assignment']}/", row["assignment"]),
            row["department_id"],
        )


def _report_due_candidates(today, gap, rules) -> Iterator[Candidate]:
    """Assignments whose current period ends within the configured days and have sent nothing."""
    periods = {}
    for recurrence in ("", "weekly", "monthly", "bimonthly", "quarterly", "yearly"):
        period = period_containing(recurrence, today)
        if (period.end - today).days - gap <= rules.report_due_days_before:
            periods[recurrence] = period
    if not periods:
        return
    condition = Q()
    for recurrence, period in periods.items():
        sent = ProgressReport.objects.filter(period_start=period.start).exclude(status=ReportStatus.DRAFT)
        condition |= Q(measure__recurrence=recurrence) & ~Q(pk__in=sent.values("assignment_id"))
    rows = _open_assignments().filter(condition).values(*FIELDS).order_by("pk").iterator(chunk_size=2000)
    for row in rows:
        period = periods[row["measure__recurrence"]]
        department = row["department__short_name"] or row["department__name"]
        yield Candidate(
            f"report_due:{row['pk']}:{period.start}:{rules.report_due_days_before}", NotificationKind.REPORT_DUE,
            row["pk"], period.start, rules.report_due_days_before,
            Message(NotificationKind.REPORT_DUE, f"填报提醒：{_label(row)}",
                    f"本期({period})进展报告将于 {period.end:%Y年%m月%d日} 截止，{department}尚未报送，请及时填报。",
                    f"/tasks/{row['pk']}/", row["pk"]),
            row["department_id"],
        )


def _digest(today: datetime.date) -> Candidate:
    """The office's weekly summary: newly overdue work, reports waiting, departments behind."""
    week_ago = today - datetime.timedelta(days=7)
    open_work = _open_assignments()
    newly_overdue = open_work.filter(due__gte=week_ago, due__lt=today).count()
    waiting = ProgressReport.objects.filter(
        Q(status=ReportStatus.LEADER_APPROVED)
        | Q(status=ReportStatus.SUBMITTED, assignment__department__requires_leader_approval=False)
    ).count()
    behind = (
        open_work.filter(due__lt=today).values("department__short_name", "department__name")
        .annotate(n=Count("pk")).order_by("-n")[:5]
    )
    lines = [f"本周新增逾期任务 {newly_overdue} 项；待审核报告 {waiting} 份。"]
    if behind:
        lines.append("逾期较多的单位:" + "、".join(
            f"{row['department__short_name'] or row['department__name']}({row['n']}项)" for row in behind))
    monday = today - datetime.timedelta(days=today.weekday())
    return Candidate(
        f"digest:-:{monday}:0", NotificationKind.DIGEST, None, monday, 0,
        Message(NotificationKind.DIGEST, f"每周摘要({monday:%m月%d日}起)", "\n".join(lines), "/reviews/"),
    )

