"""Sending outbox rows: claim one, send it through its transport, record the outcome.

A delivery is claimed under a row lock and only while pending or failed, so a task that runs
twice (a redelivered message, a retry racing the periodic sweep) sends it once."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tasks.notify.models import Delivery, DeliveryStatus
from tasks.notify.transports import TRANSPORTS, TransportError

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 3600
NEVER_QUEUED_AFTER = datetime.timedelta(minutes=2)


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS))


def deliver_one(delivery_id: int) -> bool:
    """Send one delivery if it still needs sending; True when it was sent by this call."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED])
            .first()
        )
        if delivery is None:
            return False
        delivery.attempts += 1
        now = timezone.now()
        try:
            TRANSPORTS[delivery.channel].send(delivery)
        except TransportError as exc:
            delivery.last_error = str(exc)[:2000]
            if exc.permanent or delivery.attempts >= MAX_ATTEMPTS:
                delivery.status, delivery.next_attempt_at = DeliveryStatus.DEAD, None
            else:
                delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, now + backoff(delivery.attempts)
            delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            logger.warning("Delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, exc)
            return False
        delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.SENT, now, ""
        delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return True


def due_for_retry(
    now: datetime.datetime | None = None, pending_older_than: datetime.timedelta = NEVER_QUEUED_AFTER
) -> list[int]:
    """Failed deliveries whose backoff has passed, and pending ones that were never picked up
    (the broker was away when they were written, or the run that wrote them died). The
    synchronous ``run_reminders`` takes every pending one (``pending_older_than`` zero): the
    claim in ``deliver_one`` keeps a worker sending the same row at once from sending it twice."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(
            Q(status=DeliveryStatus.FAILED, next_attempt_at__lte=now)
            | Q(status=DeliveryStatus.PENDING, created_at__lte=now - pending_older_than)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:5000]
    )


@shared_task(name="tasks.tasks.deliver", acks_late=True, ignore_result=True)
def deliver(delivery_id: int) -> bool:
    """Send one outbox row (email or webhook); failures are recorded on the row for retry. The
    task keeps the name it had when it was defined in tasks.tasks: queued messages carry it."""
    return deliver_one(delivery_id)
