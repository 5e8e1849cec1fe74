"""Protection of identity numbers at rest (UU PDP).

A NIK is stored twice, neither time in clear: Fernet-encrypted (to show it to the person and to authorised
staff) and as an HMAC-SHA256 digest keyed by a separate derived key (for exact look-up and uniqueness).
Both keys derive from settings.NIK_KEY with HKDF, so a database dump alone reveals no NIK.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(key: str, purpose: bytes) -> bytes:
    if not key:
        raise RuntimeError("settings.NIK_KEY is empty")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"latihkerja", info=purpose).derive(key.encode())


@cache
def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(key, b"nik-encryption")))


@cache
def _hmac_key(key: str) -> bytes:
    return _derive(key, b"nik-lookup")


def digest_identity(number: str, *, key: str | None = None) -> str:
    """The keyed look-up digest (64 hex characters) of a NIK or KK number (`key`: settings.NIK_KEY)."""
    return hmac.new(_hmac_key(key or settings.NIK_KEY), number.encode(), hashlib.sha256).hexdigest()


def encrypt_identity(number: str, *, key: str | None = None) -> str:
    return _fernet(key or settings.NIK_KEY).encrypt(number.encode()).decode()


def decrypt_identity(token: str, *, key: str | None = None) -> str:
    return _fernet(key or settings.NIK_KEY).decrypt(token.encode()).decode()


def is_sealed_with(token: str, key: str) -> bool:
    """Whether `token` was encrypted with `key` (Fernet authenticates, so a wrong key fails cleanly)."""
    try:
        _fernet(key).decrypt(token.encode())
    except InvalidToken:
        return False
    return True
