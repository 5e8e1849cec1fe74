"""An employer declares demand, Disnaker verifies the employer, Bappeda generates and approves a plan, and the
new batches appear in the public catalogue."""

import datetime as dt

import pytest

from latihkerja.accounts.enums import Role
from latihkerja.batches.models import Batch
from latihkerja.catalog.models import Theme
from latihkerja.demand.models import Company, SkillDemand
from latihkerja.planning.models import PlanRun
from latihkerja.regions.models import Kelurahan
from tests.conftest import PASSWORD
from tests.factories import PeriodFactory, ResidentFactory, UserFactory, agency
from tests.helpers import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def scene(reference_data):
    period = PeriodFactory(
        code="2030-01",
        name="Januari–Februari 2030",
        starts_on=dt.date(2030, 1, 1),
        ends_on=dt.date(2030, 2, 28),
        trainings_per_center=1,
        minimum_per_batch=2,
        maximum_per_batch=5,
    )
    barista = Theme.objects.get(code="BARISTA")
    for _ in range(6):  # enough interest near BLK Sukarasa for three barista batches of minimum 2
        ResidentFactory(kelurahan=Kelurahan.objects.get(name="Sukarasa")).interests.add(barista)
    UserFactory(username="bappeda", role=Role.BAPPEDA, is_staff=True)
    UserFactory(username="opd.disnaker", role=Role.OPD, agency=agency("DISNAKER"), is_staff=True)
    return period


def sign_in(browser, live_server, username, password=PASSWORD):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    staff_sign_in(page, live_server.url, username, password)
    return context, page


def test_declared_demand_becomes_open_batches_in_the_catalogue_when_verified_planned_and_approved(
    browser, live_server, scene, tmp_path
):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/pemberi-kerja/daftar/")
    page.get_by_label("Nama pengguna").fill("hrd.kopi")
    page.get_by_label("Kata sandi").fill("Sandi-Kuat-2025!")
    page.get_by_label("Nama perusahaan").fill("PT Kopi Nusantara")
    page.get_by_label("NIB").fill("1234567890123")
    page.get_by_label("Sektor usaha").fill("Kuliner")
    page.get_by_label("Kecamatan").select_option(label="Tangerang")
    page.get_by_label("Nama kontak").fill("Ani")
    page.get_by_label("Telepon kontak").fill("021 555 1234")
    page.get_by_label("Email kontak").fill("hrd@kopi.co.id")
    page.get_by_role("button", name="Buat akun").click()
    assert page.locator("h1").inner_text() == "PT Kopi Nusantara"
    page.get_by_label("Tema pelatihan").select_option("BARISTA")
    page.get_by_label("Jumlah orang").fill("10")
    page.get_by_label("Dibutuhkan paling lambat").fill("2030-03-01")  # after the period starts: it counts
    page.get_by_role("button", name="Simpan kebutuhan").click()
    assert page.get_by_role("status").inner_text() == "Kebutuhan keterampilan tercatat."
    page.screenshot(path=str(tmp_path / "employer.png"), full_page=True)
    context.close()
    company = Company.objects.get(nib="1234567890123")
    assert list(SkillDemand.objects.counting()) == []

    context, page = sign_in(browser, live_server, "opd.disnaker")
    page.get_by_role("link", name="Verifikasi perusahaan").click()
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Verifikasi PT Kopi Nusantara").click()
    assert page.get_by_role("status").inner_text() == (
        "PT Kopi Nusantara terverifikasi; kebutuhannya kini dihitung dalam perencanaan."
    )
    assert asked == [
        "Verifikasi PT Kopi Nusantara (NIB 1234567890123)? "
        "Kebutuhan tenaga kerjanya akan dihitung dalam rencana pelatihan."
    ]
    context.close()
    assert [d.company_id for d in SkillDemand.objects.counting()] == [company.pk]

    context, page = sign_in(browser, live_server, "bappeda")
    page.get_by_role("link", name="Rencana pelatihan").click()
    page.get_by_label("Periode").select_option(label="Januari–Februari 2030")
    page.get_by_role("button", name="Buat rencana").click()
    assert page.locator("#plan-status").inner_text() == "Selesai, dapat diubah"
    assert "10 / 10" in page.locator("#comparison").inner_text()
    page.screenshot(path=str(tmp_path / "plan.png"), full_page=True)
    page.get_by_label("Langsung buka pendaftaran kelas-kelas ini (tampil di katalog publik)").check()
    approval: list[str] = []
    page.on("dialog", lambda dialog: (approval.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Setujui seluruh rencana").click()
    assert page.locator("#plan-status").inner_text() == "Disetujui, kelas dibuat"
    assert approval == [
        "Setujui seluruh rencana? 3 kelas akan dibuat dan tidak dapat ditarik kembali dari sini. "
        "Belum disetujui OPD: Disnaker."
    ]
    context.close()

    run = PlanRun.objects.get()
    batches = list(Batch.objects.filter(period=scene, status="open").order_by("code"))
    assert run.status == "approved"
    assert [b.theme.code for b in batches] == ["BARISTA", "BARISTA", "BARISTA"]

    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/pelatihan/")
    catalogue = page.content()
    assert all(batch.code in catalogue for batch in batches)
    page.screenshot(path=str(tmp_path / "catalogue.png"), full_page=True)
    context.close()
