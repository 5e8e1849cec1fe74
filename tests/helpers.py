"""Small helpers shared by test modules (fixtures live in conftest.py)."""

import re


def sent_code(phone: str) -> str:
    """The one-time code as the resident reads it in the SMS (from the outbox)."""
    from latihkerja.notifications.models import Message

    message = Message.objects.filter(recipient=phone, kind="otp").order_by("-pk").first()
    assert message is not None, "no code was sent"
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match is not None
    return match.group(1)


def staff_sign_in(page, base_url: str, username: str, password: str) -> None:
    """Sign a staff member in through the sign-in page, as a person would (browser tests)."""
    page.goto(f"{base_url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
