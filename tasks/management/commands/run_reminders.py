"""run_reminders [--today YYYY-MM-DD]: the reminder sweep, run here and now."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tasks.notify.delivery import deliver_one, due_for_retry
from tasks.notify.models import Delivery, DeliveryStatus
from tasks.notify.reminders import run_sweep


class Command(BaseCommand):
    help = (
        "运行一次提醒扫描(与每日定时任务相同的逻辑),并在本进程内直接发送产生的通知。"
        "输出 JSON:created 为本次新建的提醒数,delivered 为本次发出的通知数,"
        "earlier_deliveries_sent 为此前运行遗留(待发或到期重试)并在本次发出的数量。同一天再次运行不会重复提醒。"
        " / Run the reminder sweep synchronously; prints {created, delivered}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按这一天运行(YYYY-MM-DD),默认今天")

    def handle(self, *args, today=None, **options):
        day = self._day(today)
        result = run_sweep(day, dispatch=False)
        sent = [delivery_id for delivery_id in result.deliveries if deliver_one(delivery_id)]
        # What an earlier run left pending (it crashed, or the broker was away) or failed and is
        # due again: a deployment that runs only this command from cron loses nothing.
        mine = set(result.deliveries)
        earlier = [pk for pk in due_for_retry(pending_older_than=datetime.timedelta(0)) if pk not in mine]
        earlier_sent = [delivery_id for delivery_id in earlier if deliver_one(delivery_id)]
        failed = Delivery.objects.filter(pk__in=result.deliveries).exclude(status=DeliveryStatus.SENT).count()
        summary = {
            "today": day.isoformat(),
            "created": result.created,
            "delivered": self._notifications_delivered(result),
            "deliveries_sent": len(sent),
            "deliveries_failed": failed,
            "earlier_deliveries_sent": len(earlier_sent),
            "skipped_weekend": result.skipped_weekend,
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))

    @staticmethod
    def _day(text):
        if not text:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError as exc:
            raise CommandError(f"--today 应为 YYYY-MM-DD 格式的日期，收到 {text!r}") from exc

    @staticmethod
    def _notifications_delivered(result) -> int:
        """Notifications of this run that reached every channel: the in-app message is there as
        soon as it is written, so a notification counts once all its outbox rows were sent."""
        unsent = set(
            Delivery.objects.filter(pk__in=result.deliveries, notification__isnull=False)
            .exclude(status=DeliveryStatus.SENT)
            .values_list("notification_id", flat=True)
        )
        return len([pk for pk in result.notifications if pk not in unsent])
