"""A resident registers on the web: phone, code from the SMS, profile with consent, ranked choices."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from latihkerja.accounts.models import User
from latihkerja.registration.consent import CURRENT_VERSION
from latihkerja.registration.models import Application, Consent
from latihkerja.residents.models import Resident
from tests.helpers import sent_code

pytestmark = pytest.mark.integration

PROFILE = {
    "nik": "3671014508950003",  # a woman born 5 Aug 1995, Kec. Tangerang
    "kk": "3671010101120005",
    "full_name": "Siti  Aminah",
    "sex": "P",
    "birth_date": "1995-08-05",
    "kelurahan": "36.71.01.1001",
    "address": "Jl. Merdeka No. 5, RT 001/RW 002",
    "email": "",
    "education": "sma",
    "employment_status": "phk",
    "interests": ["BARISTA", "FOTOGRAFI"],
    "consent": "on",
}


def sign_in_by_phone(client, phone="0812-3456-7890"):
    client.post(reverse("registration:phone"), {"phone": phone})
    return client.post(reverse("registration:code"), {"code": sent_code("+6281234567890")})


def test_before_any_class_opens_the_profile_and_interests_are_kept_and_the_page_says_so(client, open_batches):
    """A period announced before its classes are planned: residents' interests are what planning reads."""
    from latihkerja.batches.models import Batch

    Batch.objects.update(status="approved")
    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)

    page = client.get(reverse("registration:choices")).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("registration:choices")).content.decode()

    assert 'id="no-classes"' in page
    assert "Kirim pendaftaran" not in page
    assert "No class is open for this period yet." in english
    assert sorted(Resident.objects.get().interests.values_list("code", flat=True)) == ["BARISTA", "FOTOGRAFI"]


def test_resident_registers_and_ranks_three_batches_when_following_the_steps(client, open_batches):
    client.get(reverse("registration:start"))

    to_profile = sign_in_by_phone(client)
    profile = client.post(reverse("registration:profile"), PROFILE)
    submitted = client.post(
        reverse("registration:choices"), {"choice_1": "reg-3", "choice_2": "reg-1", "choice_3": "reg-4"}
    )
    done = client.get(reverse("registration:done"))

    assert to_profile.url == reverse("registration:profile")
    assert profile.url == reverse("registration:choices")
    assert submitted.url == reverse("registration:done")
    resident = Resident.objects.get()
    assert (resident.full_name, resident.nik, resident.phone, resident.user.username) == (
        "Siti Aminah",
        "3671014508950003",
        "+6281234567890",
        "+6281234567890",
    )
    assert sorted(resident.interests.values_list("code", flat=True)) == ["BARISTA", "FOTOGRAFI"]
    assert list(Consent.objects.values_list("version", "source")) == [(CURRENT_VERSION, "online")]
    application = Application.objects.get()
    assert list(application.choices.values_list("rank", "batch__code")) == [
        (1, "reg-3"),
        (2, "reg-1"),
        (3, "reg-4"),
    ]
    assert "Pendaftaran terkirim" in done.content.decode()


def test_returning_resident_goes_straight_to_choices_when_signing_in_again(client, open_batches):
    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)
    client.logout()

    again = sign_in_by_phone(client)

    assert again.url == reverse("registration:choices")
    assert User.objects.count() == 1


def test_a_signed_in_resident_registering_from_a_class_page_goes_to_their_choices_with_it_added(
    client, open_batches
):
    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)
    client.post(reverse("registration:choices"), {"choice_1": "reg-1"})

    response = client.get(reverse("registration:start"), {"batch": "reg-3"}, follow=True)

    assert response.redirect_chain == [(reverse("registration:choices"), 302)]
    assert response.context["form"].initial == {"choice_1": "reg-1", "choice_2": "reg-3"}
    assert "ditambahkan sebagai pilihan ke-2. Tekan Kirim pendaftaran" in response.content.decode()
    assert "Pendaftaran atas nama Siti Aminah" in response.content.decode()


