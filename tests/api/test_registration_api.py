"""Registration over the API: same rules, same messages, same permissions as the pages."""

import datetime as dt

import pytest

from latihkerja.registration.models import Application
from latihkerja.residents.models import Resident
from tests.helpers import sent_code
from tests.registration.test_journey import BAD_PROFILE, PROFILE

pytestmark = pytest.mark.integration

API_PROFILE = {**PROFILE, "consent": True, "has_disability": False}


def signed_in(client, phone="081234567890"):
    assert (
        client.post("/api/v1/auth/code", {"phone": phone}, content_type="application/json").status_code == 202
    )
    response = client.post(
        "/api/v1/auth/verify",
        {"phone": phone, "code": sent_code("+6281234567890")},
        content_type="application/json",
    )
    assert response.status_code == 200
    return response


def test_resident_registers_and_submits_choices_through_the_api_when_verified(client, open_batches):
    session = signed_in(client)

    created = client.post("/api/v1/me/profile", API_PROFILE, content_type="application/json")
    put = client.put(
        "/api/v1/me/application", {"choices": ["reg-2", "reg-4"]}, content_type="application/json"
    )
    got = client.get("/api/v1/me/application")

    assert session.json() == {"username": "+6281234567890", "has_profile": False}
    assert created.status_code == 201
    assert created.json()["masked_nik"] == "367101••••••0003"
    assert put.status_code == 200
    assert got.json()["choices"] == [
        {"rank": 1, "batch": "reg-2", "theme": "Barista", "center": "BLK Kelurahan Sukarasa"},
        {"rank": 2, "batch": "reg-4", "theme": "Barista", "center": "BLK Kelurahan Babakan"},
    ]
    assert Application.objects.count() == 1


def test_api_refuses_a_bad_nik_with_the_rule_in_the_requested_language_when_posted(client, open_batches):
    signed_in(client)

    response = client.post(
        "/api/v1/me/profile",
        {**API_PROFILE, "nik": "3671010508950003"},
        content_type="application/json",
        headers={"accept-language": "en"},
    )

    message = (
        "The NIK does not match the sex chosen (in a woman's NIK, 40 is added to the day of birth). "
        "Check the NIK on the KTP and the sex chosen."
    )
    assert response.status_code == 400
    assert response.json() == {"detail": f"NIK: {message}", "errors": {"nik": [message]}}
    assert Resident.objects.count() == 0


# The page's bad-input table, minus what the API's types refuse before the rules (an impossible date, a
# consent that is not a boolean: 422 with the field, tested in test_api_errors).
API_BAD_PROFILE = [
    (field, value, message)
    for field, value, message in BAD_PROFILE
    if field != "consent" and (field, value) != ("birth_date", "1995-02-31")
]


@pytest.mark.parametrize(("field", "value", "message"), API_BAD_PROFILE)
def test_api_refuses_every_bad_profile_field_with_the_pages_message(
    client, open_batches, field, value, message
):
    signed_in(client)

    response = client.post(
        "/api/v1/me/profile", {**API_PROFILE, field: value}, content_type="application/json"
    )

    assert response.status_code == 400
    assert message in response.json()["errors"][field]
    assert message in response.json()["detail"]
    assert Resident.objects.count() == 0


