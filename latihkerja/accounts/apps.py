from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "latihkerja.accounts"
    verbose_name = _("Akun")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .address_limit import count_failure
        from .sessions import record_sign_in

        user_logged_in.connect(record_sign_in, dispatch_uid="latihkerja.accounts.record_sign_in")
        user_login_failed.connect(count_failure, dispatch_uid="latihkerja.accounts.count_failure")

        from django.db.models.signals import post_delete
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from .two_factor import reopen_setup

        post_delete.connect(reopen_setup, sender=TOTPDevice, dispatch_uid="latihkerja.accounts.reopen_setup")
