"""The `minat` column: a centre imports the themes residents want, with or without classes chosen. Before the
period's classes open, a row of interests alone registers the resident for planning, without an application."""

import pytest
from django.urls import reverse

from latihkerja.catalog.models import Theme
from latihkerja.notifications.models import Message
from latihkerja.planning.services import build_input
from latihkerja.registration import imports
from latihkerja.registration.imports import RegistrationImportError as E
from latihkerja.registration.models import Application, Consent, ImportStatus
from latihkerja.residents.models import Resident
from tests.imports.conftest import HEADER, committed, csv_bytes, nik_for, row, triples

pytestmark = pytest.mark.integration

NO_CLASS = {"pilihan_1": "", "pilihan_2": ""}


def interests_of(n):
    return sorted(Resident.objects.get(nik_digest=_digest(n)).interests.values_list("code", flat=True))


def _digest(n):
    from latihkerja.residents.crypto import digest_identity

    return digest_identity(nik_for(n))


def test_rows_of_interests_alone_register_residents_for_planning_before_any_class_is_open(
    run_import, operator_blk_a, open_period, center_a, django_capture_on_commit_callbacks
):
    content = csv_bytes(
        [
            row(0, **NO_CLASS, minat="BARISTA; tata_boga"),  # codes in any case
            row(1, **NO_CLASS, minat="Pengelasan SMAW (las listrik), Barista"),  # names, a comma between
            row(
                2, **NO_CLASS, minat="Photography\nLAS_SMAW; LAS_SMAW"
            ),  # English names; one line each; twice
        ]
    )

    result = committed(run_import, operator_blk_a, content, django_capture_on_commit_callbacks)

    assert (result.row_count, result.valid_count) == (3, 3)
    assert [interests_of(n) for n in range(3)] == [
        ["BARISTA", "TATA_BOGA"],
        ["BARISTA", "LAS_SMAW"],
        ["FOTOGRAFI", "LAS_SMAW"],
    ]
    assert not Application.objects.exists()  # no class chosen: nothing to allocate
    assert Consent.objects.count() == 3  # consent recorded as for every import
    counted = {
        (row["theme"], row["residents"])
        for row in build_input(open_period)["interest"]
        if row["kelurahan"] == center_a.kelurahan.code
    }
    assert counted == {("BARISTA", 2), ("TATA_BOGA", 1), ("LAS_SMAW", 2), ("FOTOGRAFI", 1)}


def test_each_resident_of_interests_alone_is_told_once_that_the_registration_is_received(
    run_import, operator_blk_a, batches, django_capture_on_commit_callbacks
):
    content = csv_bytes([row(0), row(1, **NO_CLASS, minat="BARISTA")])

    registration_import = committed(run_import, operator_blk_a, content, django_capture_on_commit_callbacks)
    imports.notify_imported(registration_import.pk)  # a retried task sends nothing twice

    sent = sorted(Message.objects.values_list("kind", "recipient"))
    assert sent == [
        ("application_submitted", "+6281200000000"),
        ("registration_received", "+6281200000001"),
    ]


def test_interests_are_saved_beside_the_choices_when_a_row_has_both(
    run_import, operator_blk_a, batches, django_capture_on_commit_callbacks
):
    committed(
        run_import, operator_blk_a, csv_bytes([row(0, minat="TATA_BOGA")]), django_capture_on_commit_callbacks
    )

    assert interests_of(0) == ["TATA_BOGA"]
    application = Application.objects.get()
    assert list(application.choices.order_by("rank").values_list("batch__code", flat=True)) == ["a-1", "a-2"]


def test_a_theme_taken_out_of_the_catalogue_is_refused_like_an_unknown_one(
    run_import, operator_blk_a, batches
):
    Theme.objects.filter(code="BARISTA").update(is_active=False)

    registration_import = run_import(operator_blk_a, csv_bytes([row(0, minat="TATA_BOGA; Barista")]))

    assert triples(registration_import) == [(2, "minat", str(E.THEME_UNKNOWN) % {"value": "Barista"})]
    assert registration_import.status == ImportStatus.INVALID


def test_a_file_with_only_the_minat_column_imports_without_choice_columns(
    run_import, operator_blk_a, open_period, django_capture_on_commit_callbacks
):
    header = [c for c in HEADER if not c.startswith("pilihan_")]
    content = csv_bytes([row(0, minat="BARISTA")], header=header)

    committed(run_import, operator_blk_a, content, django_capture_on_commit_callbacks)

    assert interests_of(0) == ["BARISTA"]


def test_a_file_with_neither_choice_nor_interest_column_is_refused_as_a_whole(
    run_import, operator_blk_a, batches
):
    header = [c for c in HEADER if not c.startswith("pilihan_") and c != "minat"]

    registration_import = run_import(operator_blk_a, csv_bytes([row(0)], header=header))

    assert triples(registration_import) == [(None, "", str(E.NO_WISH_COLUMN))]
    assert registration_import.row_count == 0


def test_the_preview_shows_each_rows_interests_by_name(
    login, run_import, operator_blk_a, batches, open_period
):
    registration_import = run_import(
        operator_blk_a, csv_bytes([row(0, **NO_CLASS, minat="BARISTA; TATA_BOGA"), row(1)])
    )

    page = (
        login(operator_blk_a).get(reverse("imports:detail", args=[registration_import.pk])).content.decode()
    )

    shown = page[page.index('id="preview"') :]
    assert "Barista, Tata Boga / Pembuatan Makanan" in shown
    assert "Belum memilih kelas" in shown


def test_before_any_class_is_open_the_downloaded_example_states_interests_and_breaks_only_the_example_rule(
    run_import, login, operator_blk_a, open_period
):
    content = login(operator_blk_a).get(reverse("imports:example")).content

    registration_import = run_import(operator_blk_a, content, name="contoh.csv")

    assert b"2020-10-" not in content  # no class that does not exist
    assert triples(registration_import) == [(row, "nik", str(E.EXAMPLE_ROW)) for row in (2, 3)]


@pytest.mark.parametrize(("header_has_choices", "column"), [(True, "pilihan_1"), (False, "minat")])
def test_a_row_whose_minat_holds_only_separators_and_chooses_nothing_is_refused_on_a_column_of_the_file(
    run_import, operator_blk_a, open_period, header_has_choices, column
):
    header = HEADER if header_has_choices else [c for c in HEADER if not c.startswith("pilihan_")]
    content = csv_bytes([row(0, **NO_CLASS, minat=" ; , ")], header=header)

    registration_import = run_import(operator_blk_a, content)

    assert triples(registration_import) == [(2, column, str(E.NO_WISH))]
    assert not Resident.objects.exists()
