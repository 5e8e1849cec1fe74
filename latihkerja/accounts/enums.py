from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of SPEC §3. Each role's scope is decided in the apps' `for_user` querysets and `rules.py`."""

    BAPPEDA = "bappeda", _("Admin Bappeda")
    OPD = "opd", _("Pengawas OPD")
    OPERATOR = "operator", _("Operator BLK")
    INSTRUCTOR = "instructor", _("Instruktur")
    EMPLOYER = "employer", _("Pemberi kerja")
    RESIDENT = "resident", _("Warga")


STAFF_ROLES = frozenset({Role.BAPPEDA, Role.OPD, Role.OPERATOR, Role.INSTRUCTOR})