def test_a_class_page_register_click_with_every_choice_taken_says_the_class_was_not_added(
    client, open_batches
):
    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)
    client.post(
        reverse("registration:choices"), {"choice_1": "reg-1", "choice_2": "reg-2", "choice_3": "reg-3"}
    )

    response = client.get(reverse("registration:start"), {"batch": "reg-4"}, follow=True)

    assert "belum masuk pilihan Anda: semua 3 pilihan sudah terisi" in response.content.decode()
    assert "reg-4" in [code for code, _label in _offered(response)]  # there to swap in


def test_each_class_in_the_choice_list_names_its_start_date_with_the_year_when_choosing(client, open_batches):
    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)
    batch = open_batches[0]  # in the kecamatan of the profile, which the page lists first
    batch.starts_on, batch.ends_on = dt.date(2027, 3, 8), dt.date(2027, 3, 12)
    batch.save(update_fields=["starts_on", "ends_on"])

    page = client.get(reverse("registration:choices"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("registration:choices"))

    options = [
        option for _group, items in page.context["form"].fields["choice_1"].choices[1:] for option in items
    ]
    label = f"{batch.theme.display_name} · {batch.center.name} · mulai 8 Mar 2027"
    assert ("reg-1", label) in options
    assert "· starts 8 Mar 2027" in english.content.decode()


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_birth_date_typed_day_first_as_the_hint_shows_is_accepted_when_in_either_language(
    client, open_batches, language
):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    sign_in_by_phone(client)

    response = client.post(reverse("registration:profile"), {**PROFILE, "birth_date": "05/08/1995"})

    assert response.status_code == 302
    assert Resident.objects.get().birth_date == dt.date(1995, 8, 5)


@pytest.mark.parametrize("typed", ["05081995", "05-08-1995", "5/8/1995"])
def test_a_birth_date_is_a_day_first_text_field_not_the_browsers_month_first_picker(
    client, open_batches, typed
):
    sign_in_by_phone(client)
    page = client.get(reverse("registration:profile")).content.decode()

    response = client.post(reverse("registration:profile"), {**PROFILE, "birth_date": typed})

    field = page[page.index('id="id_birth_date"') - 250 : page.index('id="id_birth_date"') + 100]
    assert 'type="text"' in field
    assert 'placeholder="DD/MM/YYYY"' in field
    assert response.status_code == 302
    assert Resident.objects.get().birth_date == dt.date(1995, 8, 5)


def test_submitting_twice_keeps_one_application_when_double_clicked(client, open_batches):
    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)

    for _ in range(2):
        client.post(reverse("registration:choices"), {"choice_1": "reg-1"})

    assert Application.objects.count() == 1
    assert Application.objects.get().revision == 1


def test_changing_choices_updates_the_same_application_when_window_open(client, open_batches):
    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)
    first = client.post(
        reverse("registration:choices"), {"choice_1": "reg-1", "choice_2": "reg-2"}, follow=True
    )

    changed = client.post(reverse("registration:choices"), {"choice_1": "reg-4"}, follow=True)

    application = Application.objects.get()
    assert application.revision == 2
    assert list(application.choices.values_list("rank", "batch__code")) == [(1, "reg-4")]
    assert "<h1>Pendaftaran terkirim</h1>" in first.content.decode()
    assert (
        "<h1>Perubahan pilihan tersimpan</h1>" in changed.content.decode()
    )  # not the same page as the first


def test_my_page_marks_a_chosen_class_that_was_cancelled_and_asks_to_replace_it(client, open_batches):
    """The set-up review's resident kept seeing a cancelled class among the choices sent, as if nothing happened."""
    from latihkerja.batches.models import Batch

    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)
    client.post(reverse("registration:choices"), {"choice_1": "reg-1", "choice_2": "reg-2"})
    before = client.get(reverse("accounts:start")).content.decode()
    Batch.objects.filter(code="reg-2").update(status="cancelled")

    after = client.get(reverse("accounts:start")).content.decode()

    assert 'id="choice-cancelled"' not in before
    assert after.count("choice-cancelled") == 2  # the one choice's badge, and the sentence
    assert "Ganti pilihan itu dengan kelas lain" in after


