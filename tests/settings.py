"""Test settings: the project's settings with a fast hasher, eager Celery and a private media root."""

import tempfile

from policytrack.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = tempfile.mkdtemp(prefix="policytrack-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="policytrack-static-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SECURE_SSL_REDIRECT = False
# Tests keep their cache in memory: xdist workers must not share one Redis cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A test case runs in one transaction whose commit never comes, so the change counter that keys
# cached dashboards would not move: tests compute them afresh, and tests/test_dashboard_cache.py
# turns the cache on where it is the subject.
DASHBOARD_CACHE_SECONDS = 0
# Login throttling is exercised by its own test (override_settings(AXES_ENABLED=True)); elsewhere
# the test client's login() carries no request, which django-axes would refuse.
AXES_ENABLED = False
# The calendar feed is cached under the same change counter: computed afresh in tests too.
CALENDAR_CACHE_SECONDS = 0
