"""Rotating NIK_KEY: every NIK reads back and is found by look-up under the new key; a rerun changes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from latihkerja.residents.models import Resident
from latihkerja.residents.services import find_by_nik
from tests.factories import ResidentFactory

pytestmark = pytest.mark.integration

OLD = "test-nik-key-not-for-production"
NEW = "a-brand-new-nik-key-for-2021-rotation-0123456789"


def test_rotation_reseals_every_nik_and_kk_and_is_resumable(reference_data, monkeypatch):
    residents = [ResidentFactory() for _ in range(3)]
    Resident.objects.filter(pk=residents[0].pk).update(kk_encrypted="")
    niks = [r.nik for r in residents]
    monkeypatch.setenv("OLD_NIK_KEY", OLD)

    with override_settings(NIK_KEY=NEW):
        out = io.StringIO()
        call_command("rotate_nik_key", stdout=out)
        again = io.StringIO()
        call_command("rotate_nik_key", stdout=again)

        assert out.getvalue().strip() == "3 residents re-sealed with the new key, 0 already were."
        assert again.getvalue().strip() == "0 residents re-sealed with the new key, 3 already were."
        assert [Resident.objects.get(pk=r.pk).nik for r in residents] == niks
        assert [find_by_nik(nik) for nik in niks] == residents
    # Under the old key nothing is found any more: the old digests are gone.
    assert find_by_nik(niks[1]) is None


def test_rotation_refuses_without_the_old_key(reference_data, monkeypatch):
    monkeypatch.delenv("OLD_NIK_KEY", raising=False)

    with pytest.raises(CommandError, match="OLD_NIK_KEY"):
        call_command("rotate_nik_key")