def test_after_withdrawing_the_choices_page_starts_empty_and_registering_again_says_sent(
    client, open_batches
):
    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)
    client.post(reverse("registration:choices"), {"choice_1": "reg-1", "choice_2": "reg-2"})
    client.post(reverse("registration:withdraw"))

    done_after_withdrawal = client.get(reverse("registration:done"))
    page = client.get(reverse("registration:choices"))
    again = client.post(reverse("registration:choices"), {"choice_1": "reg-4"}, follow=True)

    assert done_after_withdrawal.url == reverse(
        "registration:choices"
    )  # no "sent" for a withdrawn application
    assert page.context["form"].initial == {}
    assert "Anda sudah membatalkan pendaftaran" in page.content.decode()
    assert "Anda sudah mendaftar" not in page.content.decode()
    assert "<h1>Pendaftaran terkirim</h1>" in again.content.decode()
    application = Application.objects.get()
    assert (application.status, list(application.choices.values_list("batch__code", flat=True))) == (
        "submitted",
        ["reg-4"],
    )


# Every profile field with a value the rules refuse, and the message the resident reads (also used by the API test).
BAD_PROFILE = [
    ("nik", "36710145089500", "NIK harus 16 angka."),
    ("nik", "36710145O8950003", "NIK hanya boleh berisi angka."),
    (
        "nik",
        "3671017208950003",
        "NIK ini tidak mungkin benar: angka ke-7 sampai ke-12 bukan tanggal lahir (untuk perempuan, tanggalnya "
        "ditambah 40). Periksa lagi NIK di KTP atau KK.",
    ),
    (
        "nik",
        "3671014608950003",
        "Tanggal lahir pada NIK tidak sama dengan tanggal lahir yang diisi. Periksa keduanya di KTP.",
    ),
    (
        "nik",
        "3671994508950003",
        "Kode kecamatan pada NIK (angka ke-5 dan ke-6) tidak ada di kota ini. Periksa lagi NIK di KTP.",
    ),
    ("kk", "12345", "Nomor KK harus 16 angka."),
    ("full_name", "Siti 4minah", "Tulis nama lengkap dengan huruf, sesuai KTP."),
    ("full_name", '=HYPERLINK("http://x","Siti")', "Tulis nama lengkap dengan huruf, sesuai KTP."),
    ("full_name", "Siti <b>Aminah</b>", "Tulis nama lengkap dengan huruf, sesuai KTP."),
    ("full_name", "Siti Aminah 😀", "Tulis nama lengkap dengan huruf, sesuai KTP."),
    (
        "birth_date",
        "1995-02-31",
        "Tanggal ini tidak ada atau tidak terbaca. Tulis hari/bulan/tahun seperti di KTP, misalnya 17/08/1995.",
    ),
    (
        "birth_date",
        "2999-01-01",
        "Tanggal lahir ini tidak mungkin benar (di masa depan atau sebelum 1900). Periksa lagi di KTP.",
    ),
    (
        "nik",
        "3671010508950003",
        "NIK tidak cocok dengan jenis kelamin yang dipilih (pada NIK perempuan, tanggal lahir ditambah 40). "
        "Periksa NIK di KTP dan pilihan jenis kelamin.",
    ),
    (
        "kelurahan",
        "99.99.99.9999",
        "Masukkan pilihan yang valid. Pilihan tersebut bukan salah satu dari pilihan yang tersedia.",
    ),
    ("sex", "X", "Masukkan pilihan yang valid. X bukan salah satu dari pilihan yang tersedia."),
    ("employment_status", "", "Wajib diisi."),
    (
        "employment_status",
        "pensiun",
        "Masukkan pilihan yang valid. pensiun bukan salah satu dari pilihan yang tersedia.",
    ),
    (
        "education",
        "profesor",
        "Masukkan pilihan yang valid. profesor bukan salah satu dari pilihan yang tersedia.",
    ),
    ("email", "bukan-email", "Masukkan alamat email yang valid."),
    ("address", "", "Wajib diisi."),
    ("full_name", "", "Wajib diisi."),
    ("nik", "", "Wajib diisi."),
    ("consent", "", "Centang persetujuan untuk melanjutkan."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_PROFILE)
def test_bad_profile_input_is_explained_beside_the_field_and_changes_nothing_when_submitted(
    client, open_batches, field, value, message
):
    sign_in_by_phone(client)

    response = client.post(reverse("registration:profile"), {**PROFILE, field: value})

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert Resident.objects.count() == 0
    assert "Ada yang perlu diperbaiki" in response.content.decode()


def test_age_outside_the_programme_is_refused_with_the_range_when_too_old(client, open_batches):
    sign_in_by_phone(client)

    response = client.post(
        reverse("registration:profile"), {**PROFILE, "nik": "3671014508500003", "birth_date": "1950-08-05"}
    )

    assert response.context["form"].errors["birth_date"] == [  # the date the NIK agrees with is the cause
        "Program ini untuk usia 15–64 tahun pada awal periode (1 Oktober 2020)."
    ]
    assert "nik" not in response.context["form"].errors
    assert Resident.objects.count() == 0


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ({"choice_1": "reg-1", "choice_2": "reg-1"}, "Setiap kelas hanya boleh dipilih sekali."),
        ({"choice_1": "reg-draft"}, "Kelas ini tidak tersedia. Pilih dari daftar."),
        ({"choice_1": ""}, "Pilih setidaknya satu kelas."),
        ({"choice_1": "<script>"}, "Kelas ini tidak tersedia. Pilih dari daftar."),
    ],
)
def test_bad_choices_are_explained_and_nothing_is_saved_when_submitted(
    client, open_batches, choices, message
):
    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)

    response = client.post(reverse("registration:choices"), choices)

    assert response.status_code == 200
    assert message in str(response.context["form"].errors)
    assert Application.objects.count() == 0


