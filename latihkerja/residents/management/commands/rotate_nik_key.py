"""Re-encrypt every stored NIK and KK, and recompute the look-up digests, after `NIK_KEY` changed.

Run with the NEW key as `NIK_KEY` and the previous one as `OLD_NIK_KEY`, while the app is stopped or in
maintenance (a resident registering meanwhile would be sealed with whichever key that process has). Resumable:
rows already sealed with the new key are skipped, so an interrupted run is simply run again.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from latihkerja.residents.crypto import decrypt_identity, digest_identity, encrypt_identity, is_sealed_with
from latihkerja.residents.models import Resident

CHUNK = 2000


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        old, new = os.environ.get("OLD_NIK_KEY", ""), settings.NIK_KEY
        if not old:
            raise CommandError("Set OLD_NIK_KEY to the previous key (and NIK_KEY to the new one).")
        if old == new:
            raise CommandError("OLD_NIK_KEY equals NIK_KEY: nothing to rotate.")
        rotated = skipped = 0
        last_pk = 0
        while True:
            chunk = list(
                Resident.objects.filter(pk__gt=last_pk)
                .order_by("pk")
                .only("pk", "nik_encrypted", "kk_encrypted", "nik_digest")[:CHUNK]
            )
            if not chunk:
                break
            last_pk = chunk[-1].pk
            changed = []
            for resident in chunk:
                if not resident.nik_encrypted or is_sealed_with(
                    resident.nik_encrypted, new
                ):  # erased, or done
                    skipped += 1
                    continue
                try:
                    nik = decrypt_identity(resident.nik_encrypted, key=old)
                    kk = decrypt_identity(resident.kk_encrypted, key=old) if resident.kk_encrypted else ""
                except Exception as error:  # neither key opens it: stop before writing anything wrong
                    raise CommandError(f"resident {resident.pk}: sealed with an unknown key") from error
                resident.nik_encrypted = encrypt_identity(nik, key=new)
                resident.kk_encrypted = encrypt_identity(kk, key=new) if kk else ""
                resident.nik_digest = digest_identity(nik, key=new)
                changed.append(resident)
            with transaction.atomic():
                Resident.objects.bulk_update(changed, ["nik_encrypted", "kk_encrypted", "nik_digest"])
            rotated += len(changed)
        self.stdout.write(f"{rotated} residents re-sealed with the new key, {skipped} already were.")
