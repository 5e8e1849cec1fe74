"""Indonesian mobile numbers, normalised to E.164 (+62…), without Django.

Accepted spellings: 0812-3456-7890, 62812…, +62 812…, with spaces, dots or dashes. Mobile numbers start with
8 after the country code and have 9 to 12 digits after it (Kominfo numbering plan).
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"8\d{8,11}")


class PhoneError(ValueError):
    pass


def normalize_phone(raw: str) -> str:
    """`raw` as `+628…`; raise `PhoneError` when it is not an Indonesian mobile number."""
    digits = _SEPARATORS.sub("", raw.strip())
    if digits.startswith("+62"):
        national = digits[3:]
    elif digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        raise PhoneError(raw)
    if not _MOBILE.fullmatch(national):
        raise PhoneError(raw)
    return "+62" + national


def phone_or_none(raw: str) -> str | None:
    """`raw` as `+628…`, or None when it is not an Indonesian mobile number (a name typed in a search box)."""
    try:
        return normalize_phone(raw)
    except PhoneError:
        return None


def national_phone(phone: str) -> str:
    """A stored `+628…` number as people in Indonesia write and dial it: `0812-3456-7890`. A spreadsheet keeps
    it as text (no leading `+` for a formula, no leading zero lost to a number); anything else is returned as
    it is."""
    if not (phone.startswith("+62") and _MOBILE.fullmatch(phone[3:])):
        return phone
    local = "0" + phone[3:]
    return f"{local[:4]}-{local[4:8]}-{local[8:]}"