def test_staff_cannot_use_the_resident_pages_when_signed_in(login, operator_blk_a, open_batches):
    client = login(operator_blk_a)

    response = client.get(reverse("registration:profile"))

    assert response.url == reverse("accounts:start")


def test_pages_need_a_verified_phone_when_anonymous(client, open_batches):
    response = client.get(reverse("registration:choices"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("registration:phone"))


def test_code_page_sends_back_to_the_phone_step_when_no_phone_was_given(client, db):
    response = client.get(reverse("registration:code"))

    assert response.url == reverse("registration:phone")


def test_start_page_says_arrival_order_does_not_matter_when_open(client, open_batches):
    response = client.get(reverse("registration:start"))

    assert "bukan menurut siapa yang mendaftar lebih dulu" in response.content.decode()


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("12345", "Masukkan nomor HP Indonesia, misalnya 0812 3456 7890."),
        ("021-555-1234", "Masukkan nomor HP Indonesia, misalnya 0812 3456 7890."),
        ("", "Wajib diisi."),
    ],
)
def test_bad_phone_is_explained_and_no_code_is_sent_when_submitted(client, db, phone, message):
    from latihkerja.notifications.models import Message

    response = client.post(reverse("registration:phone"), {"phone": phone})

    assert response.context["form"].errors["phone"] == [message]
    assert Message.objects.count() == 0


def test_unknown_interest_is_refused_when_submitted(client, open_batches):
    sign_in_by_phone(client)

    response = client.post(reverse("registration:profile"), {**PROFILE, "interests": ["TERBANG"]})

    assert "interests" in response.context["form"].errors
    assert Resident.objects.count() == 0


