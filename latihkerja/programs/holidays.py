"""Days without training: the national holidays and the government's collective leave (*cuti bersama*) of
the country in `settings.DAYS_OFF_COUNTRY` (Indonesia by default), and the days off the city adds in the
admin (`DayOff`).

The national calendar comes from the `holidays` package (its Indonesian data follows the government's yearly
decree; the Islamic holidays of years not yet decreed are estimates, marked "perkiraan"). BLK are government
offices, so collective leave counts as a day off too.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import translation

from .models import DayOff

CATEGORIES = ("public", "government")  # holidays, and collective leave where the country has it


@lru_cache(maxsize=64)
def _national(country: str, year: int, language: str) -> dict[dt.date, str]:
    supported = holidays.country_holidays(country).supported_categories
    calendar = holidays.country_holidays(
        country,
        years=year,
        categories=tuple(c for c in CATEGORIES if c in supported),
        language=language,
    )
    return dict(calendar.items())


def days_off(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """Every day off from `first` to `last` (inclusive), with its name in the reader's language, by date."""
    if last < first:
        return {}
    found: dict[dt.date, str] = {}
    country = settings.DAYS_OFF_COUNTRY
    if country:
        language = "en_US" if translation.get_language() == "en" else "id"
        for year in range(first.year, last.year + 1):
            found.update(
                (day, name)
                for day, name in _national(country, year, language).items()
                if first <= day <= last
            )
    for day_off in DayOff.objects.filter(date__range=(first, last)):
        found[day_off.date] = day_off.display_name
    return dict(sorted(found.items()))
