"""Allocation pages: Bappeda only (others 404), a resident acts on their own offer only, "why this result"."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from latihkerja.allocation.models import AllocationRun
from latihkerja.allocation.queries import explain
from latihkerja.batches.models import Enrollment
from latihkerja.centers.models import Center
from tests.allocation.helpers import applicant, closed_period, computed_run, published_run
from tests.factories import BatchFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def scene(db, bappeda_admin):
    """Batch "pertama" (1 seat) taken by a laid-off resident; Siti (unemployed) gets her 2nd choice."""
    period = closed_period()
    first = BatchFactory(code="pertama", period=period, capacity=1, minimum=1)
    second = BatchFactory(
        code="kedua",
        period=period,
        capacity=2,
        minimum=1,
        center=Center.objects.get(kelurahan__name="Cipondoh"),
    )
    rival = applicant(period, [first], employment="phk", name="Budi Rahasia", with_user=True)
    siti = applicant(period, [first, second], employment="menganggur", name="Siti Aminah", with_user=True)
    run = published_run(period, bappeda_admin)
    return {"period": period, "run": run, "rival": rival, "siti": siti, "first": first, "second": second}


def bappeda_urls(run):
    return [
        ("get", reverse("allocation:runs")),
        ("get", reverse("allocation:review", args=[run.pk])),
        ("post", reverse("allocation:publish", args=[run.pk])),
    ]


def test_anonymous_visitor_is_sent_to_sign_in_when_opening_allocation_pages(client, scene):
    for method, url in [*bappeda_urls(scene["run"]), ("get", reverse("allocation:my-result"))]:
        response = getattr(client, method)(url)

        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize(
    "persona", ["resident", "operator_blk_a", "opd_supervisor", "instructor", "employer"]
)
def test_bappeda_pages_are_not_found_when_the_user_has_another_role(client, scene, persona, request):
    client.force_login(request.getfixturevalue(persona))

    for method, url in bappeda_urls(scene["run"]):
        assert getattr(client, method)(url).status_code == 404
    assert AllocationRun.objects.get(pk=scene["run"].pk).status == "published"


def test_bappeda_reviews_a_run_with_seed_hash_and_tables_when_it_is_published(client, scene, bappeda_admin):
    client.force_login(bappeda_admin)
    run = scene["run"]

    response = client.get(reverse("allocation:review", args=[run.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert run.seed in page
    assert run.inputs_hash in page
    assert 'id="comparison"' in page
    assert [row["mechanism"].value for row in response.context["comparison"]] == ["da", "fcfs", "welfare"]
    assert '<th scope="row">Siapa cepat dia dapat (pembanding)</th>' in page
    assert "<code>pertama</code>" in page
    assert "Umumkan hasil" not in page


def test_the_review_counts_a_finished_runs_placements_once_not_on_every_page(client, scene, bappeda_admin):
    """A run's placements never change once written; reading all of them on every page of the review cost
    0.2–0.5 s at 140,000 applicants. The group labels still follow the reader's language."""
    from django.conf import settings

    client.force_login(bappeda_admin)
    url = reverse("allocation:review", args=[scene["run"].pk])
    first = client.get(url)

    with CaptureQueriesContext(connection) as again:
        second = client.get(url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url)

    grouped = [
        q["sql"]
        for q in again.captured_queries
        if "allocation_placement" in q["sql"] and "GROUP BY" in q["sql"]
    ]
    assert [q for q in grouped if "priority_group" in q or "choice_rank" in q] == []
    assert second.context["by_kecamatan"] == first.context["by_kecamatan"]
    assert second.context["choice_ranks"] == first.context["choice_ranks"]
    assert [r["label"] for r in english.context["by_group"]] != [
        r["label"] for r in first.context["by_group"]
    ]


def test_bappeda_starts_a_run_from_the_form_when_the_input_is_valid(
    client, scene, bappeda_admin, django_capture_on_commit_callbacks
):
    client.force_login(bappeda_admin)
    AllocationRun.objects.all().update(status="done")  # a second run is possible only before publishing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("allocation:runs"),
            {"period": scene["period"].pk, "mechanism": "fcfs", "seed": "pratinjau-1"},
        )

    run = AllocationRun.objects.get(seed="pratinjau-1")
    assert response.status_code == 302
    assert response.url == reverse("allocation:review", args=[run.pk])
    assert (run.mechanism, run.status, run.created_by) == ("fcfs", "done", bappeda_admin)


