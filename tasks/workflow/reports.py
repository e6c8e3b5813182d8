"""State changes of tracked work: the only code that moves assignments, reports, urges and
extension requests between states. Views and API viewsets call these and nothing else writes.

Each function checks the actor may do it (raising PermissionDenied), takes the row lock it
needs, writes in one transaction (``changing``: the dashboard's rollups are refreshed in it, once
per department and document) and leaves history through simple-history."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.choices import Role
from departments.roles import get_roles
from documents.models import Indicator
from policytrack.bounds import check_date
from tasks.choices import AssignmentRole, AssignmentStatus, ExtensionStatus, ReportStatus
from tasks.models import Assignment, Attachment, ExtensionRequest, IndicatorValue, ProgressReport, Urge
from tasks.notify.models import NotificationKind
from tasks.notify.outbox import Audience, Message, department_members, document_office, notify
from tasks.periods import Period, period_containing
from tasks.rollups.refresh import changing
from tasks.workflow import uploads


class ConflictError(Exception):
    """Someone else changed the report first; the message says who did what."""


EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
WAITING_FOR_OFFICE = (ReportStatus.SUBMITTED, ReportStatus.LEADER_APPROVED)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def oversees(user, assignment_id: int) -> bool:
    """Whether ``user``'s office role covers this assignment: the general office covers all, a
    group's office the work of its group's documents (the same rule as ``visible_to``)."""
    roles = get_roles(user)
    if roles.sees_everything:
        return True
    return bool(roles.oversees_groups) and Assignment.objects.filter(
        pk=assignment_id, measure__document__group_id__in=roles.oversees_groups
    ).exists()


def works_on(user, assignment: Assignment) -> bool:
    return assignment.department_id in get_roles(user).department_ids


def leads(user, assignment: Assignment) -> bool:
    """The user is a leader in the assignment's own department (not merely somewhere)."""
    return get_roles(user).leads_department(assignment.department_id)


def current_period(assignment: Assignment, today: datetime.date | None = None) -> Period:
    return period_containing(assignment.measure.recurrence, today or timezone.localdate())


def acknowledge(assignment: Assignment, user) -> Assignment:
    """签收: the department confirms it has seen a new assignment."""
    _require(works_on(user, assignment), _("只有承办单位可以签收。"))
    with changing():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status == AssignmentStatus.PENDING:
            locked.status = AssignmentStatus.IN_PROGRESS
            locked.acknowledged_at, locked.acknowledged_by = timezone.now(), user
            locked.save()
    return locked


@dataclass
class ReportInput:
    text: str
    percent: int
    indicator_values: dict[int, Decimal]
    files: list
    folded_report_ids: list[int]


def save_report(
    assignment: Assignment, user, data: ReportInput, *, submit: bool, period: Period | None = None
) -> ProgressReport:
    """Write the department's report for a period (the current one by default): create the draft
    or update it (also a returned one); with ``submit`` send it on."""
    _require(works_on(user, assignment), _("只有承办单位可以填报。"))
    _require(assignment.status != AssignmentStatus.CLOSED, _("该任务已办结，无需再填报。"))
    period = period or current_period(assignment)
    stored: list[str] = []
    try:
        with changing():
            report = _write_report(assignment, user, data, period, stored)
            if submit:
                _submit(report, user)
    except BaseException:
        uploads.forget(stored)  # the rows are rolled back: leave no orphan evidence in the store
        raise
    return report


def _write_report(assignment, user, data: ReportInput, period: Period, stored: list[str]) -> ProgressReport:
    report = (
        ProgressReport.objects.select_for_update()
        .filter(assignment=assignment, period_start=period.start)
        .first()
    )
    if report is not None and report.status not in EDITABLE:
        raise ConflictError(_("本期报告已提交（%(status)s），不能再修改。") % {"status": report.get_status_display()})
    if report is None:
        report = _create_report(assignment, user, data, period)
    else:
        report.text, report.percent = data.text, data.percent
        report.version += 1
        report.save()
    _save_indicator_values(report, data.indicator_values)
    _fold(report, data.folded_report_ids)
    _save_files(report, data.files, user, stored)
    return report


