"""A resident registers on a phone: number, code from the SMS, details, three ranked choices, confirmation."""

import pytest

from latihkerja.centers.models import Center
from latihkerja.registration.models import Application
from tests.factories import BatchFactory, PeriodFactory
from tests.helpers import sent_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}

TEXT = {
    "id": {
        "start": "Mulai",
        "send": "Kirim kode",
        "next": "Lanjut",
        "save": "Simpan dan lanjut",
        "submit": "Kirim pendaftaran",
        "done": "Pendaftaran terkirim",
        "phone": "Nomor HP",
        "code": "Kode dari SMS",
        "choice": "Pilihan ke-{n}",
        "kecamatan": "Tampilkan kelas di kecamatan",
        "show": "Tampilkan",
        "all": "Semua kecamatan",
    },
    "en": {
        "start": "Start",
        "send": "Send code",
        "next": "Continue",
        "save": "Save and continue",
        "submit": "Submit application",
        "done": "Application submitted",
        "phone": "Mobile number",
        "code": "Code from the SMS",
        "choice": "Choice {n}",
        "kecamatan": "Show classes in kecamatan",
        "show": "Show",
        "all": "All kecamatan",
    },
}


@pytest.fixture
def registration_data(reference_data):
    PeriodFactory()
    for code, name in [("e2e-1", "Sukarasa"), ("e2e-2", "Cipondoh"), ("e2e-3", "Babakan")]:
        BatchFactory(code=code, center=Center.objects.get(kelurahan__name=name))


@pytest.mark.parametrize("language", ["id", "en"])
def test_resident_registers_and_ranks_three_batches_on_a_phone_when_following_the_steps(
    browser, live_server, registration_data, language, tmp_path
):
    text = TEXT[language]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/daftar/")
    if language == "en":
        page.locator("header button[value=en]").click()
    page.get_by_role("link", name=text["start"]).click()

    page.get_by_label(text["phone"]).fill("0812 3456 7890")
    page.get_by_role("button", name=text["send"]).click()
    page.get_by_label(text["code"]).fill(sent_code("+6281234567890"))
    page.get_by_role("button", name=text["next"]).click()

    page.locator("#id_nik").fill("3671014508950003")
    page.locator("#id_kk").fill("3671010101120005")
    page.locator("#id_full_name").fill("Siti Aminah")
    page.locator("#id_sex_1").check()
    page.locator("#id_birth_date").fill("1995-08-05")
    page.locator("#id_kelurahan").select_option("36.71.01.1001")
    page.locator("#id_address").fill("Jl. Merdeka No. 5, RT 001/RW 002")
    page.locator("#id_education").select_option("sma")
    page.locator("#id_employment_status_0").check()
    page.locator("#id_consent").check()
    page.screenshot(path=str(tmp_path / f"profile-{language}.png"), full_page=True)
    page.get_by_role("button", name=text["save"]).click()

    # A class of the resident's own kecamatan picked first survives showing every kecamatan.
    page.get_by_label(text["choice"].format(n=2), exact=True).select_option("e2e-1")
    page.get_by_label(text["kecamatan"]).select_option(label=text["all"])
    page.get_by_role("button", name=text["show"], exact=True).click()
    assert page.get_by_label(text["choice"].format(n=2), exact=True).input_value() == "e2e-1"
    for rank, code in [(1, "e2e-2"), (3, "e2e-3")]:
        page.get_by_label(text["choice"].format(n=rank), exact=True).select_option(code)
    chosen = page.get_by_label(text["choice"].format(n=1), exact=True)
    # The full name of the class follows its list: a phone cuts a long option short once chosen.
    assert page.locator(".chosen-class").first.inner_text() == chosen.evaluate(
        "s => s.options[s.selectedIndex].text"
    )
    page.get_by_role("button", name=text["submit"]).click()

    assert page.locator("h1").inner_text() == text["done"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(tmp_path / f"done-{language}.png"), full_page=True)
    application = Application.objects.get()
    assert list(application.choices.values_list("batch__code", flat=True).order_by("rank")) == [
        "e2e-2",
        "e2e-1",
        "e2e-3",
    ]
    context.close()
