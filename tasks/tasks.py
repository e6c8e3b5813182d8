"""Celery tasks, found here by autodiscovery. They are defined where their work is (the outbox's
sending in tasks.notify.delivery, the periodic sweeps in tasks.notify.jobs, the nightly rollup
check in tasks.rollups.jobs) under the names they have always had (``tasks.tasks.deliver`` …).
They take ids, never model instances."""

from tasks.notify.delivery import deliver
from tasks.notify.jobs import retry_deliveries, run_reminder_sweep
from tasks.rollups.jobs import rebuild_rollups

__all__ = ["deliver", "rebuild_rollups", "retry_deliveries", "run_reminder_sweep"]
