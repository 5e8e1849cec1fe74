from django.urls import path

from . import views

app_name = "residents"
urlpatterns = [
    path("", views.my_data, name="my-data"),
    path("unduh/", views.my_data_download, name="my-data-download"),
    path("hapus/", views.my_data_delete, name="my-data-delete"),
]
