"""Phone verification by one-time code, and the resident account behind a verified phone.

Limits are counted in the database (not in one server's memory), so they hold across app servers:
at most CODES_PER_PHONE codes per phone per window, CODES_PER_IP per IP address, and MAX_ATTEMPTS wrong
guesses per code. Codes are stored as keyed digests and compared in constant time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from latihkerja.engine.phone import PhoneError, normalize_phone
from latihkerja.notifications.enums import SIGN_IN_CODE_TTL

from .enums import Role
from .errors import AccountError
from .models import OneTimeCode, User

CODE_TTL = SIGN_IN_CODE_TTL  # its SMS is not sent any later (`notifications.services.deliver`)
WINDOW = dt.timedelta(minutes=30)
# A family sharing one phone signs in one after the other (mother, son, mother again, an operator helping a
# third): 5 codes in 30 minutes serve that, and still stop a phone being flooded with SMS.
CODES_PER_PHONE = 5
CODES_PER_IP = 20
MAX_ATTEMPTS = 5


def _digest(phone: str, code: str) -> str:
    key = hashlib.sha256(b"otp:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def normalized_phone(raw: str) -> str:
    try:
        return normalize_phone(raw)
    except PhoneError as error:
        raise AccountError(AccountError.BAD_PHONE) from error


def _message_key(otp: OneTimeCode) -> str:
    """The outbox key of a code's SMS: one message per code, and how a code finds whether its SMS failed."""
    return f"otp-{otp.pk}"