def test_start_form_shows_the_error_and_creates_nothing_when_the_seed_is_bad(client, scene, bappeda_admin):
    client.force_login(bappeda_admin)

    response = client.post(
        reverse("allocation:runs"), {"period": scene["period"].pk, "mechanism": "da", "seed": "a b"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "seed": ["Gunakan 1–64 huruf, angka, titik, garis bawah atau tanda hubung."]
    }
    assert AllocationRun.objects.count() == 1


def test_run_list_uses_the_same_number_of_queries_when_there_are_more_runs(client, db, bappeda_admin):
    period = closed_period()
    client.force_login(bappeda_admin)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("allocation:runs")).status_code == 200
        return len(queries)

    computed_run(period, bappeda_admin, seed="satu")
    one = count()
    computed_run(period, bappeda_admin, seed="dua")
    computed_run(period, bappeda_admin, seed="tiga")

    assert count() == one


def test_resident_accepts_their_own_offer_from_the_start_page_when_it_is_pending(client, scene):
    user = scene["rival"].resident.user
    offer = Enrollment.objects.get(resident=scene["rival"].resident)
    client.force_login(user)

    page = client.get(reverse("accounts:start")).content.decode()
    response = client.post(reverse("allocation:accept", args=[offer.pk]))

    assert "Anda mendapat tawaran kursi" in page
    assert response.status_code == 302
    assert Enrollment.objects.get(pk=offer.pk).status == "active"


def test_start_page_offers_no_change_of_choices_when_the_resident_holds_a_seat_and_registration_is_open(
    client, scene
):
    period = scene["period"]
    period.registration_closes_at = timezone.now() + dt.timedelta(days=1)  # a late window, as in the demo
    period.save(update_fields=["registration_closes_at"])
    client.force_login(scene["rival"].resident.user)

    page = client.get(reverse("accounts:start")).content.decode()

    assert "Anda mendapat tawaran kursi" in page
    assert "Pendaftaran terkirim" not in page
    assert reverse("registration:choices") not in page
    assert reverse("registration:withdraw") not in page


def test_resident_cannot_answer_another_residents_offer_when_posting_its_id(client, scene):
    others = Enrollment.objects.get(resident=scene["rival"].resident)
    client.force_login(scene["siti"].resident.user)

    accept = client.post(reverse("allocation:accept", args=[others.pk]))
    decline = client.post(reverse("allocation:decline", args=[others.pk]))

    assert (accept.status_code, decline.status_code) == (404, 404)
    assert Enrollment.objects.get(pk=others.pk).status == "offered"


def test_explanation_shows_own_rank_group_and_the_cutoff_group_when_a_higher_choice_was_full(scene):
    siti = scene["siti"].resident

    result = explain(siti, scene["period"])

    assert result["placement"].choice_rank == 2
    assert result["group_label"] == "Belum/tidak bekerja"
    assert [
        (row["rank"], row["outcome"], row["your_group"], row["cutoff_group"], row["waitlist_position"])
        for row in result["choices"]
    ] == [
        (
            1,
            "full",
            "Belum/tidak bekerja, warga kelurahan BLK",
            "Terkena PHK / Dirumahkan, warga kelurahan BLK",
            1,
        ),
        (
            2,
            "admitted",
            "Belum/tidak bekerja, warga luar kecamatan BLK",
            "Belum/tidak bekerja, warga luar kecamatan BLK",
            None,
        ),
    ]


