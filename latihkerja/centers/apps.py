from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CentersConfig(AppConfig):
    name = "latihkerja.centers"
    verbose_name = _("BLK")
