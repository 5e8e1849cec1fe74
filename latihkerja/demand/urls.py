from django.urls import path

from . import views

app_name = "demand"
urlpatterns = [
    path("daftar/", views.signup, name="signup"),
    path("perusahaan/<int:pk>/", views.company_detail, name="company"),
    path("perusahaan/<int:pk>/ubah/", views.company_edit, name="company-edit"),
    path("perusahaan/<int:pk>/kebutuhan/baru/", views.declare, name="declare"),
    path(
        "perusahaan/<int:pk>/kebutuhan/<int:demand_pk>/tarik/",
        views.demand_withdraw,
        name="demand-withdraw",
    ),
    path("perusahaan/<int:pk>/lowongan/baru/", views.vacancy_new, name="vacancy"),
    path("perusahaan/<int:pk>/lowongan/<int:vacancy_pk>/ubah/", views.vacancy_edit, name="vacancy-edit"),
    path(
        "perusahaan/<int:pk>/lowongan/<int:vacancy_pk>/tarik/",
        views.vacancy_withdraw,
        name="vacancy-withdraw",
    ),
    path("perusahaan/<int:pk>/verifikasi/", views.verify, name="verify"),
    path("perusahaan/<int:pk>/tolak/", views.decline, name="decline"),
    path("verifikasi/", views.unverified, name="unverified"),
    path("impor/", views.import_index, name="imports"),
    path("impor/contoh/", views.import_example, name="import-example"),
    path("impor/<int:pk>/", views.import_detail, name="import"),
    path("impor/<int:pk>/simpan/", views.import_commit, name="import-commit"),
    path("impor/<int:pk>/kesalahan.csv", views.import_errors, name="import-errors"),
]
