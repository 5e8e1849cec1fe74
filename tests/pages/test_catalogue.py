import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from latihkerja.batches.enums import BatchStatus
from latihkerja.centers.models import Center
from tests.factories import BatchFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def batches(period, center_a, center_b):
    return [
        BatchFactory(code="a-barista", center=center_a),
        BatchFactory(code="b-barista", center=center_b, starts_on="2020-11-02", ends_on="2020-11-13"),
        BatchFactory(code="a-draft", center=center_a, status=BatchStatus.DRAFT),
        BatchFactory(code="a-full", center=center_a, seats_taken=25),
    ]


def codes(response):
    return [b.code for b in response.context["page"]]


def test_catalogue_lists_only_public_batches_when_opened(client, batches):
    response = client.get(reverse("batches:catalogue"))

    assert response.status_code == 200
    assert codes(response) == ["a-barista", "a-full", "b-barista"]


def test_catalogue_filters_by_kecamatan_when_chosen(client, batches, center_b):
    response = client.get(reverse("batches:catalogue"), {"kecamatan": center_b.kelurahan.kecamatan.code})

    assert codes(response) == ["b-barista"]


@pytest.fixture
def finished(batches, center_a):
    return BatchFactory(code="a-done", center=center_a, status=BatchStatus.COMPLETED, seats_taken=18)


def test_catalogue_filters_by_seats_left_when_asked(client, batches, finished):
    response = client.get(reverse("batches:catalogue"), {"seats": "1"})

    # Not the finished class, whose 7 empty seats can no longer be had.
    assert codes(response) == ["a-barista", "b-barista"]


def test_a_finished_class_shows_no_seats_left_in_the_catalogue_or_on_its_page(client, batches, finished):
    catalogue = client.get(reverse("batches:catalogue")).content.decode()
    page = client.get(reverse("batches:detail", args=["a-done"])).content.decode()
    open_page = client.get(reverse("batches:detail", args=["a-barista"])).content.decode()

    assert catalogue.count("kursi tersisa") == 3  # the three classes still taking people
    assert "tersisa" not in page
    assert "Pendaftaran tidak berdasarkan siapa cepat" not in page
    assert "25 tersisa dari 25" in open_page
    assert "Pendaftaran tidak berdasarkan siapa cepat" in open_page


def test_catalogue_filters_by_kelurahan_theme_modality_and_dates_when_combined(client, batches, center_a):
    response = client.get(
        reverse("batches:catalogue"),
        {
            "kelurahan": center_a.kelurahan.code,
            "theme": "BARISTA",
            "modality": "luring",
            "starts_from": "2020-10-01",
            "starts_until": "2020-10-31",
        },
    )

    assert codes(response) == ["a-barista", "a-full"]


def test_a_kelurahan_left_from_another_kecamatan_gives_way_to_the_kecamatan_chosen_now(
    client, batches, center_a, center_b
):
    response = client.get(
        reverse("batches:catalogue"),
        {"kecamatan": center_b.kelurahan.kecamatan.code, "kelurahan": center_a.kelurahan.code},
    )
    alone = client.get(reverse("batches:catalogue"), {"kecamatan": center_b.kelurahan.kecamatan.code})

    assert "Periksa saringan berikut:" not in response.content.decode()
    assert codes(response) == codes(alone) != []


def test_a_reversed_date_range_is_explained_instead_of_finding_nothing(client, batches):
    response = client.get(
        reverse("batches:catalogue"), {"starts_from": "2020-10-31", "starts_until": "2020-10-01"}
    )

    assert "Tanggal akhir harus sama dengan atau setelah tanggal awal." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"kecamatan": "99.99.99"},
        {"starts_from": "2020-02-31"},
        {"seats": "banyak"},
        {"seats": "2.5"},
        {"seats": "1e400"},
        {"theme": "<script>"},
        {"modality": "teleport"},
        {"page": "9999"},
        {"page": "x"},
    ],
)
def test_bad_filter_values_give_a_message_not_an_error_when_submitted(client, batches, params):
    response = client.get(reverse("batches:catalogue"), params)

    assert response.status_code == 200
    if "page" not in params:
        page = response.content.decode()
        assert codes(response) == []
        assert "Periksa saringan berikut:" in page
        assert "kelas ditemukan" not in page  # no count of a search that did not run
        assert sum(len(e) for e in response.context["filter"].form.errors.values()) == 1


def test_catalogue_paginates_twenty_per_page_when_long(client, period):
    centers = list(Center.objects.order_by("code")[:25])
    for index, center in enumerate(centers):
        BatchFactory(code=f"p-{index:02d}", center=center)

    first = client.get(reverse("batches:catalogue"))
    second = client.get(reverse("batches:catalogue"), {"page": 2})

    assert len(codes(first)) == 20
    assert codes(second) == [f"p-{i:02d}" for i in range(20, 25)]


@pytest.mark.parametrize("count", [1, 3])
def test_catalogue_query_count_does_not_grow_with_rows_when_listing(
    client, period, django_assert_max_num_queries, count
):
    for index, center in enumerate(Center.objects.order_by("code")[:count]):
        BatchFactory(code=f"q-{index}", center=center)

    with django_assert_max_num_queries(8):
        client.get(reverse("batches:catalogue"))


