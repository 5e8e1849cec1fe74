from django.urls import path

from . import views

app_name = "batches"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:code>/", views.batch_detail, name="detail"),
]
