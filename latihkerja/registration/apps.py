from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "latihkerja.registration"
    verbose_name = _("Pendaftaran")
