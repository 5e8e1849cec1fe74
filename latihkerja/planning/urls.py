from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.runs, name="runs"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/tambah/", views.add, name="add"),
    path("<int:pk>/kelas/<int:planned_pk>/pindah/", views.move, name="move"),
    path("<int:pk>/kelas/<int:planned_pk>/hapus/", views.remove, name="remove"),
    path("<int:pk>/kirim/", views.send, name="send"),
    path("<int:pk>/setujui/", views.approve, name="approve"),
    path("<int:pk>/buka-pendaftaran/", views.open_registration, name="open-registration"),
    path("opd/", views.opd, name="opd"),
    path("opd/<int:pk>/setujui/", views.opd_approve, name="opd-approve"),
    path("opd/<int:pk>/kembalikan/", views.opd_return, name="opd-return"),
]
