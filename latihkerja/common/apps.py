from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "latihkerja.common"
    verbose_name = _("Umum")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy check)