def test_api_refuses_an_unknown_interest_instead_of_dropping_it(client, open_batches):
    signed_in(client)

    response = client.post(
        "/api/v1/me/profile",
        {**API_PROFILE, "interests": ["BARISTA", "TIDAK-ADA"]},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["interests"]
    assert Resident.objects.count() == 0


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        (["reg-1", "reg-1"], "Setiap kelas hanya boleh dipilih sekali."),
        (["reg-1", "reg-2", "reg-3", "reg-4"], "Anda boleh memilih paling banyak 3 kelas."),
        (["reg-draft"], "Kelas reg-draft tidak dibuka untuk pendaftaran periode ini."),
        ([], "Pilih setidaknya satu kelas."),
    ],
)
def test_api_refuses_bad_choices_and_saves_nothing_when_put(client, open_batches, choices, message):
    signed_in(client)
    client.post("/api/v1/me/profile", API_PROFILE, content_type="application/json")

    response = client.put("/api/v1/me/application", {"choices": choices}, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": message}
    assert Application.objects.count() == 0


def test_api_needs_a_session_when_anonymous(client, open_batches):
    response = client.get("/api/v1/me/application")

    assert response.status_code == 401


def test_api_is_for_residents_only_when_staff_calls_it(login, operator_blk_a, open_batches):
    client = login(operator_blk_a)

    response = client.get("/api/v1/me/application")

    assert response.status_code == 403


def test_api_malformed_json_is_a_422_with_the_field_when_posted(client, open_batches):
    response = client.post("/api/v1/auth/code", {"telephone": "0812"}, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "phone"


def test_api_withdraws_an_application_when_deleted(client, open_batches):
    signed_in(client)
    client.post("/api/v1/me/profile", API_PROFILE, content_type="application/json")
    client.put("/api/v1/me/application", {"choices": ["reg-1"]}, content_type="application/json")

    response = client.delete("/api/v1/me/application")

    assert response.json()["status"] == "withdrawn"


def test_api_put_answers_what_a_later_get_reads_when_new_changed_or_repeated(client, open_batches):
    signed_in(client)
    client.post("/api/v1/me/profile", API_PROFILE, content_type="application/json")
    answers = []
    for choices in (["reg-2", "reg-4"], ["reg-4", "reg-1", "reg-2"], ["reg-4", "reg-1", "reg-2"]):
        put = client.put("/api/v1/me/application", {"choices": choices}, content_type="application/json")
        got = client.get("/api/v1/me/application")
        answers.append((put.status_code, put.json(), got.json()))

    assert [status for status, _, _ in answers] == [200, 200, 200]
    assert all(put == got for _, put, got in answers)
    assert [put["revision"] for _, put, _ in answers] == [1, 2, 2]
    assert [c["batch"] for c in answers[-1][1]["choices"]] == ["reg-4", "reg-1", "reg-2"]
    assert answers[-1][1]["choices"][0] == {
        "rank": 1,
        "batch": "reg-4",
        "theme": "Barista",
        "center": "BLK Kelurahan Babakan",
    }


def two_people_on_one_phone(phone):
    """Two imported residents (a family) sharing `phone`, without accounts yet; returns their NIKs."""
    from latihkerja.engine.nik import Sex as NikSex
    from latihkerja.engine.nik import build_nik
    from tests.factories import ResidentFactory

    niks = [
        build_nik(region="367101", birth_date=dt.date(1980 + i, 1, 1), sex=NikSex.MALE, serial=1)
        for i in (0, 1)
    ]
    for nik in niks:
        ResidentFactory(phone=phone, user=None, nik=nik)
    return niks


def test_a_shared_phone_signs_in_through_the_api_with_the_residents_nik_or_as_a_new_person(
    client, open_batches
):
    from latihkerja.residents.models import Resident
    from tests.helpers import sent_code

    niks = two_people_on_one_phone("+6281234567890")
    phone = "0812 3456 7890"

    client.post("/api/v1/auth/code", {"phone": phone}, content_type="application/json")
    unsaid = client.post(
        "/api/v1/auth/verify",
        {"phone": phone, "code": sent_code("+6281234567890")},
        content_type="application/json",
    )
    signed = client.post(
        "/api/v1/auth/verify",
        {"phone": phone, "code": sent_code("+6281234567890"), "nik": niks[1]},
        content_type="application/json",
    )

    assert unsaid.status_code == 409  # asked before the code is spent: the same code still works
    assert "NIK" in unsaid.json()["detail"]
    assert signed.status_code == 200
    assert signed.json()["has_profile"] is True
    person = Resident.objects.get(user__username=signed.json()["username"])
    assert person.nik == niks[1]


def test_the_api_tells_nothing_about_a_phone_without_its_code_and_keeps_the_code_for_a_mistyped_nik(
    client, open_batches
):
    niks = two_people_on_one_phone("+6281234567890")
    phone = "0812 3456 7890"

    guessed = client.post(
        "/api/v1/auth/verify", {"phone": phone, "code": "000000"}, content_type="application/json"
    )
    client.post("/api/v1/auth/code", {"phone": phone}, content_type="application/json")
    code = sent_code("+6281234567890")
    mistyped = client.post(
        "/api/v1/auth/verify",
        {"phone": phone, "code": code, "nik": "3671010101990001"},
        content_type="application/json",
    )
    signed = client.post(
        "/api/v1/auth/verify", {"phone": phone, "code": code, "nik": niks[0]}, content_type="application/json"
    )

    assert guessed.status_code == 400  # the same answer as for any phone: nothing said about its residents
    assert "lebih dari satu warga" not in guessed.json()["detail"]
    assert mistyped.status_code == 400
    assert "Kodenya masih berlaku" in mistyped.json()["detail"]
    assert signed.status_code == 200


def test_wrong_niks_use_up_the_code_so_a_relative_holding_the_phone_cannot_search_for_one(
    client, open_batches
):
    """The page allowed 5 tries; the API allowed any number within the code's ten minutes (30 were tried)."""
    from latihkerja.accounts.errors import AccountError
    from latihkerja.accounts.services import MAX_ATTEMPTS

    niks = two_people_on_one_phone("+6281234567890")
    phone = "0812 3456 7890"
    client.post("/api/v1/auth/code", {"phone": phone}, content_type="application/json")
    code = sent_code("+6281234567890")

    wrong = [
        client.post(
            "/api/v1/auth/verify",
            {"phone": phone, "code": code, "nik": f"36710101019900{n:02d}"},
            content_type="application/json",
        )
        for n in range(MAX_ATTEMPTS)
    ]
    right = client.post(
        "/api/v1/auth/verify", {"phone": phone, "code": code, "nik": niks[1]}, content_type="application/json"
    )

    assert [response.status_code for response in wrong] == [400] * MAX_ATTEMPTS
    assert right.status_code == 400
    assert right.json()["detail"] == str(AccountError.CODE_LOCKED)
    assert "_auth_user_id" not in client.session


def test_new_person_registers_apart_through_the_api_even_when_the_phone_has_one_resident(
    client, open_batches
):
    from tests.factories import ResidentFactory

    owner = ResidentFactory(phone="+6281234567890", user=None)
    client.post("/api/v1/auth/code", {"phone": "0812 3456 7890"}, content_type="application/json")

    response = client.post(
        "/api/v1/auth/verify",
        {"phone": "0812 3456 7890", "code": sent_code("+6281234567890"), "new_person": True},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["has_profile"] is False  # not the owner's account
    owner.refresh_from_db()
    assert owner.user is None or owner.user.username != response.json()["username"]


@pytest.mark.parametrize("consent", ["yes", 1, "true"])
def test_consent_through_the_api_is_json_true_and_nothing_that_looks_like_it(client, open_batches, consent):
    signed_in(client)

    response = client.post(
        "/api/v1/me/profile", {**API_PROFILE, "consent": consent}, content_type="application/json"
    )

    assert response.status_code == 422
    assert not Resident.objects.exists()


def test_an_unknown_class_is_named_short_in_the_refusal(client, open_batches):
    signed_in(client)
    client.post("/api/v1/me/profile", API_PROFILE, content_type="application/json")

    response = client.put(
        "/api/v1/me/application", {"choices": ["x" * 100_000]}, content_type="application/json"
    )

    assert response.status_code == 400
    assert len(response.json()["detail"]) < 300


def test_the_api_shows_my_profile_masked_and_signs_out_on_request(client, open_batches):
    signed_in(client)
    before = client.get("/api/v1/me/profile")
    client.post("/api/v1/me/profile", API_PROFILE, content_type="application/json")

    profile = client.get("/api/v1/me/profile")
    signed_out = client.post("/api/v1/auth/signout")
    after = client.get("/api/v1/me/profile", HTTP_ACCEPT_LANGUAGE="en")

    assert before.status_code == 404
    assert profile.status_code == 200
    assert profile.json() == {
        "full_name": " ".join(PROFILE["full_name"].split()),  # as the form stores it
        "masked_nik": "367101••••••0003",
        "kelurahan": PROFILE["kelurahan"],
        "employment_status": PROFILE["employment_status"],
    }
    assert (signed_out.status_code, signed_out.json()) == (200, {"detail": "Anda sudah keluar."})
    assert after.status_code == 401  # on a phone a family shares, the next person starts signed out
    assert after.json() == {"detail": "Sign in first: this request needs a valid session."}


def test_withdrawing_twice_through_the_api_answers_the_same_as_once(client, open_batches):
    signed_in(client)
    client.post("/api/v1/me/profile", API_PROFILE, content_type="application/json")
    client.put("/api/v1/me/application", {"choices": ["reg-1"]}, content_type="application/json")

    first = client.delete("/api/v1/me/application")
    again = client.delete("/api/v1/me/application")

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert Application.objects.get().revision == first.json()["revision"]  # the retry changed nothing


def test_withdrawing_through_the_api_without_an_application_is_refused(client, open_batches):
    signed_in(client)
    client.post("/api/v1/me/profile", API_PROFILE, content_type="application/json")

    response = client.delete("/api/v1/me/application")

    assert (response.status_code, response.json()) == (
        400,
        {"detail": "Tidak ada pendaftaran untuk dibatalkan."},
    )


def test_the_city_regions_are_listed_with_the_codes_a_profile_takes(client, open_batches):
    regions = client.get("/api/v1/public/regions").json()

    assert len(regions) == 13
    assert sum(len(kec["kelurahan"]) for kec in regions) == 104
    codes = {kel["code"] for kec in regions for kel in kec["kelurahan"]}
    assert PROFILE["kelurahan"] in codes


def test_the_openapi_document_names_the_refusals_and_the_allowed_values(client):
    document = client.get("/api/v1/openapi.json").json()

    put = document["paths"]["/api/v1/me/application"]["put"]["responses"]
    assert {"200", "400", "401", "403", "404", "415", "422"} <= set(put)
    assert "415" in document["paths"]["/api/v1/auth/verify"]["post"]["responses"]
    assert "415" not in document["paths"]["/api/v1/me/application"]["get"]["responses"]  # takes no body
    profile = document["components"]["schemas"]["ProfileIn"]["properties"]
    assert profile["employment_status"]["enum"] == [
        "phk",
        "dirumahkan",
        "menganggur",
        "bekerja",
        "pelajar",
        "usaha",
    ]
    assert profile["sex"]["enum"] == ["L", "P"]


def test_an_app_shows_the_consent_text_and_its_version_is_checked(client, open_batches):
    """An app records consent to a text its user saw: it fetches it, and an outdated version is refused."""
    from latihkerja.registration.consent import CURRENT_VERSION, consent_digest

    text = client.get("/api/v1/public/consent", HTTP_ACCEPT_LANGUAGE="en").json()
    signed_in(client)
    outdated = client.post(
        "/api/v1/me/profile", {**API_PROFILE, "consent_version": "2019-v0"}, content_type="application/json"
    )
    current = client.post(
        "/api/v1/me/profile",
        {**API_PROFILE, "consent_version": text["version"]},
        content_type="application/json",
    )

    assert (text["version"], text["digest"]) == (CURRENT_VERSION, consent_digest())
    assert text["text"].startswith("I agree")
    assert outdated.status_code == 409
    assert CURRENT_VERSION in outdated.json()["detail"]
    assert current.status_code == 201


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""],
)
def test_a_sign_in_posted_as_a_cross_site_form_would_is_refused_and_signs_nobody_in(client, db, content_type):
    """Login CSRF: a page elsewhere can make the victim's browser post a JSON-looking text/plain body without
    asking first; reading it signed the browser into the attacker's account, where the victim's NIK went."""
    import json

    phone = "+6281234567890"
    assert (
        client.post("/api/v1/auth/code", {"phone": phone}, content_type="application/json").status_code == 202
    )
    body = json.dumps({"phone": phone, "code": sent_code(phone), "x": "="})

    response = client.post("/api/v1/auth/verify", body, content_type=content_type)

    assert response.status_code == 415
    assert response.json() == {
        "detail": "Kirim isi permintaan sebagai JSON dengan header Content-Type: application/json."
    }
    assert client.get("/api/v1/me/profile").status_code == 401
    assert "_auth_user_id" not in client.session


def test_a_json_media_type_with_parameters_or_a_suffix_is_read_as_json(client, db):
    response = client.post(
        "/api/v1/auth/code", '{"phone": "081234567890"}', content_type="application/json; charset=utf-8"
    )

    assert response.status_code == 202


def test_an_account_told_too_often_that_a_nik_is_registered_cannot_go_on_trying_niks(client, open_batches):
    """'This NIK is registered' says whether someone is in the programme: an account may hear it a few times a
    day, not run through a list of NIKs (security review)."""
    from latihkerja.residents.errors import ResidentError
    from latihkerja.residents.services import NIK_TAKEN_PER_DAY
    from tests.factories import ResidentFactory

    ResidentFactory(nik=API_PROFILE["nik"], full_name="Pemilik NIK", phone="+6281299990000")
    signed_in(client)

    taken = [
        client.post("/api/v1/me/profile", API_PROFILE, content_type="application/json")
        for _ in range(NIK_TAKEN_PER_DAY + 1)
    ]
    own = client.post(
        "/api/v1/me/profile", {**API_PROFILE, "nik": "3671014508950004"}, content_type="application/json"
    )

    assert [r.json()["detail"] for r in taken[:NIK_TAKEN_PER_DAY]] == [str(ResidentError.NIK_TAKEN)] * 5
    assert taken[-1].json()["detail"] == str(ResidentError.NIK_TAKEN_TOO_OFTEN)
    assert own.status_code == 400  # even a NIK of nobody's: the day's tries are spent
    assert own.json()["detail"] == str(ResidentError.NIK_TAKEN_TOO_OFTEN)
    assert Resident.objects.count() == 1


def test_the_nik_refusals_are_counted_per_phone_so_a_new_account_on_it_starts_no_fresh_count(
    client, open_batches
):
    """'Not me' (a new person on the same phone) makes a new account at no cost: the count follows the phone."""
    from latihkerja.residents.errors import ResidentError
    from latihkerja.residents.services import NIK_TAKEN_PER_DAY
    from tests.factories import ResidentFactory

    ResidentFactory(nik=API_PROFILE["nik"], full_name="Pemilik NIK", phone="+6281234567890")
    client.post("/api/v1/auth/code", {"phone": "081234567890"}, content_type="application/json")
    client.post(
        "/api/v1/auth/verify",
        {"phone": "081234567890", "code": sent_code("+6281234567890"), "new_person": True},
        content_type="application/json",
    )
    for _ in range(NIK_TAKEN_PER_DAY):
        client.post("/api/v1/me/profile", API_PROFILE, content_type="application/json")
    client.post("/api/v1/auth/signout", content_type="application/json")
    client.post("/api/v1/auth/code", {"phone": "081234567890"}, content_type="application/json")
    again = client.post(
        "/api/v1/auth/verify",
        {"phone": "081234567890", "code": sent_code("+6281234567890"), "new_person": True},
        content_type="application/json",
    )

    refused = client.post("/api/v1/me/profile", API_PROFILE, content_type="application/json")

    assert again.status_code == 200
    assert refused.json()["detail"] == str(ResidentError.NIK_TAKEN_TOO_OFTEN)
