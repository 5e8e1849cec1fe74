"""Bulk import of registrations, for operators and Bappeda. Included at `saya/impor/` with namespace `imports`."""

from django.urls import path

from . import import_views

app_name = "imports"
urlpatterns = [
    path("", import_views.index, name="index"),
    path("contoh.csv", import_views.example, name="example"),
    path("<int:pk>/", import_views.detail, name="detail"),
    path("<int:pk>/kesalahan.csv", import_views.error_report, name="error_report"),
    path("<int:pk>/simpan/", import_views.commit, name="commit"),
    path("<int:pk>/buang/", import_views.discard, name="discard"),
]
