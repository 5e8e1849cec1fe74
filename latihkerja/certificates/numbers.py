"""Certificate numbers: `LK-XXXX-XXXX-XXXX`, twelve Crockford base-32 symbols drawn from `secrets` (60 bits).

Crockford's alphabet leaves out I, L, O and U, so a number read aloud or copied by hand cannot be confused;
`normalize_number` forgives what people do when they type one: lower case, spaces, missing or extra dashes,
the letter O for zero, I or L for one. With 2^60 possible numbers and about 10^4 certificates a period, a
guessed number hits a real one with a probability below 10^-14: the numbers themselves are the protection of
the public verification page (which also rate-limits look-ups).
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "LK"
GROUPS = 3
GROUP_LENGTH = 4
SYMBOLS = GROUPS * GROUP_LENGTH
BITS = SYMBOLS * 5
# The longest input worth normalising: anything longer is not a number (and is not echoed back).
MAX_INPUT_LENGTH = 40

_SEPARATORS = re.compile(r"[\s\-_.‐‑–—/]+")
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_BODY = re.compile(f"[{ALPHABET}]{{{SYMBOLS}}}")


def format_number(body: str) -> str:
    groups = [body[i : i + GROUP_LENGTH] for i in range(0, SYMBOLS, GROUP_LENGTH)]
    return "-".join([PREFIX, *groups])


def new_number() -> str:
    """A fresh random number in its canonical form."""
    return format_number("".join(secrets.choice(ALPHABET) for _ in range(SYMBOLS)))


def normalize_number(text: str) -> str | None:
    """The canonical form of what someone typed, or None when it cannot be a certificate number."""
    if len(text) > MAX_INPUT_LENGTH:
        return None
    compact = _SEPARATORS.sub("", text).upper()
    if compact.startswith(PREFIX) and len(compact) == len(PREFIX) + SYMBOLS:
        compact = compact[len(PREFIX) :]
    body = compact.translate(_CONFUSABLE)
    if not _BODY.fullmatch(body):
        return None
    return format_number(body)
