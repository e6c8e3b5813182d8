"""WSGI entry point (gunicorn policytrack.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policytrack.settings")
application = get_wsgi_application()
