"""Celery tasks. They take ids, never model instances, and call plain functions."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from tasks.notify import delivery, reminders
from tasks.notify.outbox import queue_deliveries


@shared_task(acks_late=True, ignore_result=True)
def deliver(delivery_id: int) -> bool:
    """Send one outbox row (email or webhook); failures are recorded on the row for retry."""
    return delivery.deliver_one(delivery_id)


@shared_task(acks_late=True, ignore_result=True)
def run_reminder_sweep() -> dict:
    """The daily sweep (08:30 Asia/Shanghai by default, editable in the admin's periodic tasks)."""
    return reminders.run_sweep(timezone.localdate(), dispatch=True).as_dict()


@shared_task(acks_late=True, ignore_result=True)
def retry_deliveries() -> int:
    """Queue what failed and is due again, or was never queued; runs every few minutes."""
    return queue_deliveries(delivery.due_for_retry())
