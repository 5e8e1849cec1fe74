"""Error pages a person can land on: in the site's layout, in their language, with a way back."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import translation

from latihkerja.common.views import server_error

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("language", "title", "home"),
    [("id", "Halaman tidak ditemukan", "Kembali ke beranda"), ("en", "Page not found", "Back to home page")],
)
def test_an_unknown_address_shows_the_sites_not_found_page_in_the_readers_language(
    client, db, language, title, home
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # the site's language switch

    response = client.get("/tidak-ada/")

    assert response.status_code == 404
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page
    assert home in page
    assert 'href="/pelatihan/"' in page  # the catalogue, so a visitor is not stranded


def test_a_resident_on_a_staff_page_is_told_it_is_not_for_their_account(login, resident):
    response = login(resident).get("/dasbor/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "tidak ditampilkan untuk akun Anda" in page
    assert 'href="/akun/saya/"' in page


def test_an_expired_form_is_explained_instead_of_djangos_csrf_page(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/akun/masuk/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Formulir kedaluwarsa</h1>" in page
    assert "CSRF" not in page


def test_the_server_error_page_needs_no_database_and_follows_the_language():
    # No `db` fixture: any query while rendering would raise, as it would when the database is the fault.
    request = RequestFactory().get("/pelatihan/")

    with translation.override("en"):
        response = server_error(request)

    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.content.decode()


def test_a_server_error_under_the_api_answers_json():
    response = server_error(RequestFactory().get("/api/v1/me/application"))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"


def test_a_nul_character_in_a_page_address_or_form_is_refused_with_a_page_not_a_500(client, db):
    query = client.get("/dasbor/data-terbuka/?period=x%00")
    form = client.post(
        "/akun/masuk/", "username=a%00&password=b", content_type="application/x-www-form-urlencoded"
    )

    for response in (query, form):
        assert response.status_code == 400
        assert "Teks tidak boleh berisi karakter NUL" in response.content.decode()


def test_a_nul_character_in_a_multipart_field_or_an_untyped_body_is_refused_too(client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    multipart = client.post("/akun/masuk/", {"username": "a\x00b", "password": "b"})
    untyped = client.post("/api/v1/auth/code", '{"phone": "0812\\u0000"}', content_type="text/plain")
    binary_file = client.post(
        "/akun/masuk/", {"username": "a", "password": "b", "file": SimpleUploadedFile("x.bin", b"\x00\x01")}
    )

    assert multipart.status_code == 400
    assert "Teks tidak boleh berisi karakter NUL" in multipart.content.decode()
    assert untyped.status_code == 400
    assert binary_file.status_code != 400  # a file may hold any byte