def test_explanation_page_names_nobody_else_when_the_resident_reads_it(client, scene):
    client.force_login(scene["siti"].resident.user)

    response = client.get(reverse("allocation:my-result"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Budi Rahasia" not in page
    assert "Pilihan ke-2" in page
    assert "Terkena PHK / Dirumahkan, warga kelurahan BLK" in page
    assert "bukan jaminan" in page
    assert f"{scene['rival'].placements.get().lottery:.6f}" not in page


def test_explanation_page_says_what_each_resident_got_and_where_they_stand_now(client, scene):
    client.force_login(scene["rival"].resident.user)
    rival = client.get(reverse("allocation:my-result")).content.decode()
    client.force_login(scene["siti"].resident.user)
    siti = client.get(reverse("allocation:my-result")).content.decode()

    assert "Anda mendapat pilihan pertama Anda." in rival
    assert "kelas yang Anda urutkan lebih tinggi sudah penuh" not in rival
    assert "kelas yang Anda urutkan lebih tinggi sudah penuh" in siti
    assert "Sekarang: Anda ditawari kursi di kelas" in siti  # the offer still waits for her answer


def test_explanation_page_is_not_found_when_the_user_has_no_resident_profile(client, scene, operator_blk_a):
    client.force_login(operator_blk_a)

    assert client.get(reverse("allocation:my-result")).status_code == 404


@pytest.fixture
def unpublished(db, bappeda_admin):
    period = closed_period()
    batch = BatchFactory(code="tunggal", period=period, capacity=2, minimum=1)
    siti = applicant(period, [batch], employment="menganggur", name="Siti Aminah", with_user=True)
    return {"run": computed_run(period, bappeda_admin), "siti": siti, "batch": batch}


@pytest.mark.parametrize(("minimum", "warned"), [(1, False), (2, True)])
def test_the_publish_button_says_what_it_will_do_and_warns_when_nobody_gets_a_seat(
    client, db, bappeda_admin, minimum, warned
):
    period = closed_period()
    taken = BatchFactory(code="laku", period=period, capacity=2, minimum=minimum)
    BatchFactory(code="sepi", period=period, capacity=2, minimum=1)
    applicant(period, [taken], employment="menganggur")  # alone: below a minimum of 2
    run = computed_run(period, bappeda_admin)
    client.force_login(bappeda_admin)

    page = client.get(reverse("allocation:review", args=[run.pk])).content.decode()

    offers, cancelled = (0, 2) if warned else (1, 1)
    said = f"Umumkan hasil ini? {offers} warga mendapat tawaran kursi lewat SMS dan {cancelled} kelas dibatalkan."
    assert said in page
    assert ('id="nobody-assigned"' in page) is warned


def test_publishing_from_the_page_is_done_by_the_worker_when_bappeda_confirms(
    client, unpublished, bappeda_admin, django_capture_on_commit_callbacks
):
    run = unpublished["run"]
    client.force_login(bappeda_admin)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("allocation:publish", args=[run.pk]))
    # The request only asks: the run waits for the worker, nobody has an offer yet.
    assert response.status_code == 302
    assert AllocationRun.objects.get(pk=run.pk).status == "publishing"
    assert not Enrollment.objects.exists()
    page = client.get(reverse("allocation:review", args=[run.pk]))
    assert b'id="publishing"' in page.content

    for callback in callbacks:  # the worker picks the task up (immediate backend in tests)
        callback()

    assert AllocationRun.objects.get(pk=run.pk).status == "published"
    assert Enrollment.objects.get().resident == unpublished["siti"].resident


def test_a_second_click_while_publishing_is_refused_and_enqueues_nothing(
    client, unpublished, bappeda_admin, django_capture_on_commit_callbacks
):
    run = unpublished["run"]
    client.force_login(bappeda_admin)
    with django_capture_on_commit_callbacks(execute=False) as first:
        client.post(reverse("allocation:publish", args=[run.pk]))

    with django_capture_on_commit_callbacks(execute=False) as second:
        response = client.post(reverse("allocation:publish", args=[run.pk]), follow=True)

    assert len(first) == 1
    assert len(second) == 0
    assert [str(m) for m in response.context["messages"]][-1] == (
        "Hanya hitungan yang sudah selesai dan belum diumumkan yang dapat diumumkan."
    )


def test_a_refusal_in_the_worker_puts_the_run_back_with_the_reason_when_the_input_changed(
    client, unpublished, bappeda_admin, django_capture_on_commit_callbacks
):
    run = unpublished["run"]
    client.force_login(bappeda_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("allocation:publish", args=[run.pk]))
    applicant(run.period, [unpublished["batch"]], employment="phk", name="Pendaftar Baru")

    for callback in callbacks:
        callback()

    run.refresh_from_db()
    assert run.status == "done"
    assert "berubah" in run.error
    assert not Enrollment.objects.exists()
    page = client.get(reverse("allocation:review", args=[run.pk]))
    assert b'id="publish-error"' in page.content


def test_a_resident_with_a_seat_taken_outside_the_allocation_is_told_so(client, open_batches):
    from latihkerja.batches.models import Enrollment, EnrollmentSource
    from tests.factories import ResidentFactory, UserFactory

    user = UserFactory(role="resident")
    resident = ResidentFactory(user=user)
    batch = open_batches[0]
    Enrollment.objects.create(
        batch=batch, period=batch.period, resident=resident, status="active", source=EnrollmentSource.FCFS
    )
    client.force_login(user)

    page = client.get(reverse("allocation:my-result")).content.decode()

    assert 'id="seat-without-allocation"' in page
    assert batch.center.name in page
    assert "belum diumumkan" not in page
