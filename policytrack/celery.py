"""The Celery application: settings under the CELERY_ namespace, tasks found per app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policytrack.settings")

app = Celery("policytrack")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
