"""Who may import: operators (their own centre) and Bappeda (city-wide). Others get the login page or a 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from latihkerja.registration.imports import RegistrationImportError, create_import
from latihkerja.registration.models import ApplicationChoice, ImportStatus, RegistrationImport
from latihkerja.residents.models import Resident
from tests.imports.conftest import csv_bytes, row, triples

pytestmark = pytest.mark.integration

OUTSIDERS = ["resident", "employer", "opd_supervisor", "instructor"]


@pytest.fixture
def import_a(run_import, operator_blk_a, batches):
    return run_import(operator_blk_a, csv_bytes([row(0)]))


def page_urls(pk):
    return [
        reverse("imports:index"),
        reverse("imports:example"),
        reverse("imports:detail", args=[pk]),
        reverse("imports:error_report", args=[pk]),
    ]


def test_anonymous_is_sent_to_the_login_page_when_opening_any_import_page(client, import_a):
    login_url = reverse("accounts:login")

    responses = [client.get(url) for url in page_urls(import_a.pk)]
    commit = client.post(reverse("imports:commit", args=[import_a.pk]))

    assert [r.status_code for r in [*responses, commit]] == [302] * 5
    assert all(r["Location"].startswith(login_url + "?next=") for r in [*responses, commit])


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_other_roles_get_404_when_opening_any_import_page(request, login, import_a, persona):
    client = login(request.getfixturevalue(persona))

    responses = [client.get(url) for url in page_urls(import_a.pk)]
    commit = client.post(reverse("imports:commit", args=[import_a.pk]))

    assert [r.status_code for r in [*responses, commit]] == [404] * 5
    import_a.refresh_from_db()
    assert import_a.status == ImportStatus.VALID


def test_operator_of_another_centre_gets_404_when_opening_or_committing_an_import(
    login, operator_blk_b, import_a
):
    client = login(operator_blk_b)

    detail = client.get(reverse("imports:detail", args=[import_a.pk]))
    report = client.get(reverse("imports:error_report", args=[import_a.pk]))
    commit = client.post(reverse("imports:commit", args=[import_a.pk]))
    listing = client.get(reverse("imports:index"))

    assert [detail.status_code, report.status_code, commit.status_code] == [404, 404, 404]
    assert list(listing.context["page"]) == []
    import_a.refresh_from_db()
    assert import_a.status == ImportStatus.VALID
    assert Resident.objects.count() == 0


def test_operator_and_bappeda_open_the_pages_when_the_import_is_in_their_scope(
    login, operator_blk_a, bappeda_admin, import_a
):
    for user in (operator_blk_a, bappeda_admin):
        client = login(user)

        responses = [client.get(url) for url in page_urls(import_a.pk)]
        # Read the streamed example file to the end: the test client then closes it without closing the database
        # connection (response.close() would fire request_finished and end the test's transaction).
        bodies = [response.getvalue() for response in responses]

        assert all(bodies)
        assert [r.status_code for r in responses] == [200, 200, 200, 200]


def test_operator_cannot_choose_batches_of_another_centre_when_importing(run_import, operator_blk_b, batches):
    registration_import = run_import(operator_blk_b, csv_bytes([row(0, pilihan_1="b-1", pilihan_2="a-1")]))

    assert registration_import.center == operator_blk_b.center
    assert triples(registration_import) == [
        (2, "pilihan_2", str(RegistrationImportError.CHOICE_OTHER_CENTER) % {"code": "a-1"})
    ]


def test_bappeda_imports_city_wide_with_batches_of_any_centre_when_committing(
    login, bappeda_admin, batches, django_capture_on_commit_callbacks
):
    client = login(bappeda_admin)
    content = csv_bytes([row(0, pilihan_1="b-1", pilihan_2="a-1"), row(1, pilihan_1="a-3", pilihan_2="")])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:index"), {"period": "2020-10", "file": SimpleUploadedFile("kota.csv", content)}
        )
    registration_import = RegistrationImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[registration_import.pk]))

    registration_import.refresh_from_db()
    assert (registration_import.center, registration_import.status) == (None, ImportStatus.COMMITTED)
    assert sorted(ApplicationChoice.objects.values_list("batch__code", "rank")) == [
        ("a-1", 2),
        ("a-3", 1),
        ("b-1", 1),
    ]


@pytest.mark.parametrize("persona", ["resident", "opd_supervisor", "employer"])
def test_service_refuses_other_roles_when_creating_an_import(request, open_period, persona):
    with pytest.raises(RegistrationImportError) as error:
        create_import(
            period=open_period,
            uploaded_by=request.getfixturevalue(persona),
            upload=SimpleUploadedFile("a.csv", b"a"),
        )

    assert error.value.message == str(RegistrationImportError.NOT_ALLOWED)
    assert RegistrationImport.objects.count() == 0


def test_list_costs_the_same_queries_when_showing_one_or_three_imports(
    login, operator_blk_a, batches, run_import
):
    client = login(operator_blk_a)
    run_import(operator_blk_a, csv_bytes([row(0)]))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("imports:index"))
    run_import(operator_blk_a, csv_bytes([row(1)]))
    run_import(operator_blk_a, csv_bytes([row(2)]))

    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("imports:index"))

    assert len(response.context["page"]) == 3
    assert len(three) == len(one)
