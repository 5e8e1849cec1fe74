"""Staff find one class among a period's 520 by what people quote: its code, BLK, kecamatan or theme."""

import pytest
from django.urls import reverse

from latihkerja.batches.enums import BatchStatus
from latihkerja.centers.models import Center
from tests.factories import BatchFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def classes(reference_data):
    sukarasa = Center.objects.get(kelurahan__name="Sukarasa")
    cipondoh = Center.objects.get(kelurahan__name="Cipondoh")
    return {
        "a": BatchFactory(code="2026-11-3671011001-1", center=sukarasa, status=BatchStatus.RUNNING),
        "b": BatchFactory(code="2026-11-3671011001-2", center=sukarasa, status=BatchStatus.OPEN),
        "c": BatchFactory(code="2026-11-3671031002-1", center=cipondoh, status=BatchStatus.RUNNING),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("3671011001-2", ["b"]),
        ("  3671011001   ", ["a", "b"]),
        ("cipondoh", ["c"]),  # the BLK (and its kecamatan)
        ("tidak ada", []),
    ],
)
def test_bappeda_finds_a_class_by_code_or_blk_on_the_start_page(
    login, bappeda_admin, classes, query, expected
):
    page = login(bappeda_admin).get(reverse("accounts:start"), {"q": query})

    assert sorted(b.code for b in page.context["page"]) == sorted(classes[k].code for k in expected)


def test_the_search_keeps_the_status_tab_and_pages_carry_both(login, bappeda_admin, classes):
    page = login(bappeda_admin).get(reverse("accounts:start"), {"q": "3671011001", "status": "running"})
    html = page.content.decode()

    assert [b.code for b in page.context["page"]] == [classes["a"].code]
    assert page.context["query"] == "status=running&q=3671011001"
    assert 'name="status" value="running"' in html  # a new search stays on the tab
    assert "?status=open&amp;q=3671011001" in html  # another tab keeps the search


def test_a_search_that_finds_nothing_says_so_and_offers_the_whole_list(login, bappeda_admin, classes):
    html = login(bappeda_admin).get(reverse("accounts:start"), {"q": "<b>x</b>"}).content.decode()

    assert "Tidak ada kelas yang cocok dengan “&lt;b&gt;x&lt;/b&gt;”." in html
    assert "Tidak ada kelas." not in html  # not a second, contradicting message


def test_the_delivery_list_is_searchable_too_and_stays_within_the_viewers_classes(
    login, operator_blk_b, classes
):
    page = login(operator_blk_b).get(reverse("training:batches"), {"q": "2026-11"})

    assert [b.code for b in page.context["page"]] == [classes["c"].code]  # not Sukarasa's classes


def test_the_status_tabs_count_what_the_search_found(login, bappeda_admin, classes):
    page = login(bappeda_admin).get(reverse("accounts:start"), {"q": "3671011001"})

    counts = {status.value: n for status, n in page.context["statuses"]}
    assert (counts["running"], counts["open"]) == (1, 1)  # Cipondoh's running class is not counted


def test_an_operator_sees_how_many_applied_to_each_open_class_without_names(
    login, operator_blk_a, classes, open_period_with_choices
):
    """Before allocation an operator saw '0/25' only, and no page said who or how many applied (list review):
    the count is shown, names are not."""
    html = login(operator_blk_a).get(reverse("accounts:start"), {"q": classes["b"].code}).content.decode()

    assert "2 pendaftar (1 pilihan pertama)" in html
    assert "Pemilih Kedua" not in html


@pytest.fixture
def open_period_with_choices(classes):
    from latihkerja.registration.models import Application, ApplicationChoice
    from tests.factories import ResidentFactory

    batch = classes["b"]
    for rank, name in ((1, "Pemilih Pertama"), (2, "Pemilih Kedua")):
        application = Application.objects.create(
            resident=ResidentFactory(full_name=name), period=batch.period
        )
        ApplicationChoice.objects.create(application=application, rank=rank, batch=batch)
    withdrawn = Application.objects.create(
        resident=ResidentFactory(), period=batch.period, status="withdrawn"
    )
    ApplicationChoice.objects.create(application=withdrawn, rank=1, batch=batch)
