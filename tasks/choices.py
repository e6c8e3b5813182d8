"""Choice lists of the tasks app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("牵头单位")
    RESPONSIBLE = "responsible", _("责任单位")
    SUPPORTING = "supporting", _("配合单位")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("待签收")
    IN_PROGRESS = "in_progress", _("推进中")
    CLOSED = "closed", _("已办结")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    LEADER_APPROVED = "leader_approved", _("负责人已审批")
    ACCEPTED = "accepted", _("已通过")
    RETURNED = "returned", _("已退回")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