def request_code(*, phone: str, ip: str | None, language: str = "id", assisted: bool = False) -> OneTimeCode:
    """Create a code for `phone` and queue it to the phone by SMS; refuse beyond the rate limits.

    An `assisted` request comes from a signed-in operator at the kelurahan office (audited there), who may
    register dozens of people an hour: it counts against the phone's limit of assisted codes, not the
    address's, and is not stored with the address, so the residents on the office's network keep theirs.
    Codes anyone requested for the phone do not count against it (five of them from a stranger kept the
    office from helping the resident for half an hour), and they are checked apart (`check_code`)."""
    from latihkerja.notifications.enums import Kind, MessageStatus
    from latihkerja.notifications.models import Message
    from latihkerja.notifications.services import queue_message

    phone = normalized_phone(phone)
    now = timezone.now()
    recent = list(
        OneTimeCode.objects.filter(phone=phone, assisted=assisted, created_at__gte=now - WINDOW).order_by(
            "created_at"
        )
    )
    # A code whose SMS failed never reached the phone: asking again while the SMS service is down must not use
    # up the resident's codes for half an hour (resilience review). It counts again if a retry sends it.
    unsent = set(
        Message.objects.filter(
            kind=Kind.OTP, status=MessageStatus.FAILED, dedupe_key__in=[_message_key(c) for c in recent]
        ).values_list("dedupe_key", flat=True)
    )
    recent = [c for c in recent if _message_key(c) not in unsent]
    if len(recent) >= CODES_PER_PHONE:
        minutes = max(1, int((recent[0].created_at + WINDOW - now).total_seconds() // 60) + 1)
        raise AccountError(AccountError.TOO_MANY_CODES, minutes=minutes)
    if assisted:
        ip = None
    from_here = (
        OneTimeCode.objects.filter(requested_ip=ip, created_at__gte=now - WINDOW).order_by("created_at")
        if ip
        else OneTimeCode.objects.none()
    )
    if ip and from_here.count() >= CODES_PER_IP:
        oldest = from_here.first()
        assert oldest is not None
        minutes = max(1, int((oldest.created_at + WINDOW - now).total_seconds() // 60) + 1)
        raise AccountError(AccountError.TOO_MANY_FROM_HERE, minutes=minutes)
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        otp = OneTimeCode.objects.create(
            phone=phone,
            code_digest=_digest(phone, code),
            expires_at=now + CODE_TTL,
            requested_ip=ip,
            assisted=assisted,
        )
        queue_message(
            channel="sms",
            recipient=phone,
            kind="otp",
            # Assisted intake: the resident reads the code out to the operator, so the SMS says to whom.
            context={"code": code, "minutes": int(CODE_TTL.total_seconds() // 60), "assisted": assisted},
            language=language,
            dedupe_key=_message_key(otp),
        )
    return otp


def verify_code(*, phone: str, code: str, assisted: bool = False) -> User:
    """Consume the live code of `phone` that `code` matches; return the phone's resident account.

    A wrong guess counts against the code with an atomic increment; the code that matches is consumed by a
    conditional update, so the same code cannot be used twice even by two requests at once.
    """
    return resident_account_for(consume_code(phone=phone, code=code, assisted=assisted).phone)


def consume_code(*, phone: str, code: str, assisted: bool = False) -> OneTimeCode:
    """`check_code`, then use the code up by a conditional update (twice at once: one of them fails), and the
    phone's other live codes with it."""
    otp = check_code(phone=phone, code=code, assisted=assisted)
    now = timezone.now()
    if OneTimeCode.objects.filter(pk=otp.pk, consumed_at__isnull=True).update(consumed_at=now) != 1:
        raise AccountError(AccountError.CODE_EXPIRED)
    # The phone's other live codes (a resent SMS) are spent with it: none signs anyone in later.
    OneTimeCode.objects.filter(
        phone=otp.phone, assisted=otp.assisted, consumed_at__isnull=True, expires_at__gt=now
    ).update(consumed_at=now)
    return otp


def check_code(*, phone: str, code: str, assisted: bool = False) -> OneTimeCode:
    """The live code of `phone` that `code` matches, not consumed (a caller that must ask one more thing first,
    such as which person of a shared phone, keeps the code usable). A wrong guess counts against the newest.

    Any live code is accepted, not only the newest: SMS arrive late and out of order, and a resident whose page
    resent the number on a flaky connection types the code that arrived first (a slow-network review saw it
    refused as wrong). The newest code's tries bound the guesses, by a conditional update.

    `assisted` (an operator's desk) reads only the codes operators requested, and the others only the rest:
    guesses sent by anyone cannot lock the code the resident is reading out at the office."""
    phone = normalized_phone(phone)
    now = timezone.now()
    live = list(
        OneTimeCode.objects.filter(
            phone=phone, assisted=assisted, consumed_at__isnull=True, expires_at__gt=now
        ).order_by("-created_at")[:CODES_PER_PHONE]
    )
    if not live:
        raise AccountError(AccountError.CODE_EXPIRED)
    newest = live[0]
    if newest.attempts >= MAX_ATTEMPTS:
        raise AccountError(AccountError.CODE_LOCKED)
    digest = _digest(phone, code.strip())
    matched = next((otp for otp in live if hmac.compare_digest(otp.code_digest, digest)), None)
    if matched is None:
        counted = OneTimeCode.objects.filter(pk=newest.pk, attempts__lt=MAX_ATTEMPTS).update(
            attempts=F("attempts") + 1
        )
        left = MAX_ATTEMPTS - newest.attempts - 1
        if not counted or left <= 0:
            raise AccountError(AccountError.CODE_LOCKED)
        raise AccountError(AccountError.WRONG_CODE, left=left)
    return matched


def use_a_try(otp: OneTimeCode) -> None:
    """Take one of the code's MAX_ATTEMPTS tries before checking what a valid code unlocks (which resident of a
    shared phone: their NIK), so the code bounds that search too: without it, one code allowed any number of
    NIK guesses within its ten minutes. Taken by a conditional update before the answer is looked at, so
    requests sent in parallel cannot all pass on one stale count. Raises `CODE_LOCKED` when none is left."""
    if not OneTimeCode.objects.filter(pk=otp.pk, attempts__lt=MAX_ATTEMPTS).update(
        attempts=F("attempts") + 1
    ):
        raise AccountError(AccountError.CODE_LOCKED)


def resident_account_for(phone: str) -> User:
    """The resident account of a verified phone, created on first use (no password: codes only)."""
    user = User.objects.filter(username=phone).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User(username=phone, phone=phone, role=Role.RESIDENT)
                user.set_unusable_password()
                user.save()
        except IntegrityError:
            user = User.objects.get(username=phone)
    if user.role != Role.RESIDENT:
        raise AccountError(AccountError.NOT_A_RESIDENT)
    return user


def client_ip(request: Any) -> str | None:
    """The client's address: REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT` proxies of our own the address the
    outermost of them saw, which is that many entries from the right of X-Forwarded-For (entries further left
    come from the client and prove nothing). A header too short or not an address falls back to REMOTE_ADDR."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            try:
                return str(ipaddress.ip_address(hops[-proxies]))
            except ValueError:
                pass
    ip = request.META.get("REMOTE_ADDR")
    return ip or None
