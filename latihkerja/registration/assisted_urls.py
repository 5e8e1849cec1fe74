from django.urls import path

from . import assisted

app_name = "assisted"
urlpatterns = [
    path("", assisted.phone, name="phone"),
    path("kode/", assisted.code, name="code"),
    path("siapa/", assisted.who, name="who"),
    path("profil/", assisted.profile, name="profile"),
    path("pilihan/", assisted.choices, name="choices"),
]