def test_registration_closed_is_explained_when_the_deadline_has_passed(client, open_batches, period):
    import datetime as dt

    from django.utils import timezone

    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)
    period.registration_closes_at = timezone.now() - dt.timedelta(minutes=1)
    period.registration_opens_at = timezone.now() - dt.timedelta(days=10)
    period.save()

    page = client.get(reverse("registration:choices"))
    response = client.post(reverse("registration:choices"), {"choice_1": "reg-1"})

    assert "Pendaftaran sudah ditutup." in page.content.decode()
    assert response.context["form"].non_field_errors()[0].startswith("Pendaftaran periode ini ditutup.")
    assert Application.objects.count() == 0


def test_an_imported_resident_finds_their_profile_when_signing_in_with_the_recorded_phone(
    client, open_batches
):
    from tests.factories import ResidentFactory

    imported = ResidentFactory(phone="+6281234567890", user=None)

    response = sign_in_by_phone(client)

    assert response.url == reverse("registration:choices")
    assert Resident.objects.get(pk=imported.pk).user.username == "+6281234567890"


def test_residents_sharing_one_phone_each_open_their_own_registration_with_their_nik(client, open_batches):
    from latihkerja.engine.nik import Sex as NikSex
    from latihkerja.engine.nik import build_nik
    from tests.factories import ResidentFactory

    niks = [
        build_nik(region="367101", birth_date=dt.date(1980 + i, 1, 1), sex=NikSex.MALE, serial=1)
        for i in (0, 1)
    ]
    mother, son = (ResidentFactory(phone="+6281234567890", user=None, nik=nik) for nik in niks)

    asked = sign_in_by_phone(client)
    wrong = client.post(reverse("registration:who"), {"nik": "3671010101900099"})
    as_son = client.post(reverse("registration:who"), {"nik": niks[1]})
    page = client.get(reverse("accounts:start")).content.decode()
    client.post(reverse("registration:another"))  # "not me": the daughter registers on the same phone
    daughter_account = client.get(reverse("registration:profile")).context["user"]
    client.logout()
    sign_in_by_phone(client)
    as_mother = client.post(reverse("registration:who"), {"nik": niks[0]})

    assert asked.url == reverse("registration:who")
    assert "NIK ini tidak tercatat dengan nomor HP ini" in wrong.content.decode()
    assert as_son.url == reverse("registration:choices")
    assert son.full_name in page
    assert mother.full_name not in page
    assert as_mother.url == reverse("registration:choices")
    mother.refresh_from_db()
    son.refresh_from_db()
    assert len({mother.user_id, son.user_id, daughter_account.pk}) == 3  # one account per person
    assert {mother.user.phone, son.user.phone, daughter_account.phone} == {"+6281234567890"}
    assert (
        not hasattr(daughter_account, "resident")
        or Resident.objects.filter(user=daughter_account).count() == 0
    )


def test_a_fields_help_text_is_the_one_its_input_points_screen_readers_to(client, open_batches):
    sign_in_by_phone(client)

    page = client.get(reverse("registration:profile")).content.decode()

    described = page[page.index('id="id_nik"') - 300 : page.index('id="id_nik"') + 300]
    assert 'aria-describedby="id_nik_helptext"' in described
    assert 'id="id_nik_helptext"' in page


def offered_codes(form):
    return {code for _group, items in form.fields["choice_1"].choices[1:] for code, _label in items}


def test_a_class_chosen_only_in_rank_two_becomes_the_first_choice(client, open_batches):
    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)

    response = client.post(reverse("registration:choices"), {"choice_1": "", "choice_2": "reg-2"})

    assert response.status_code == 302
    assert list(Application.objects.get().choices.values_list("rank", "batch__code")) == [(1, "reg-2")]


def test_a_refused_choice_form_keeps_the_kecamatan_list_it_showed(client, open_batches):
    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)  # lives in Kec. Tangerang
    url = reverse("registration:choices")

    shown = client.get(url).context["form"]
    refused = client.post(url, {"choice_1": "reg-1", "choice_2": "reg-1"}).context["form"]

    assert "reg-3" not in offered_codes(shown)  # Cipondoh's class is another kecamatan
    assert offered_codes(refused) == offered_codes(shown)  # not every open class of the city


