"""`manage.py check`: a `DAYS_OFF_COUNTRY` the holiday calendar does not know is refused at start-up, not
when an operator first schedules sessions."""

from __future__ import annotations

from typing import Any

import holidays
from django.conf import settings
from django.core.checks import Error, register


@register()
def days_off_country_is_known(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    country = settings.DAYS_OFF_COUNTRY
    if not country:
        return []
    try:
        holidays.country_holidays(country)
    except NotImplementedError:
        return [
            Error(
                f"DAYS_OFF_COUNTRY={country!r} is not a country the holidays package knows.",
                hint="Use an ISO 3166 alpha-2 code such as ID, or leave it empty for no national holidays.",
                id="programs.E001",
            )
        ]
    return []