def _create_report(assignment, user, data: ReportInput, period: Period) -> ProgressReport:
    """The period's first report. Two first saves at once both find no row to lock; the second
    insert then hits the unique constraint, which is a conflict to report, not a server error."""
    report = ProgressReport(assignment=assignment, period_start=period.start, period_end=period.end,
                            created_by=user, text=data.text, percent=data.percent)
    try:
        with changing():
            report.save()
    except IntegrityError:
        raise ConflictError(_("本期报告刚由他人创建，请刷新页面后在其基础上修改。")) from None
    return report


def _save_indicator_values(report: ProgressReport, values: dict[int, Decimal]) -> None:
    allowed = set(Indicator.objects.filter(measure_id=report.assignment.measure_id).values_list("pk", flat=True))
    for indicator_id, value in values.items():
        if indicator_id not in allowed:
            raise ValidationError(_("指标不属于该措施。"))
        IndicatorValue.objects.update_or_create(report=report, indicator_id=indicator_id, defaults={"value": value})


def _save_files(report: ProgressReport, files: Iterable, user, stored: list[str]) -> None:
    for upload in files:
        attachment = Attachment(
            report=report,
            original_name=upload.name[:200],
            content_type=getattr(upload, "content_type", "") or "",
            size=upload.size,
            uploaded_by=user,
        )
        uploads.store(attachment, upload)
        stored.append(attachment.file.name)
        attachment.save()


def foldable_reports(report_or_assignment, period: Period):
    """Supporting departments' reports for the same measure and period, for the lead to fold in."""
    assignment = getattr(report_or_assignment, "assignment", report_or_assignment)
    if assignment.role != AssignmentRole.LEAD:
        return ProgressReport.objects.none()
    return (
        ProgressReport.objects.filter(
            assignment__measure_id=assignment.measure_id,
            assignment__role__in=[AssignmentRole.SUPPORTING, AssignmentRole.RESPONSIBLE],
            period_start=period.start,
        )
        .exclude(status=ReportStatus.DRAFT)
        .exclude(assignment=assignment)
        .select_related("assignment__department")
    )


def _fold(report: ProgressReport, report_ids: list[int]) -> None:
    if not report_ids:
        report.folded_reports.clear()
        return
    allowed = foldable_reports(report.assignment, Period(report.period_start, report.period_end))
    chosen = list(allowed.filter(pk__in=report_ids))
    if len(chosen) != len(set(report_ids)):
        raise ValidationError(_("只能汇总同一措施、同一报告期内配合单位已提交的报告。"))
    report.folded_reports.set(chosen)


def _submit(report: ProgressReport, user) -> None:
    """Send a report on: to the department's leader when the department has leader approval
    (unless a leader submits it), otherwise straight to the office."""
    department = report.assignment.department
    report.submitted_by, report.submitted_at = user, timezone.now()
    if department.requires_leader_approval and leads(user, report.assignment):
        report.status = ReportStatus.LEADER_APPROVED
        report.leader_approved_by, report.leader_approved_at = user, report.submitted_at
    else:
        report.status = ReportStatus.SUBMITTED
        if department.requires_leader_approval:
            leaders = department_members([department.pk], roles=[Role.LEADER]).get(department.pk, [])
            _tell(leaders, NotificationKind.REPORT_WAITING, report.assignment, "待审批报告",
                  f"{user.get_full_name() or user.username} 提交了本期进展报告，请审批后报送督查室。")
    if awaiting_office(report):
        _tell_office_of_report(report, user)
    report.version += 1
    report.save()
    if report.assignment.status == AssignmentStatus.PENDING:
        assignment = report.assignment
        assignment.status = AssignmentStatus.IN_PROGRESS
        assignment.acknowledged_at = assignment.acknowledged_at or report.submitted_at
        assignment.acknowledged_by = assignment.acknowledged_by or user
        assignment.save()


