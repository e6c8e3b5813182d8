"""Tracked work: assignments of measures to departments, their reports, evidence and extensions."""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from departments.models import Department
from departments.roles import any_of, get_roles
from documents.choices import ImportStatus
from documents.models import Indicator, Measure
from policytrack.bounds import date_validators
from tasks.choices import AssignmentRole, AssignmentStatus, ExtensionStatus, ReportStatus

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


def percent_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(percent__gte=0, percent__lte=100), name=name)


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def visible_to(self, user) -> AssignmentQuerySet:
        """The one scoping rule for assignments: the general office, city leadership and admins
        see all, a group's office and leadership the assignments of the group's documents,
        department users their own departments' assignments (of every group), anyone else nothing."""
        roles = get_roles(user)
        if roles.sees_everything:
            return self.all()
        return any_of(
            self,
            models.Q(measure__document__group_id__in=roles.oversees_groups) if roles.oversees_groups else None,
            models.Q(department_id__in=roles.department_ids) if roles.department_ids else None,
        )

    def open(self) -> AssignmentQuerySet:
        return self.exclude(status=AssignmentStatus.CLOSED)

    def by_urgency(self) -> AssignmentQuerySet:
        """Open work first, the soonest (so the most overdue) deadline first, no deadline after it,
        closed work last: the order of the index ``assignment_urgency``."""
        return self.order_by(CLOSED_LAST, F("due").asc(nulls_last=True), "id")

    def by_deadline(self) -> AssignmentQuerySet:
        """Soonest effective deadline first (the index ``assignment_due``)."""
        return self.order_by("due", "id")


