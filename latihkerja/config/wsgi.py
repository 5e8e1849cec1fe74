"""WSGI entry point (gunicorn latihkerja.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "latihkerja.config.settings.prod")
application = get_wsgi_application()