def submit_report(report: ProgressReport, user) -> ProgressReport:
    _require(works_on(user, report.assignment), _("只有承办单位可以提交报告。"))
    _require(report.assignment.status != AssignmentStatus.CLOSED, _("该任务已办结，无需再提交报告。"))
    with changing():
        locked = _lock(report)
        if locked.status not in EDITABLE:
            raise ConflictError(_("该报告已提交，无需重复提交。"))
        _submit(locked, user)
    return locked


def withdraw_report(report: ProgressReport, user, *, expected_version: int | None = None) -> ProgressReport:
    """撤回: the department takes a submitted report back to a draft while nobody has acted on it
    yet (no leader approval, no review); a decision made meanwhile wins with a ConflictError."""
    _require(works_on(user, report.assignment), _("只有承办单位可以撤回报告。"))
    with changing():
        locked = _lock(report, expected_version)
        if locked.status != ReportStatus.SUBMITTED:
            raise ConflictError(
                _("该报告已被处理（%(status)s），不能撤回。") % {"status": locked.get_status_display()}
            )
        locked.status = ReportStatus.DRAFT
        locked.submitted_by, locked.submitted_at = None, None
        locked.version += 1
        locked.save()
    return locked


def destination(report: ProgressReport) -> str:
    """Where a submitted report went, for the message after submitting it."""
    if awaiting_leader(report):
        return _("报告已提交，等待本单位负责人审批后报送督查室。")
    return _("报告已提交，已报送督查室审核。")


def awaiting_leader(report: ProgressReport) -> bool:
    return report.status == ReportStatus.SUBMITTED and report.assignment.department.requires_leader_approval


def awaiting_office(report: ProgressReport) -> bool:
    return report.status == ReportStatus.LEADER_APPROVED or (
        report.status == ReportStatus.SUBMITTED and not report.assignment.department.requires_leader_approval
    )


def _lock(report: ProgressReport, expected_version: int | None = None) -> ProgressReport:
    locked = ProgressReport.objects.select_for_update().select_related("assignment__department").get(pk=report.pk)
    if expected_version is not None and locked.version != expected_version:
        who = locked.reviewed_by or locked.leader_approved_by or locked.submitted_by
        raise ConflictError(
            _("该报告刚刚已被%(who)s处理（当前状态：%(status)s），您的操作未执行，请刷新后查看。")
            % {"who": who.get_full_name() or who.username if who else _("他人"), "status": locked.get_status_display()}
        )
    return locked


def leader_decide(
    report: ProgressReport, leader, *, approve: bool, comment: str, expected_version: int
) -> ProgressReport:
    """The department leader approves a submitted report (on to the office) or returns it."""
    _require(leads(leader, report.assignment), _("只有本单位负责人可以审批。"))
    with changing():
        locked = _lock(report, expected_version)
        if not awaiting_leader(locked):
            raise ConflictError(_("该报告当前不需要负责人审批。"))
        now = timezone.now()
        if approve:
            locked.status = ReportStatus.LEADER_APPROVED
            locked.leader_approved_by, locked.leader_approved_at = leader, now
            _tell_office_of_report(locked, leader)
        else:
            if not comment.strip():
                raise ValidationError(_("退回时请填写意见。"))
            locked.status = ReportStatus.RETURNED
            _tell_author(locked, f"单位负责人退回了本期报告：{comment.strip()}")
        locked.leader_comment = comment.strip()
        locked.version += 1
        locked.save()
    return locked


def review(report: ProgressReport, reviewer, *, accept: bool, comment: str, expected_version: int) -> ProgressReport:
    """The office accepts a report (its percent becomes the assignment's) or returns it with a comment."""
    _require(get_roles(reviewer).is_office, _("只有督查员可以审核报告。"))
    _require(oversees(reviewer, report.assignment_id), _("该报告不属于您所在领导小组的文件。"))
    comment = comment.strip()
    if not accept and not comment:
        raise ValidationError(_("退回时请填写审核意见。"))
    with changing():
        locked = _lock(report, expected_version)
        if not awaiting_office(locked):
            raise ConflictError(_("该报告当前不在待审核状态（%(status)s）。") % {"status": locked.get_status_display()})
        locked.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
        locked.reviewed_by, locked.reviewed_at, locked.review_comment = reviewer, timezone.now(), comment
        locked.version += 1
        locked.save()
        if not accept:
            _tell_author(locked, f"督查室退回了本期报告：{comment}")
        assignment = Assignment.objects.select_for_update().get(pk=locked.assignment_id)
        if accept and assignment.status != AssignmentStatus.CLOSED:
            # A signed-off assignment keeps its 100%: a late report does not reopen it.
            assignment.percent = locked.percent
            if assignment.status == AssignmentStatus.PENDING:
                assignment.status = AssignmentStatus.IN_PROGRESS
            assignment.save()
    return locked


