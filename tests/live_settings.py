"""Settings of the server processes that tests start (tests/test_two_servers.py): production's
own (DEBUG off, the cache in Redis from REDIS_URL, sessions and lockouts in the database), with
two differences that have nothing to do with what those tests look at. Static files are served
unhashed, so that no `collectstatic` (a minute of compression) is needed before a page renders;
and Celery runs its tasks in the process, so that no test leaves messages in a shared broker."""

from policytrack.settings import *  # noqa: F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