@pytest.mark.parametrize(
    ("language", "title", "theme"),
    [("id", "Katalog pelatihan", "Barista"), ("en", "Training catalogue", "Barista")],
)
def test_catalogue_renders_in_both_languages_when_chosen(client, batches, language, title, theme):
    client.post(reverse("set_language"), {"language": language, "next": "/"})

    response = client.get(reverse("batches:catalogue"))

    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html


def test_batch_detail_shows_schedule_place_and_seats_when_public(client, batches):
    response = client.get(reverse("batches:detail", args=["a-barista"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Barista</h1>" in html
    assert "25 tersisa dari 25" in html
    assert "BLK Kelurahan Sukarasa" in html


def test_batch_detail_hides_draft_batches_when_not_public(client, batches):
    response = client.get(reverse("batches:detail", args=["a-draft"]))

    assert response.status_code == 404


def test_batch_detail_in_english_names_the_theme_in_english_when_chosen(client, period, center_a):
    from latihkerja.catalog.models import Theme

    BatchFactory(code="weld", center=center_a, theme=Theme.objects.get(code="LAS_SMAW"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    response = client.get(reverse("batches:detail", args=["weld"]))

    assert "<h1>SMAW welding</h1>" in response.content.decode()


def test_centre_page_lists_its_public_batches_when_opened(client, batches, center_a):
    response = client.get(reverse("centers:detail", args=[center_a.code]))

    assert response.status_code == 200
    assert [b.code for b in response.context["batches"]] == ["a-barista", "a-full"]
    assert "Aula Kantor Kelurahan" in response.content.decode()


def test_home_shows_the_programme_targets_when_a_period_exists(client, batches):
    response = client.get(reverse("home"))

    html = response.content.decode()
    assert "10.000–12.000" in html or "10,000–12,000" in html
    assert response.context["figures"].centers == 104
    assert response.context["figures"].batches == 4


def test_pages_send_strict_security_headers_when_served(client, batches):
    response = client.get(reverse("batches:catalogue"))

    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_stay_in_indonesian_when_the_browser_prefers_english(client, batches):
    response = client.get(reverse("batches:catalogue"), headers={"accept-language": "en-US,en;q=0.9"})

    assert "<h1>Katalog pelatihan</h1>" in response.content.decode()
    assert response.headers["Content-Language"] == "id"


def test_a_class_page_in_english_names_the_vocational_field_in_english(client, batches):
    from django.conf import settings

    batch = batches[0]
    field = batch.theme.field
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("batches:detail", args=[batch.code])).content.decode()

    assert field.name_en
    assert field.name_en != field.name
    assert f"<dd>{field.name_en}</dd>" in page


def test_the_period_is_named_in_english_on_english_pages_and_in_indonesian_otherwise(client, batches, period):
    from django.conf import settings

    period.name, period.name_en = "Oktober–Desember 2020", "October–December 2020"
    period.save(update_fields=["name", "name_en"])

    indonesian = client.get(reverse("home")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("home")).content.decode()
    english_class = client.get(reverse("batches:detail", args=[batches[0].code])).content.decode()

    assert "Oktober–Desember 2020" in indonesian
    assert "October–December 2020" in english
    assert "Oktober" not in english
    assert "<dd>October–December 2020</dd>" in english_class


def test_the_catalogue_lists_what_can_still_be_joined_before_classes_under_way_or_finished(
    client, period, center_a
):
    BatchFactory(
        code="z-done",
        center=center_a,
        status=BatchStatus.COMPLETED,
        starts_on="2020-09-01",
        ends_on="2020-09-12",
    )
    BatchFactory(
        code="z-running",
        center=center_a,
        status=BatchStatus.RUNNING,
        starts_on="2020-09-15",
        ends_on="2020-09-26",
    )
    BatchFactory(code="z-open", center=center_a, starts_on="2020-11-02", ends_on="2020-11-13")

    response = client.get(reverse("batches:catalogue"))

    assert codes(response) == ["z-open", "z-running", "z-done"]


def test_companies_and_residents_find_their_way_in_from_the_home_and_sign_in_pages(client, db):
    home = client.get(reverse("home")).content.decode()
    login = client.get(reverse("accounts:login")).content.decode()

    assert reverse("demand:signup") in home  # the employer sign-up was linked from nowhere
    assert reverse("demand:signup") in login
    assert reverse("registration:phone") in login  # residents sign in with their phone, not a password


def test_a_registered_resident_can_still_sign_in_when_registration_is_closed(client, db):
    from tests.factories import PeriodFactory

    PeriodFactory(
        registration_opens_at=timezone.now() - dt.timedelta(days=30),
        registration_closes_at=timezone.now() - dt.timedelta(days=1),
    )

    page = client.get(reverse("registration:start")).content.decode()

    assert "Masuk dengan nomor HP" in page
    assert reverse("registration:phone") in page
