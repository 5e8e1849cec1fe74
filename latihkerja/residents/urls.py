from django.urls import path

from . import views

app_name = "residents"
urlpatterns = [
    path("data/", views.my_data, name="my-data"),
    path("data/unduh/", views.my_data_download, name="my-data-download"),
    path("data/ubah/", views.my_data_correct, name="my-data-correct"),
    path("data/hapus/", views.my_data_delete, name="my-data-delete"),
    path("minat/", views.my_interests, name="my-interests"),
]