def test_picks_not_yet_sent_survive_showing_another_kecamatan(client, open_batches):
    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)
    cipondoh = open_batches[2].center.kelurahan.kecamatan.code

    # What the page's script adds to the kecamatan filter: the picks of the choice form.
    form = client.get(reverse("registration:choices"), {"kecamatan": cipondoh, "choice_1": "reg-2"}).context[
        "form"
    ]

    assert form.initial == {"choice_1": "reg-2"}
    assert offered_codes(form) == {"reg-2", "reg-3"}  # Cipondoh's class, and the pick from Tangerang


def test_the_confirmation_sms_names_the_period_in_the_residents_language(client, open_batches, period):
    from latihkerja.accounts.models import User
    from latihkerja.notifications.models import Message

    period.name, period.name_en = "Oktober–Desember 2020", "October–December 2020"
    period.save(update_fields=["name", "name_en"])
    sign_in_by_phone(client)
    User.objects.filter(username="+6281234567890").update(language="en")
    client.post(reverse("registration:profile"), PROFILE)

    client.post(reverse("registration:choices"), {"choice_1": "reg-1"})

    body = Message.objects.get(kind="application_submitted").body
    assert "October–December 2020" in body
    assert "Oktober" not in body


def test_a_signed_out_resident_who_scanned_a_qr_code_is_sent_back_to_it_after_the_sms_code(
    client, open_batches
):
    from tests.factories import ResidentFactory

    ResidentFactory(phone="+6281234567890", user=None)
    check_in = "/pelatihan-berjalan/hadir/12/ABCDEFGH/"

    login_page = client.get(reverse("accounts:login") + f"?next={check_in}").content.decode()
    client.get(reverse("registration:phone") + f"?next={check_in}")
    response = sign_in_by_phone(client)

    assert (
        f"{reverse('registration:phone')}?masuk=1&amp;next=/pelatihan-berjalan/hadir/12/ABCDEFGH/"
        in login_page
    )
    assert response.url == check_in


def test_a_next_address_on_another_site_is_ignored_after_the_sms_code(client, open_batches):
    from tests.factories import ResidentFactory

    ResidentFactory(phone="+6281234567890", user=None)

    client.get(reverse("registration:phone") + "?next=https://evil.example.org/")
    response = sign_in_by_phone(client)

    assert response.url == reverse("registration:choices")


def test_signing_in_from_the_login_page_reads_as_a_sign_in_not_as_step_one_of_registering(
    client, open_batches
):
    login_page = client.get(reverse("accounts:login")).content.decode()
    phone_page = client.get(reverse("registration:phone"), {"masuk": "1"}).content.decode()
    wizard = client.get(reverse("registration:phone")).content.decode()

    assert login_page.index('id="resident-sign-in"') < login_page.index('id="id_username"')  # residents first
    assert "<h1>Masuk dengan nomor HP</h1>" in phone_page
    assert "Langkah 1 dari 4" not in phone_page
    assert "Langkah 1 dari 4" in wizard
    client.post(reverse("registration:phone") + "?masuk=1", {"phone": "0812 3456 7890"})
    assert "Langkah 2 dari 4" not in client.get(reverse("registration:code")).content.decode()
    client.post(reverse("registration:phone"), {"phone": "0812 3456 7891"})
    assert "Langkah 2 dari 4" in client.get(reverse("registration:code")).content.decode()


