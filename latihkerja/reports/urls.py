from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("csv/<slug:dimension>/", views.breakdown_csv, name="breakdown-csv"),
    path("perbarui/", views.refresh, name="refresh"),
    path("ekspor/", views.export_request, name="export-request"),
    path("ekspor/<int:pk>/", views.export_detail, name="export"),
    path("ekspor/<int:pk>/unduh/", views.export_download, name="export-download"),
    path("data-terbuka/", views.open_data, name="open-data"),
    path("data-terbuka/data.csv", views.open_data_csv, name="open-data-csv"),
]
