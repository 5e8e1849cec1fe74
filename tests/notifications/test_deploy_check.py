"""`check --deploy` says when residents' SMS and WhatsApp would go nowhere."""

import pytest

from latihkerja.notifications.checks import messages_reach_residents

HTTP = "latihkerja.notifications.channels"


def configured(settings, sms, whatsapp, url):
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "sms": sms,
        "whatsapp": whatsapp,
        "http": {**settings.NOTIFICATIONS["http"], "url": url},
    }


@pytest.mark.parametrize(
    ("sms", "whatsapp", "url", "ids"),
    [
        (
            f"{HTTP}.ConsoleChannel",
            f"{HTTP}.ConsoleChannel",
            "",
            ["notifications.W001", "notifications.W001"],
        ),
        (f"{HTTP}.HttpSmsChannel", f"{HTTP}.FileChannel", "https://sms.example.org", ["notifications.W001"]),
        (f"{HTTP}.HttpSmsChannel", f"{HTTP}.HttpWhatsAppChannel", "", ["notifications.W002"] * 2),
        (
            f"{HTTP}.HttpSmsChannel",
            f"{HTTP}.HttpWhatsAppChannel",
            "http://sms.example.org",
            ["notifications.W002"] * 2,
        ),
        (f"{HTTP}.HttpSmsChannel", f"{HTTP}.HttpWhatsAppChannel", "https://sms.example.org", []),
    ],
)
def test_the_deploy_check_warns_until_messages_reach_a_provider(settings, sms, whatsapp, url, ids):
    configured(settings, sms, whatsapp, url)

    assert [warning.id for warning in messages_reach_residents()] == ids
