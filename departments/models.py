"""The department directory (单位) and who works where (Membership)."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from departments.choices import DepartmentKind, GroupRole, Role


def normalize_name(name: str) -> str:
    """Fold full-width forms and white space so that （ and ( compare equal."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


class ShortNamed:
    """A named body of the directory: shown by its short name, both names stored normalised."""

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs) -> None:
        self.name = normalize_name(self.name)
        self.short_name = normalize_name(self.short_name)
        super().save(*args, **kwargs)


class DepartmentQuerySet(models.QuerySet["Department"]):
    def active(self) -> DepartmentQuerySet:
        return self.filter(is_active=True)

    def find(self, name: str) -> Department | None:
        """The department whose official name, short name or alias is exactly ``name``."""
        key = normalize_name(name)
        if not key:
            return None
        found = self.filter(models.Q(name=key) | models.Q(short_name=key)).first()
        if found is not None:
            return found
        alias = DepartmentAlias.objects.select_related("department").filter(name=key).first()
        return alias.department if alias else None


class Department(ShortNamed, models.Model):
    """A unit that can be assigned work: a bureau, a county, a zone, or a group of them."""

    name = models.CharField(_("单位全称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=DepartmentKind, default=DepartmentKind.BUREAU)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    members = models.ManyToManyField(
        "self",
        verbose_name=_("成员单位"),
        symmetrical=False,
        blank=True,
        related_name="member_of",
        help_text=_("仅集合单位（如 各县（市、区）政府）使用：其任务可展开到每个成员单位。"),
    )
    requires_leader_approval = models.BooleanField(
        _("报告需负责人审批"), default=False, help_text=_("开启后，填报员提交的报告先经部门负责人审批再报督查室。")
    )
    webhook_url = models.URLField(
        _("群机器人地址"), max_length=500, blank=True,
        help_text=_("企业微信或钉钉群机器人的 Webhook 地址；填写后本单位的提醒同时推送到群里。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="department_name_not_empty"),
        ]

    @property
    def is_group(self) -> bool:
        return self.kind == DepartmentKind.GROUP


class DepartmentAlias(models.Model):
    """Another name people write for a department (市发改委 for 市发展和改革委员会)."""

    department = models.ForeignKey(
        Department, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = models.CharField(_("别名"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("单位别名")
        verbose_name_plural = _("单位别名")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = normalize_name(self.name)
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A user's place in a department and the role they play there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="memberships"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role, default=Role.STAFF)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["department__sort_order", "department__name", Lower("user__username")]
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="membership_unique_user_department"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.department} · {self.get_role_display()}"


class LeadingGroup(ShortNamed, models.Model):
    """A leading group (领导小组) that drives a set of documents; its office reviews their work.

    Documents without a group belong to the general supervision office (督查室)."""

    name = models.CharField(_("领导小组名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    office_department = models.ForeignKey(
        Department, verbose_name=_("办公室所在单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="seated_groups", help_text=_("领导小组办公室设在哪个单位,例如 市发改委。"),
    )
    notify_general_office = models.BooleanField(
        _("同时通知督查室"), default=False,
        help_text=_("开启后,本小组文件的逾期督办、报告待审核和延期申请也通知督查室。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("领导小组")
        verbose_name_plural = _("领导小组")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="leading_group_name_not_empty"),
        ]



class GroupMembership(models.Model):
    """A user's role in one leading group: reviewer of its office, or leadership chairing it."""

    group = models.ForeignKey(
        LeadingGroup, verbose_name=_("领导小组"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(_("角色"), max_length=20, choices=GroupRole, default=GroupRole.OFFICE)

    class Meta:
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")
        ordering = ["group__name", Lower("user__username")]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="group_membership_unique_user_group"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.group} · {self.get_role_display()}"
