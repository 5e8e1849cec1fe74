"""Wiring only: settings, URLs, WSGI/ASGI entry points."""
