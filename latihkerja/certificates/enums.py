"""The life of a certificate: issued, then possibly revoked (never un-revoked: a mistake is a new certificate)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    ISSUED = "issued", _("Sah")
    REVOKED = "revoked", _("Dicabut")