CLOSED_LAST = Case(When(status=AssignmentStatus.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField())


class Assignment(models.Model):
    """A measure given to one department in one role (牵头 / 责任 / 配合)."""

    measure = models.ForeignKey(Measure, verbose_name=_("措施"), on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(
        Department, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("角色"), max_length=20, choices=AssignmentRole, default=AssignmentRole.RESPONSIBLE)
    status = models.CharField(_("状态"), max_length=20, choices=AssignmentStatus, default=AssignmentStatus.PENDING)
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0, validators=PERCENT_VALIDATORS)
    deadline = models.DateField(
        _("调整后时限"), null=True, blank=True, help_text=_("批准延期后的新时限；为空时以措施时限为准"),
        validators=date_validators(),
    )
    due = models.DateField(
        _("有效时限"), null=True, blank=True, editable=False,
        help_text=_("批准的延期时限，否则措施时限；由系统维护，列表按它排序和筛选"),
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签收人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办结确认人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务分工")
        verbose_name_plural = _("任务分工")
        ordering = ["measure__document", "measure__order", "measure_id", "role", "department__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "department"], name="assignment_unique_measure_department"),
            percent_constraint("assignment_percent_0_100"),
        ]
        indexes = [
            # the review queue's "not yet acknowledged" list, oldest first
            models.Index(fields=["created_at"], condition=models.Q(status=AssignmentStatus.PENDING),
                         name="assignment_unacknowledged"),
            # lists ordered and filtered by the effective deadline, city-wide and per department
            models.Index(fields=["due", "id"], name="assignment_due"),
            models.Index(fields=["department", "due"], name="assignment_department_due"),
            # ascending puts nulls last in PostgreSQL, as by_urgency asks (SQLite cannot index NULLS LAST)
            models.Index(CLOSED_LAST, F("due"), F("id"), name="assignment_urgency"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.number} {self.measure.title} · {self.department}({self.get_role_display()})"

    def save(self, *args, **kwargs) -> None:
        """Store the effective deadline in ``due`` with every save (a change of the measure's own
        deadline is carried to its assignments by ``tasks.rollups``)."""
        self.due = self.effective_deadline
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "due" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "due"]
        super().save(*args, **kwargs)

    @property
    def effective_deadline(self) -> datetime.date | None:
        """The deadline that counts: an approved extension wins over the measure's own."""
        return self.deadline or self.measure.deadline


class ProgressReportQuerySet(models.QuerySet["ProgressReport"]):
    def visible_to(self, user) -> ProgressReportQuerySet:
        """Department users see their own departments' reports, drafts included, and, where they
        lead a measure, the other departments' sent reports on it (to fold into their own); the
        general office, city leadership and admins see every report that has left its
        department's drafts, a group's office and leadership those of the group's documents."""
        roles = get_roles(user)
        if roles.sees_everything:
            return self.exclude(status=ReportStatus.DRAFT)
        sent = ~models.Q(status=ReportStatus.DRAFT)
        groups = own = on_led_measures = None
        if roles.oversees_groups:
            groups = models.Q(assignment__measure__document__group_id__in=roles.oversees_groups) & sent
        if roles.department_ids:
            led = Assignment.objects.filter(department_id__in=roles.department_ids, role=AssignmentRole.LEAD)
            own = models.Q(assignment__department_id__in=roles.department_ids)
            on_led_measures = models.Q(assignment__measure_id__in=led.values("measure_id")) & sent
        return any_of(self, groups, own, on_led_measures)


class ProgressReport(models.Model):
    """A department's progress on one assignment for one reporting period (填报)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("任务分工"), on_delete=models.CASCADE, related_name="reports"
    )
    period_start = models.DateField(_("报告期开始"))
    period_end = models.DateField(_("报告期结束"))
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0, validators=PERCENT_VALIDATORS)
    status = models.CharField(_("状态"), max_length=20, choices=ReportStatus, default=ReportStatus.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    leader_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批负责人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    leader_approved_at = models.DateTimeField(_("负责人审批时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    leader_comment = models.TextField(_("负责人意见"), blank=True)
    folded_reports = models.ManyToManyField(
        "self",
        verbose_name=_("汇总的配合单位报告"),
        symmetrical=False,
        blank=True,
        related_name="folded_into",
        help_text=_("牵头单位汇总进本报告的配合单位报告，督查室据此阅读一份综合报告。"),
    )
    history = HistoricalRecords()

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "period_start"], name="report_unique_assignment_period"),
            percent_constraint("report_percent_0_100"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="report_period_ordered"
            ),
        ]
        indexes = [
            # the office's review queue, oldest first (tasks.workflow.queues.office_queue); its count reads
            # the index alone (assignment and status in the key: SQLite has no INCLUDE)
            models.Index(fields=["submitted_at", "id", "assignment", "status"], name="report_waiting_for_review",
                         condition=models.Q(status__in=[ReportStatus.SUBMITTED, ReportStatus.LEADER_APPROVED])),
            # the dashboard reads one window's reports (tasks.dashboard.counting._reports_of)
            models.Index(fields=["period_start"], name="report_period_start"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment.department} · {self.period_start:%Y-%m-%d}~{self.period_end:%Y-%m-%d}"


class IndicatorValue(models.Model):
    """The actual value of an indicator that a report states."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进展报告"), on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("实际值"), max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = _("指标实际值")
        verbose_name_plural = _("指标实际值")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="indicator_value_unique_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.value.normalize():f}"


def evidence_path(instance: Attachment, filename: str) -> str:
    """Store evidence under a random name: the original name is kept in the row, never on disk."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """An evidence file attached to a report (optional: reporting rules forbid requiring it)."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进展报告"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Urge(models.Model):
    """A reminder the office sends a department about one assignment (催办), with its reply."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("任务分工"), on_delete=models.CASCADE, related_name="urges"
    )
    message = models.TextField(_("催办内容"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("催办人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("催办时间"), auto_now_add=True)
    reply = models.TextField(_("回复"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("回复人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("催办")
        verbose_name_plural = _("催办")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment.department} · {self.sent_at:%Y-%m-%d}"


class ExtensionRequest(models.Model):
    """A request to move an assignment's deadline (延期申请), decided by the office."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("任务分工"), on_delete=models.CASCADE, related_name="extension_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    previous_deadline = models.DateField(_("原时限"), null=True, blank=True)
    requested_deadline = models.DateField(_("申请延至"), validators=date_validators())
    reason = models.TextField(_("申请理由"))
    status = models.CharField(_("状态"), max_length=20, choices=ExtensionStatus, default=ExtensionStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_comment = models.TextField(_("审批意见"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=models.Q(status=ExtensionStatus.PENDING),
                name="extension_one_pending_per_assignment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment.department} → {self.requested_deadline:%Y-%m-%d}"


class SpreadsheetImport(models.Model):
    """One upload of a task spreadsheet (任务分解表): its rows and the admin's choices (rows to
    skip, unknown unit names mapped to departments), kept between the preview and the confirmation."""

    document = models.ForeignKey(
        "documents.PolicyDocument", verbose_name=_("政策文件"), on_delete=models.CASCADE,
        related_name="spreadsheet_imports",
    )
    source_name = models.CharField(_("文件名"), max_length=200)
    rows = models.JSONField(_("表格内容"), default=list, help_text=_("上传表格的全部行，导入时重新校验"))
    skipped_rows = models.JSONField(_("跳过的行"), default=list, blank=True)
    unit_map = models.JSONField(_("单位对应"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ImportStatus, default=ImportStatus.DRAFT)
    result = models.JSONField(_("导入结果"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("表格导入")
        verbose_name_plural = _("表格导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source_name} → {self.document_id}"


# Notification models live in their own module; importing them here registers them with Django.
from tasks.notify.models import (  # noqa: E402, F401
    CalendarToken,
    Delivery,
    Notification,
    NotificationPreference,
    Reminder,
    ReminderSettings,
)


class BulletinQuerySet(models.QuerySet["Bulletin"]):
    def visible_to(self, user) -> BulletinQuerySet:
        """The general office sees every bulletin, drafts included, a group's office the drafts of
        its group; anyone with a role the published ones."""
        roles = get_roles(user)
        if roles.is_general_office:
            return self.all()
        if not roles.roles:
            return self.none()
        mine = None
        if roles.is_office:
            mine = models.Q(group_id__in=roles.group_ids) | models.Q(created_by=user)
        return any_of(self, models.Q(is_published=True), mine)


class Bulletin(models.Model):
    """A bulletin (通报) for one period: a snapshot of the numbers, published to every department."""

    period = models.CharField(_("期间"), max_length=10, help_text=_("月份 2026-06、季度 2026-Q2 或年份 2026"))
    group = models.ForeignKey(
        "departments.LeadingGroup", verbose_name=_("领导小组"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="bulletins", help_text=_("发布通报的领导小组办公室;为空时为督查室发布。"),
    )
    period_start = models.DateField(_("期间开始"))
    period_end = models.DateField(_("期间结束"))
    title = models.CharField(_("标题"), max_length=200)
    content = models.JSONField(_("内容快照"), default=dict, help_text=_("生成时的汇总、逾期事项、单位排名和办结措施"))
    # The parts of the official document (公文) the office writes or checks before publishing.
    issuer = models.CharField(_("发文机关"), max_length=100, default="政策落实工作领导小组办公室",
                              help_text=_("红头和落款上的机关名称"))
    doc_number = models.CharField(_("文号"), max_length=60, blank=True, help_text=_("例如：督查通报〔2026〕3号"))
    recipients = models.CharField(_("主送"), max_length=300, default="各有关单位")
    foreword = models.TextField(_("按语"), blank=True, help_text=_("正文前的说明，可不填"))
    next_steps = models.TextField(_("下一步工作"), blank=True, help_text=_("每段一项工作要求，可不填"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    is_published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-period_start", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_published=False) | models.Q(published_at__isnull=False),
                name="bulletin_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ChangeCounter(models.Model):
    """How many committed transactions have changed what the dashboards count (tasks.changes)."""

    name = models.CharField(_("名称"), max_length=40, primary_key=True)
    value = models.BigIntegerField(_("计数"), default=0)

    class Meta:
        verbose_name = _("变更计数")
        verbose_name_plural = _("变更计数")

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


# The dashboard's summary rows live with the code that keeps them.
from tasks.rollups.models import (  # noqa: E402, F401
    DocumentTally,
    LifeTally,
    MeasureTally,
    ReportTally,
    StateTally,
    TrendTally,
)
