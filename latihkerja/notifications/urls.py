from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("outbox/", views.dev_outbox, name="dev_outbox"),
]
