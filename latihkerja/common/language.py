"""The language a piece of text made in the background is written in."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def current_language() -> str:
    """The active language as one of `settings.LANGUAGES` (the reader's in a request, Indonesian elsewhere):
    stored with work done later for that reader, such as an import's error report."""
    try:
        return translation.get_supported_language_variant(
            translation.get_language() or settings.LANGUAGE_CODE
        )
    except LookupError:
        return str(settings.LANGUAGE_CODE)
