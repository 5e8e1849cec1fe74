from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "latihkerja.programs"
    verbose_name = _("Periode program")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the DAYS_OFF_COUNTRY check)
