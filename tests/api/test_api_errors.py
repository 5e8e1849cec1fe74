"""The API's own errors (bad JSON, wrong types, no session, unknown address, CSRF) in the request's language,
in the shapes clients parse: {"detail": "..."} and, for 422, {"detail": [{"type", "loc", "msg"}]}."""

import pytest
from django.test import Client

from latihkerja.demand.models import SkillDemand
from tests.api.test_demand_api import URL as DEMAND_URL
from tests.api.test_demand_api import body as demand_body

pytestmark = pytest.mark.integration

CODE_URL = "/api/v1/auth/code"


@pytest.mark.parametrize(
    ("language", "message"),
    [("id", "Isi permintaan bukan JSON yang sah."), ("en", "The request body is not valid JSON.")],
)
@pytest.mark.parametrize(
    "body",
    ["{bad", "phone=0812", '{"phone": 1' + "0" * 5000 + "}", "[" * 5000 + "]" * 5000, b"\xff\xfe"],
    ids=["broken", "form-encoded", "huge-number", "deep-nesting", "not-utf8"],
)
@pytest.mark.parametrize("debug", [False, True])  # with DEBUG, ninja appends the parser's exception
def test_a_body_that_is_not_json_is_refused_in_the_requests_language(
    client, db, settings, language, message, body, debug
):
    settings.DEBUG = debug
    response = client.post(
        CODE_URL, body, content_type="application/json", headers={"accept-language": language}
    )

    assert response.status_code == 400
    assert response.json() == {"detail": message}


@pytest.mark.parametrize(
    ("payload", "language", "kind", "message"),
    [
        ({}, "id", "missing", "Wajib diisi."),
        ({}, "en", "missing", "Required."),
        ({"phone": [1]}, "id", "string_type", "Harus berupa teks."),
        ({"phone": [1]}, "en", "string_type", "Must be text."),
    ],
)
def test_a_field_of_the_wrong_shape_is_a_422_naming_the_field_in_the_requests_language(
    client, db, payload, language, kind, message
):
    response = client.post(
        CODE_URL, payload, content_type="application/json", headers={"accept-language": language}
    )

    assert response.status_code == 422
    assert response.json() == {"detail": [{"type": kind, "loc": ["body", "body", "phone"], "msg": message}]}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=abc", "Harus berupa bilangan bulat."),
        ("limit=5000", "Paling besar 1000."),
        ("offset=-1", "Paling kecil 0."),
    ],
)
def test_catalogue_paging_out_of_range_says_the_limit(client, db, query, message):
    response = client.get(f"/api/v1/public/batches?{query}")

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == message


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("id", "Masuk dulu: permintaan ini memerlukan sesi yang sah."),
        ("en", "Sign in first: this request needs a valid session."),
    ],
)
def test_a_call_without_a_session_is_told_to_sign_in(client, db, language, message):
    response = client.get("/api/v1/me/application", headers={"accept-language": language})

    assert response.status_code == 401
    assert response.json() == {"detail": message}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("id", "Tidak ditemukan. Daftar alamat API ada di /api/v1/docs."),
        ("en", "Not found. The API's addresses are listed at /api/v1/docs."),
    ],
)
def test_an_unknown_api_address_answers_json_not_a_web_page(client, db, language, message):
    response = client.get("/api/v1/tidak-ada", headers={"accept-language": language})

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": message}
    assert client.get("/api/v1/docs").status_code == 200  # the address the message points to


@pytest.mark.parametrize("headcount", [True, "12", 12.5])
def test_demand_headcount_must_be_a_json_integer(login, employer, headcount):
    response = login(employer).post(
        DEMAND_URL, demand_body(headcount=headcount), content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "headcount"
    assert response.json()["detail"][0]["msg"] == "Harus berupa bilangan bulat."
    assert not SkillDemand.objects.exists()


def test_a_write_without_the_csrf_token_is_refused_with_what_to_send(employer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(employer)

    response = client.post(DEMAND_URL, demand_body(), content_type="application/json")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Token CSRF tidak ada atau tidak cocok: kirim header X-CSRFToken dengan nilai cookie csrftoken."
    }
    assert not SkillDemand.objects.exists()


NUL_MESSAGE = "Teks tidak boleh berisi karakter NUL (kode 0). Hapus karakter itu, lalu kirim lagi."


@pytest.mark.parametrize("field", ["theme", "kecamatan", "requirements", "occupation_code"])
def test_a_nul_character_in_an_api_body_is_refused_before_it_reaches_the_database(login, employer, field):
    # PostgreSQL cannot hold or compare text with NUL: this was a 500 there.
    response = login(employer).post(
        DEMAND_URL, demand_body(**{field: "BARISTA\u0000"}), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": NUL_MESSAGE}
    assert not SkillDemand.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/public/batches?theme=%00",
        "/api/v1/open-data/figures?period=x%00",
        "/api/v1/certificates/LK%00",
    ],
)
def test_a_nul_character_in_an_api_address_is_refused(client, db, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response.json() == {"detail": NUL_MESSAGE}


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(login, employer):
    response = login(employer).post(
        DEMAND_URL, demand_body(requirements="kode \\u0000 di manual"), content_type="application/json"
    )

    assert response.status_code == 201
    assert SkillDemand.objects.get().requirements == "kode \\u0000 di manual"


def test_too_many_code_requests_answer_429_so_that_clients_back_off(client, db):
    answers = [
        client.post(CODE_URL, {"phone": "0812 3456 7890"}, content_type="application/json").status_code
        for _ in range(6)
    ]

    assert answers == [202] * 5 + [429]


def test_a_method_an_address_does_not_take_is_answered_in_json_in_the_callers_language(client, db):
    response = client.delete("/api/v1/public/summary", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"
    assert response["Allow"] == "GET"
    assert response.json() == {"detail": "The DELETE method does not apply at this address; it takes: GET."}


def test_a_body_too_large_for_the_api_says_so(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = client.post("/api/v1/auth/code", {"phone": "0" * 5000}, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Isi permintaan terlalu besar untuk API ini."}
