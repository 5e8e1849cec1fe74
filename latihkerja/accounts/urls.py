from django.contrib.auth import views as auth_views
from django.urls import path

from . import two_factor, views
from .address_limit import SignInForm

app_name = "accounts"
urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("dua-langkah/", two_factor.two_factor, name="two-factor"),
    path("saya/", views.start, name="start"),
    path("saya/kelas/<slug:code>/status/", views.change_status, name="batch-status"),
]
