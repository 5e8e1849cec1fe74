from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Terkirim")
    WITHDRAWN = "withdrawn", _("Dibatalkan pendaftar")


class Source(models.TextChoices):
    """How a registration reached us: the resident's own phone, an operator at the kelurahan office, or a file."""

    ONLINE = "online", _("Daring oleh warga")
    ASSISTED = "assisted", _("Dibantu operator")
    IMPORT = "import", _("Impor berkas")
