from django.urls import path  # noqa: F401

app_name = "training"
urlpatterns: list = []  # type: ignore[type-arg]
