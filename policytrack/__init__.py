"""PolicyTrack: follow a government policy document through to done."""

from .celery import app as celery_app

__all__ = ["celery_app"]
