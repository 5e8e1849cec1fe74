from django.db import models
from django.utils.translation import gettext_lazy as _


class Modality(models.TextChoices):
    """How a training is delivered. `campuran` (hybrid) mixes online sessions and on-site practice."""

    DARING = "daring", _("Daring (online)")
    LURING = "luring", _("Luring (tatap muka)")
    CAMPURAN = "campuran", _("Campuran (daring + luring)")
