"""Choice lists of the documents app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("执行中")
    ARCHIVED = "archived", _("已归档")


class Recurrence(models.TextChoices):
    NONE = "", _("不重复")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    BIMONTHLY = "bimonthly", _("每两个月")
    QUARTERLY = "quarterly", _("每季度")
    YEARLY = "yearly", _("每年")


class Comparator(models.TextChoices):
    GT = "gt", _("超过")
    GTE = "gte", _("不低于")
    EQ = "eq", _("达到")
    LTE = "lte", _("不高于")
    LT = "lt", _("低于")


class ImportStatus(models.TextChoices):
    DRAFT = "draft", _("待确认")
    APPLIED = "applied", _("已导入")
    DISCARDED = "discarded", _("已放弃")
