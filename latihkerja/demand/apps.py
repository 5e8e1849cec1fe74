from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandConfig(AppConfig):
    name = "latihkerja.demand"
    verbose_name = _("Kebutuhan pemberi kerja")
