"""The nightly check of the rollups (beat schedule: tasks migration 0016)."""

from __future__ import annotations

import logging

from celery import shared_task

from tasks.rollups.rebuild import check

logger = logging.getLogger(__name__)


@shared_task(name="tasks.tasks.rebuild_rollups", acks_late=True, ignore_result=True)
def rebuild_rollups() -> dict:
    """Recompute every tally, log and repair any drift; returns the drift per tally."""
    drift = check(repair=True)
    if drift.total:
        logger.warning("rollups drifted and were repaired: %s",
                       {name: len(rows) for name, rows in drift.differing.items()})
    return {name: len(rows) for name, rows in drift.differing.items()}
