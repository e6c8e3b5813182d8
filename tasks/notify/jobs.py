"""The periodic Celery tasks of the outbox: the daily reminder sweep and the retry of failed
deliveries. Their names are the ones they had in tasks.tasks, because the periodic schedules
(django-celery-beat rows written by migration 0005) and queued messages refer to them."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from tasks.notify import delivery, reminders
from tasks.notify.outbox import queue_deliveries


@shared_task(name="tasks.tasks.run_reminder_sweep", acks_late=True, ignore_result=True)
def run_reminder_sweep() -> dict:
    """The daily sweep (08:30 Asia/Shanghai by default, editable in the admin's periodic tasks)."""
    return reminders.run_sweep(timezone.localdate(), dispatch=True).as_dict()


@shared_task(name="tasks.tasks.retry_deliveries", acks_late=True, ignore_result=True)
def retry_deliveries() -> int:
    """Queue what failed and is due again, or was never queued; runs every few minutes."""
    return queue_deliveries(delivery.due_for_retry())
