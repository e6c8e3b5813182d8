"""Choice lists of the departments app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DepartmentKind(models.TextChoices):
    BUREAU = "bureau", _("委办局")
    COUNTY = "county", _("县（市、区）")
    ZONE = "zone", _("开发区/园区")
    COMPANY = "company", _("企业")
    GROUP = "group", _("集合单位")
    OTHER = "other", _("其他")


class Role(models.TextChoices):
    STAFF = "staff", _("填报员")
    LEADER = "leader", _("部门负责人")
    OFFICE = "office", _("督查员")
    LEADERSHIP = "leadership", _("领导")
    ADMIN = "admin", _("管理员")


class GroupRole(models.TextChoices):
    """A person's place in a leading group: a reviewer of its office or leadership chairing it."""

    OFFICE = "office", _("领导小组办公室督查员")
    LEADERSHIP = "leadership", _("领导小组领导")