def test_a_nik_typed_in_full_width_digits_is_stored_as_the_same_nik_and_cannot_register_twice(
    client, open_batches
):
    full_width = PROFILE["nik"].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    sign_in_by_phone(client)

    first = client.post(reverse("registration:profile"), {**PROFILE, "nik": full_width})
    resident = Resident.objects.get()
    resident.user = None  # as if another person had registered it: a second account tries the same NIK
    resident.save(update_fields=["user"])
    again = client.post(reverse("registration:profile"), {**PROFILE, "nik": full_width})

    assert first.status_code == 302
    assert resident.nik == PROFILE["nik"]  # one spelling: ASCII digits
    assert "NIK ini sudah terdaftar" in again.content.decode()
    assert Resident.objects.count() == 1


def test_signing_in_after_registration_closed_lands_on_my_page_not_on_choices(client, open_batches, period):
    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)
    client.post(reverse("registration:choices"), {"choice_1": "reg-1"})
    client.logout()
    period.registration_closes_at = timezone.now() - dt.timedelta(hours=1)
    period.save(update_fields=["registration_closes_at"])

    response = sign_in_by_phone(client)
    choices = client.get(reverse("registration:choices")).content.decode()

    assert response.url == reverse("accounts:start")
    assert "Anda boleh mengubah pilihan sampai pendaftaran ditutup" not in choices


def _offered(response):
    field = response.context["form"].fields["choice_1"]
    return [item for _group, items in field.choices[1:] for item in items]


def test_send_again_fills_in_the_number_and_a_code_retried_after_a_lost_answer_is_explained(
    client, open_batches
):
    """On a flaky connection: the number need not be typed again, and a code posted again after its answer was
    lost (the sign-in had changed the session) says why the resident is back at the start."""
    from django.test import Client

    client.post(reverse("registration:phone"), {"phone": "0812-3456-7890"})
    again = client.get(reverse("registration:phone"))
    stale = Client()  # the phone whose session the lost answer would have replaced
    retried = stale.post(reverse("registration:code"), {"code": "123456"}, follow=True)

    assert 'value="081234567890"' in again.content.decode()
    assert retried.redirect_chain[-1][0] == reverse("registration:phone")
    assert [str(m) for m in retried.context["messages"]] == [
        "Sesi pendaftaran berakhir atau kodenya sudah dipakai. Masukkan nomor HP lagi."
    ]


def test_showing_another_kecamatan_keeps_the_picks_made_so_far_without_javascript(client, open_batches):
    """The filter used to be a form of its own: without JavaScript (or when app.js failed to load on a bad
    connection) it dropped the class already picked. It now posts the whole choices form."""
    from latihkerja.regions.models import Kecamatan

    sign_in_by_phone(client)
    client.post(reverse("registration:profile"), PROFILE)
    cipondoh = Kecamatan.objects.get(kelurahan_set__name="Cipondoh").code

    shown = client.post(
        reverse("registration:choices"),
        {"choice_1": "reg-1", "kecamatan": cipondoh, "show": "1"},
        follow=True,
    )

    page = shown.content.decode()
    assert (
        shown.redirect_chain[-1][0]
        == f"{reverse('registration:choices')}?kecamatan={cipondoh}&choice_1=reg-1"
    )
    assert shown.context["form"].initial == {"choice_1": "reg-1"}
    assert 'value="reg-3"' in page  # Cipondoh's class listed, the pick kept
    assert not Application.objects.exists()  # showing is not submitting
    assert 'form="choices-form"' in page


def test_the_code_page_says_when_the_sms_could_not_be_sent_instead_of_claiming_it_was(client, db):
    """While the SMS provider failed, the page said "we sent a code" five times, then the limit locked the
    resident out (resilience review)."""
    from latihkerja.notifications.models import Message

    client.post(reverse("registration:phone"), {"phone": "0812-3456-7890"})
    sent = client.get(reverse("registration:code")).content.decode()
    Message.objects.filter(kind="otp").update(status="failed", attempts=1, last_error="HTTP 500")
    failed = client.get(reverse("registration:code")).content.decode()

    assert "Kami mengirim kode 6 angka ke 0812•••890." in sent
    assert 'id="sms-failed"' not in sent
    assert 'id="sms-failed"' in failed
    assert "Kami mengirim kode" not in failed
