"""Notifications: the in-app inbox, the outbox of deliveries (email, department webhook), the
reminder ledger that makes the sweep idempotent, the office's reminder rules, each user's
channel choices and calendar feed token. Imported by tasks.models so Django sees them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    APPROACHING = "approaching", _("临期提醒")
    MILESTONE = "milestone", _("节点提醒")
    OVERDUE = "overdue", _("逾期督办")
    REPORT_DUE = "report_due", _("填报提醒")
    UNACKNOWLEDGED = "unacknowledged", _("签收提醒")
    URGE = "urge", _("催办")
    DIGEST = "digest", _("每周摘要")
    REPORT_WAITING = "report_waiting", _("待审批报告")
    REPORT_RETURNED = "report_returned", _("报告退回")
    EXTENSION_DECIDED = "extension_decided", _("延期审批结果")
    NEW_WORK = "new_work", _("新任务")
    REPORT_SENT = "report_sent", _("待审核报告")
    EXTENSION_REQUESTED = "extension_requested", _("延期申请")


class Notification(models.Model):
    """One message in one user's notification centre (站内消息)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=30, choices=NotificationKind)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    assignment = models.ForeignKey(
        "tasks.Assignment", verbose_name=_("任务分工"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.title}"


class Channel(models.TextChoices):
    EMAIL = "email", _("邮件")
    WEBHOOK = "webhook", _("群机器人")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败，将重试")
    DEAD = "dead", _("发送失败，已放弃")


class Delivery(models.Model):
    """An outbox row: one message to send on one channel. Written in the same transaction as the
    change that causes it; a Celery task sends it and records the outcome."""

    channel = models.CharField(_("渠道"), max_length=20, choices=Channel)
    notification = models.ForeignKey(
        Notification, verbose_name=_("站内消息"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="deliveries",
    )
    department = models.ForeignKey(
        "departments.Department", verbose_name=_("单位"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="deliveries",
    )
    address = models.CharField(_("地址"), max_length=500)
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"))
    link = models.CharField(_("链接"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息投递")
        verbose_name_plural = _("消息投递")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.address} · {self.get_status_display()}"


class Reminder(models.Model):
    """The ledger of reminders the sweep has made. ``key`` is unique per (kind, assignment, target
    date, offset), so a sweep that runs twice, concurrently, or dies half way makes each once."""

    key = models.CharField(_("去重键"), max_length=120, unique=True)
    kind = models.CharField(_("类型"), max_length=30, choices=NotificationKind)
    assignment = models.ForeignKey(
        "tasks.Assignment", verbose_name=_("任务分工"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="reminders",
    )
    target_date = models.DateField(_("目标日期"))
    offset = models.IntegerField(_("提前/逾期天数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("提醒记录")
        verbose_name_plural = _("提醒记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.key


class ReminderSettings(models.Model):
    """The office's reminder rules (one row, edited in the admin)."""

    approaching_offsets = models.CharField(
        _("临期提醒提前天数"), max_length=50, default="7,3,1",
        help_text=_("逗号分隔，对最终时限和时间节点都适用，如 7,3,1"),
    )
    approaching_enabled = models.BooleanField(_("启用临期提醒"), default=True)
    overdue_enabled = models.BooleanField(_("启用逾期督办"), default=True)
    overdue_repeat_days = models.PositiveSmallIntegerField(
        _("逾期督办间隔（天）"), default=7, validators=[MinValueValidator(1)],
        help_text=_("逾期次日第一次督办，之后每隔这么多天再督办一次；发给单位负责人和督查室"),
    )
    report_due_enabled = models.BooleanField(_("启用填报提醒"), default=True)
    report_due_days_before = models.PositiveSmallIntegerField(
        _("报告期结束前几天提醒填报"), default=3, validators=[MaxValueValidator(60)]
    )
    unacknowledged_enabled = models.BooleanField(_("启用签收提醒"), default=True)
    unacknowledged_after_days = models.PositiveSmallIntegerField(
        _("分配后几天未签收即提醒"), default=2, validators=[MinValueValidator(1)]
    )
    digest_enabled = models.BooleanField(_("启用每周摘要"), default=True)
    digest_weekday = models.PositiveSmallIntegerField(
        _("每周摘要发送日"), default=0, validators=[MaxValueValidator(6)], help_text=_("0 为周一，6 为周日")
    )
    skip_weekends = models.BooleanField(
        _("周末不发提醒"), default=True, help_text=_("周五提前发出落在周末的提醒，周末补发的在周一发出")
    )

    class Meta:
        verbose_name = _("提醒规则")
        verbose_name_plural = _("提醒规则")

    def __str__(self) -> str:
        return str(_("提醒规则"))

    @classmethod
    def load(cls) -> ReminderSettings:
        return cls.objects.order_by("pk").first() or cls.objects.create()

    def offsets(self) -> list[int]:
        values = set()
        for part in self.approaching_offsets.replace(",", ",").split(","):
            if part.strip().isdigit():
                values.add(int(part))
        return sorted(values)


class NotificationPreference(models.Model):
    """The channels a user wants besides the notification centre, which is always on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("邮件通知"), default=True)

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")

    def __str__(self) -> str:
        return str(self.user)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in a user's personal calendar feed URL; renewing it revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(_("令牌"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("创建时间"), auto_now=True)

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self) -> str:
        return str(self.user)
