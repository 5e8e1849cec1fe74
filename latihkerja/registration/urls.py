from django.urls import path

from . import views

app_name = "registration"
urlpatterns = [
    path("", views.start, name="start"),
    path("nomor-hp/", views.phone, name="phone"),
    path("kode/", views.code, name="code"),
    path("siapa/", views.who, name="who"),
    path("orang-lain/", views.another, name="another"),
    path("profil/", views.profile, name="profile"),
    path("pilihan/", views.choices, name="choices"),
    path("selesai/", views.done, name="done"),
    path("batalkan/", views.withdraw, name="withdraw"),
    path("kursi/<slug:code>/", views.take_seat, name="take-seat"),
]