def bulk_accept(report_ids: Iterable[int], reviewer) -> tuple[list[ProgressReport], list[str]]:
    """Accept many reports; each is its own transaction, so one conflict does not undo the rest."""
    accepted, problems = [], []
    for report in ProgressReport.objects.filter(pk__in=list(report_ids)).select_related("assignment__department"):
        try:
            accepted.append(review(report, reviewer, accept=True, comment="", expected_version=report.version))
        except ConflictError as exc:
            problems.append(f"{report.assignment.department}:{exc}")
    return accepted, problems


def bulk_leader_approve(report_ids: Iterable[int], leader) -> tuple[list[ProgressReport], list[str]]:
    """A leader approves many of the department's reports; each in its own transaction, so one
    conflict (someone withdrew or returned it meanwhile) does not undo the rest."""
    approved, problems = [], []
    for report in ProgressReport.objects.filter(pk__in=list(report_ids)).select_related(
            "assignment__department", "assignment__measure"):
        try:
            approved.append(leader_decide(report, leader, approve=True, comment="", expected_version=report.version))
        except ConflictError as exc:
            problems.append(f"{report.assignment.measure.number} {report.assignment.measure.title}：{exc}")
    return approved, problems


def bulk_urge(assignments: Iterable[Assignment], sender, message: str) -> list[Urge]:
    """催办 many assignments with one message, all or none."""
    with changing():
        return [urge(assignment, sender, message) for assignment in assignments]


def urge(assignment: Assignment, sender, message: str) -> Urge:
    """催办: the office reminds a department; the reminder is recorded (delivery is separate)."""
    _require(get_roles(sender).is_office, _("只有督查员可以催办。"))
    _require(oversees(sender, assignment.pk), _("该任务不属于您所在领导小组的文件。"))
    if not message.strip():
        raise ValidationError(_("请填写催办内容。"))
    with changing():
        urge_obj = Urge.objects.create(assignment=assignment, sent_by=sender, message=message.strip())
        members = department_members([assignment.department_id]).get(assignment.department_id, [])
        notify(
            Message(NotificationKind.URGE, f"催办：{assignment.measure.number} {assignment.measure.title}",
                    urge_obj.message, f"/tasks/{assignment.pk}/", assignment.pk),
            Audience(tuple(members), (assignment.department_id,)),
        )
    return urge_obj


def reply_to_urge(urge_obj: Urge, user, reply: str) -> Urge:
    _require(works_on(user, urge_obj.assignment), _("只有被催办的单位可以回复。"))
    if not reply.strip():
        raise ValidationError(_("请填写回复内容。"))
    with changing():
        locked = Urge.objects.select_for_update().get(pk=urge_obj.pk)
        locked.reply, locked.replied_by, locked.replied_at = reply.strip(), user, timezone.now()
        locked.save()
    return locked


