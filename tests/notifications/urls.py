"""The root URLconf plus the development outbox, until the root URLconf includes it under `dev/`."""

from django.urls import include, path

from latihkerja.config.urls import urlpatterns as root_urlpatterns

urlpatterns = list(root_urlpatterns)
if not any(getattr(pattern, "namespace", None) == "notifications" for pattern in root_urlpatterns):
    urlpatterns.append(path("dev/", include("latihkerja.notifications.urls")))
