import csv
from pathlib import Path

import pytest

from latihkerja.agencies.models import Agency
from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center, Room
from latihkerja.regions.models import Kecamatan, Kelurahan
from latihkerja.regions.services import load_regions

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[2] / "latihkerja" / "regions" / "data"


def _csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_kecamatan_are_the_thirteen_of_the_shipped_data_when_loaded(db):
    shipped = sorted((r["kode"], r["nama"], r["nik_prefix"]) for r in _csv("kecamatan.csv"))

    loaded = list(Kecamatan.objects.order_by("code").values_list("code", "name", "nik_prefix"))

    assert len(loaded) == 13
    assert loaded == shipped


def test_kelurahan_are_the_hundred_and_four_of_the_shipped_data_when_loaded(db):
    shipped = sorted((r["kode"], r["nama"], r["kode_kecamatan"]) for r in _csv("kelurahan.csv"))

    loaded = list(Kelurahan.objects.order_by("code").values_list("code", "name", "kecamatan__code"))

    assert len(loaded) == 104
    assert loaded == shipped


def test_shipped_codes_follow_kemendagri_structure_when_read():
    kelurahan = _csv("kelurahan.csv")

    assert all(r["kode"].startswith(r["kode_kecamatan"] + ".1") for r in kelurahan)
    assert {r["kode"][:5] for r in kelurahan} == {"36.71"}
    assert len({r["kode"] for r in kelurahan}) == 104


def test_loading_twice_adds_nothing_when_data_is_present(db):
    before = (Kecamatan.objects.count(), Kelurahan.objects.count())

    after = load_regions()

    assert after == before == (13, 104)


def test_every_kelurahan_has_one_centre_with_a_room_when_loaded(db):
    assert Center.objects.count() == 104
    assert Center.objects.filter(rooms__isnull=True).count() == 0
    assert set(Center.objects.values_list("kelurahan__code", flat=True)) == set(
        Kelurahan.objects.values_list("code", flat=True)
    )
    assert Room.objects.filter(capacity__lte=0).count() == 0


def test_catalogue_has_every_theme_of_the_article_with_agency_hours_and_cost_when_loaded(db):
    article = {
        "FOTOGRAFI",
        "VIDEOGRAFI",
        "VLOG",
        "KONTEN_KREATOR",
        "SERVIS_MOTOR",
        "LAS_SMAW",
        "SERVIS_ELEKTRONIK",
        "MEMBATIK",
        "BARISTA",
        "SABLON",
    }

    scenario = set(Theme.objects.filter(in_scenario=True).values_list("code", flat=True))

    assert article <= scenario
    assert Theme.objects.count() == 34
    assert Theme.objects.filter(hours=0).count() == 0
    assert Theme.objects.filter(cost_per_participant=0).count() == 0
    assert Theme.objects.get(code="MEMBATIK").agency.code == "DISBUDPAR"
    assert Theme.objects.get(code="BANK_SAMPAH").agency.code == "DLH"


def test_agencies_include_the_supervisors_named_in_the_article_when_loaded(db):
    supervisors = set(Agency.objects.filter(supervises_training=True).values_list("code", flat=True))

    assert {"DISNAKER", "DISPERINDAGKOP_UKM", "DLH", "DKP"} <= supervisors
    assert "BAPPEDA" not in supervisors


def test_an_unconfirmed_agency_name_is_shown_without_the_sources_marker(db):
    dkp = Agency.objects.get(code="DKP")

    assert (dkp.name, dkp.name_verified) == ("Dinas Ketahanan Pangan Kota Tangerang", False)


def test_reloading_keeps_a_citys_corrections_unless_asked_to_overwrite_them(db):
    from django.core.management import call_command

    Agency.objects.filter(code="DKP").update(name="Dinas Ketahanan Pangan")
    Theme.objects.filter(code="BARISTA").update(cost_per_participant=1_000_000)

    call_command("load_reference_data", verbosity=0)
    kept = (Agency.objects.get(code="DKP").name, Theme.objects.get(code="BARISTA").cost_per_participant)
    call_command("load_reference_data", "--update-shipped", verbosity=0)
    overwritten = (
        Agency.objects.get(code="DKP").name,
        Theme.objects.get(code="BARISTA").cost_per_participant,
    )

    assert kept == ("Dinas Ketahanan Pangan", 1_000_000)
    assert overwritten[0] == "Dinas Ketahanan Pangan Kota Tangerang"
    assert overwritten[1] != 1_000_000