def request_extension(assignment: Assignment, leader, new_deadline: datetime.date, reason: str) -> ExtensionRequest:
    """延期申请 by the department's leader; one pending request per assignment."""
    _require(leads(leader, assignment), _("只有本单位负责人可以申请延期。"))
    check_date(new_deadline)
    current = assignment.effective_deadline
    if not reason.strip():
        raise ValidationError(_("请填写延期理由。"))
    if new_deadline <= timezone.localdate() or (current and new_deadline <= current):
        raise ValidationError(_("申请的新时限必须晚于今天和原时限。"))
    if assignment.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
        raise ValidationError(_("已有待审批的延期申请，请等待督查室答复。"))
    with changing():
        extension = ExtensionRequest.objects.create(
            assignment=assignment, requested_by=leader, previous_deadline=current,
            requested_deadline=new_deadline, reason=reason.strip(),
        )
        _tell(_document_office(assignment), NotificationKind.EXTENSION_REQUESTED, assignment,
              f"延期申请（{assignment.department}）",
              f"{_name(leader)} 申请将时限由 {current:%Y年%m月%d日} 延至 {new_deadline:%Y年%m月%d日}：{extension.reason}"
              if current else f"{_name(leader)} 申请将时限定为 {new_deadline:%Y年%m月%d日}：{extension.reason}")
    return extension


def decide_extension(request: ExtensionRequest, reviewer, *, approve: bool, comment: str) -> ExtensionRequest:
    """The office approves (the new deadline applies, the old one stays in history) or refuses."""
    _require(get_roles(reviewer).is_office, _("只有督查员可以审批延期申请。"))
    _require(oversees(reviewer, request.assignment_id), _("该任务不属于您所在领导小组的文件。"))
    if not approve and not comment.strip():
        raise ValidationError(_("不批准时请说明理由。"))
    with changing():
        locked = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != ExtensionStatus.PENDING:
            raise ConflictError(_("该延期申请已处理。"))
        locked.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        locked.decided_by, locked.decided_at, locked.decision_comment = reviewer, timezone.now(), comment.strip()
        locked.save()
        if approve:
            assignment = Assignment.objects.select_for_update().get(pk=locked.assignment_id)
            assignment.deadline = locked.requested_deadline
            assignment.save()
        verdict = f"已批准，新时限为 {locked.requested_deadline:%Y年%m月%d日}" if approve else "未获批准"
        _tell([locked.requested_by_id] if locked.requested_by_id else [], NotificationKind.EXTENSION_DECIDED,
              locked.assignment, "延期申请结果", f"延期申请{verdict}。{locked.decision_comment}")
    return locked


def sign_off(assignment: Assignment, reviewer) -> Assignment:
    """办结 / 销号: the office confirms the assignment is done."""
    _require(get_roles(reviewer).is_office, _("只有督查员可以确认办结。"))
    _require(oversees(reviewer, assignment.pk), _("该任务不属于您所在领导小组的文件。"))
    with changing():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status == AssignmentStatus.CLOSED:
            raise ConflictError(_("该任务已办结。"))
        locked.status, locked.percent = AssignmentStatus.CLOSED, 100
        locked.closed_at, locked.closed_by = timezone.now(), reviewer
        locked.save()
    return locked


def _tell(user_ids, kind: str, assignment: Assignment, title: str, body: str) -> None:
    """An in-app message (and email, if wanted) to the given users about one assignment."""
    if user_ids:
        notify(
            Message(kind, f"{title}:{assignment.measure.number} {assignment.measure.title}", body,
                    f"/tasks/{assignment.pk}/", assignment.pk),
            Audience(tuple(user_ids)),
        )


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _tell_office_of_report(report: ProgressReport, sender) -> None:
    """A report has reached the office's queue: the office's reviewers are told."""
    _tell(_document_office(report.assignment), NotificationKind.REPORT_SENT, report.assignment,
          f"待审核报告（{report.assignment.department}）",
          f"{_name(sender)} 报送了 {report.period_start:%Y-%m-%d} 至 {report.period_end:%Y-%m-%d} 的进展报告"
          f"（进度 {report.percent}%），请审核。")


def _document_office(assignment: Assignment) -> list[int]:
    """The office of the assignment's document: its leading group's office (see
    ``notify.outbox.office_recipients``), or the general office for a document without a group."""
    group_id = Assignment.objects.filter(pk=assignment.pk).values_list("measure__document__group_id", flat=True).first()
    return document_office(group_id)


def _tell_author(report: ProgressReport, body: str) -> None:
    author = report.submitted_by_id or report.created_by_id
    _tell([author] if author else [], NotificationKind.REPORT_RETURNED, report.assignment, "报告被退回", body)
