"""Policy documents and what they are made of: sections, measures, milestones, indicators."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from departments.roles import any_of, get_roles
from documents.choices import Comparator, DocumentStatus, ImportStatus, Recurrence
from policytrack.bounds import date_validators


def text_fingerprint(text: str) -> str:
    """A hash of the source text with white space removed, to recognise a re-import."""
    return hashlib.sha256("".join((text or "").split()).encode("utf-8")).hexdigest()


class PolicyDocumentQuerySet(models.QuerySet["PolicyDocument"]):
    def visible_to(self, user) -> PolicyDocumentQuerySet:
        """The one scoping rule for documents: the general office, city leadership and admins see
        all, a group's office and leadership the group's documents, department users the
        documents on which their departments have an assignment."""
        roles = get_roles(user)
        if roles.sees_everything:
            return self.all()
        groups = departments = None
        if roles.oversees_groups:
            groups = models.Q(group_id__in=roles.oversees_groups)
        if roles.department_ids:
            # A subquery, not a join: a document with many assignments must appear once.
            assigned = PolicyDocument.objects.filter(measures__assignments__department_id__in=roles.department_ids)
            departments = models.Q(pk__in=assigned.values("pk"))
        return any_of(self, groups, departments)


class PolicyDocument(models.Model):
    """A policy document (实施意见 / 实施方案 / 行动计划) whose measures are tracked."""

    title = models.CharField(_("标题"), max_length=300)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True, help_text=_("例如 赣市府办字〔2020〕38号"))
    issuer = models.CharField(_("发文机关"), max_length=300, blank=True)
    issued_date = models.DateField(_("成文日期"), null=True, blank=True)
    source_text = models.TextField(_("原文"), blank=True)
    source_hash = models.CharField(_("原文指纹"), max_length=64, blank=True, db_index=True, editable=False)
    group = models.ForeignKey(
        "departments.LeadingGroup",
        verbose_name=_("领导小组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("负责推进本文件的领导小组;为空时由督查室统筹。"),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="implementations",
        help_text=_("本文件贯彻落实的上级文件"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=DocumentStatus, default=DocumentStatus.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["source_text"])

    objects = PolicyDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        ordering = ["-issued_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["doc_number"], condition=~models.Q(doc_number=""), name="document_unique_doc_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}({self.doc_number})" if self.doc_number else self.title

    def save(self, *args, **kwargs) -> None:
        self.source_hash = text_fingerprint(self.source_text) if self.source_text else ""
        super().save(*args, **kwargs)


class Section(models.Model):
    """A heading of a document (一、 / (一) / 1.); sections form a tree above the measures."""

    document = models.ForeignKey(
        PolicyDocument, verbose_name=_("政策文件"), on_delete=models.CASCADE, related_name="sections"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级标题"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    number = models.CharField(_("编号"), max_length=20, blank=True)
    title = models.CharField(_("标题"), max_length=300)
    level = models.PositiveSmallIntegerField(_("层级"), default=1)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("章节")
        verbose_name_plural = _("章节")
        ordering = ["document", "order"]

    def __str__(self) -> str:
        return f"{self.number}{self.title}"


class MeasureQuerySet(models.QuerySet["Measure"]):
    def visible_to(self, user) -> MeasureQuerySet:
        """The one scoping rule for measures: the general office, city leadership and admins see
        all, a group's office and leadership the measures of the group's documents, department
        users the measures on which their departments have an assignment."""
        roles = get_roles(user)
        if roles.sees_everything:
            return self.all()
        groups = departments = None
        if roles.oversees_groups:
            groups = models.Q(document__group_id__in=roles.oversees_groups)
        if roles.department_ids:
            assigned = Measure.objects.filter(assignments__department_id__in=roles.department_ids)
            departments = models.Q(pk__in=assigned.values("pk"))
        return any_of(self, groups, departments)


class Measure(models.Model):
    """A numbered work item (措施 / 任务) of a document: the unit that departments are assigned."""

    document = models.ForeignKey(
        PolicyDocument, verbose_name=_("政策文件"), on_delete=models.CASCADE, related_name="measures"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("所属章节"), null=True, blank=True, on_delete=models.SET_NULL, related_name="measures"
    )
    number = models.CharField(_("编号"), max_length=30, help_text=_("按原文印刷的编号，如 3 或 四.（二）"))
    title = models.CharField(_("标题"), max_length=300)
    content = models.TextField(_("内容"), blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True, validators=date_validators())
    deadline_text = models.CharField(_("时限原文"), max_length=200, blank=True)
    is_ongoing = models.BooleanField(_("持续推进"), default=False, help_text=_("长期坚持、持续推进，无固定完成日期"))
    recurrence = models.CharField(_("报告周期"), max_length=20, choices=Recurrence, default=Recurrence.NONE, blank=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    history = HistoricalRecords()

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("措施")
        verbose_name_plural = _("措施")
        ordering = ["document", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="measure_unique_number_per_document"),
        ]
        # which recurrences are in use, one index lookup each (tasks.dashboard.counting)
        indexes = [models.Index(fields=["recurrence"], name="measure_recurrence")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Milestone(models.Model):
    """An intermediate date inside a measure (2020年5月底前制定方案)."""

    measure = models.ForeignKey(Measure, verbose_name=_("措施"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点内容"), max_length=300)
    due_date = models.DateField(_("节点日期"), validators=date_validators())
    phrase = models.CharField(_("时间原文"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")
        ordering = ["measure", "due_date", "order"]

    def __str__(self) -> str:
        return f"{self.due_date:%Y-%m-%d} {self.title}"


class Indicator(models.Model):
    """A quantitative target of a measure (营业收入超5000亿元, 到2022年)."""

    measure = models.ForeignKey(Measure, verbose_name=_("措施"), on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("指标名称"), max_length=200)
    comparator = models.CharField(_("比较方式"), max_length=10, choices=Comparator, default=Comparator.GTE)
    target_value = models.DecimalField(
        _("目标值"), max_digits=18, decimal_places=4, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("单位"), max_length=30, blank=True)
    due_date = models.DateField(_("完成日期"), null=True, blank=True, validators=date_validators())
    phrase = models.CharField(_("原文"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["measure", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.get_comparator_display()} {self.target_value.normalize():f}{self.unit}"


class DocumentImport(models.Model):
    """One run of the import wizard: the source text, the parser's plan as the admin corrects
    it, and, once confirmed, the document it created or updated."""

    source_name = models.CharField(_("来源"), max_length=200, blank=True)
    source_text = models.TextField(_("原文"))
    plan = models.JSONField(_("导入方案"), default=dict)
    status = models.CharField(_("状态"), max_length=20, choices=ImportStatus, default=ImportStatus.DRAFT)
    document = models.ForeignKey(
        PolicyDocument, verbose_name=_("政策文件"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="imports",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("文件导入")
        verbose_name_plural = _("文件导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.plan.get("title") or self.source_name or f"#{self.pk}"
