"""Planning pages: Bappeda only for generating/reviewing/editing (others 404); OPD supervisors approve their
own themes of a sent plan; the review shows the grid, the comparison and edits flagged by rule."""

import datetime as dt

import pytest
from django.urls import reverse

from latihkerja.batches.models import Batch
from latihkerja.common.dates import month_label
from latihkerja.planning.models import PlannedBatch, PlanRun
from latihkerja.planning.services import send_plan

pytestmark = pytest.mark.integration


def bappeda_urls(run, planned):
    return [
        ("get", reverse("planning:runs")),
        ("get", reverse("planning:review", args=[run.pk])),
        ("post", reverse("planning:add", args=[run.pk])),
        ("post", reverse("planning:move", args=[run.pk, planned.pk])),
        ("post", reverse("planning:remove", args=[run.pk, planned.pk])),
        ("post", reverse("planning:send", args=[run.pk])),
        ("post", reverse("planning:approve", args=[run.pk])),
    ]


def test_anonymous_visitor_is_sent_to_sign_in_when_opening_planning_pages(client, done_plan):
    planned = done_plan.planned.first()
    for method, url in [*bappeda_urls(done_plan, planned), ("get", reverse("planning:opd"))]:
        response = getattr(client, method)(url)

        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize(
    "persona", ["resident", "operator_blk_a", "opd_supervisor", "instructor", "employer"]
)
def test_bappeda_pages_are_not_found_when_the_user_has_another_role(client, done_plan, persona, request):
    client.force_login(request.getfixturevalue(persona))
    planned = done_plan.planned.first()

    for method, url in bappeda_urls(done_plan, planned):
        assert getattr(client, method)(url).status_code == 404
    assert PlanRun.objects.get(pk=done_plan.pk).status == "done"
    assert done_plan.planned.count() == 5


def test_review_shows_grid_comparison_and_kecamatan_totals_when_bappeda_opens_it(
    login, bappeda_admin, done_plan
):
    client = login(bappeda_admin)

    response = client.get(reverse("planning:review", args=[done_plan.pk]))

    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert [row["demand_covered"] for row in comparison] == [10, 10, 10]
    assert sum(row["batches"] for row in response.context["totals"]) == 5
    assert response.context["grid"]["themes"] == ["BARISTA"]  # the first kecamatan (Tangerang)
    page = response.content.decode()
    assert '<th scope="col">Barista</th>' in page  # the theme's name heads its column, not its code
    month = done_plan.planned.order_by("month").first().month
    assert month_label(month) in page
    assert f"<td>{month}</td>" not in page
    assert [row["total"] for row in response.context["grid"]["rows"]].count(1) == 3
    assert response.context["binding"][-1] == (
        "Peminat tema Pengelasan SMAW (las listrik) di kecamatan Cipondoh tidak cukup untuk satu kelas lagi."
    )


def test_added_batch_breaking_a_rule_is_flagged_on_the_review_when_bappeda_adds_it(
    login, bappeda_admin, done_plan
):
    client = login(bappeda_admin)

    client.post(
        reverse("planning:add", args=[done_plan.pk]),
        {"add-center": "blk-3671011001", "add-theme": "MEMBATIK", "add-month": "2030-01"},
    )
    response = client.get(reverse("planning:review", args=[done_plan.pk]))

    assert done_plan.planned.count() == 6
    assert [row["batches"] for row in response.context["comparison"]] == [5, 6, 5]
    assert response.context["violations"] == [
        "BLK Kelurahan Sukarasa mendapat 2 kelas, lebih dari targetnya 1.",
        "BLK Kelurahan Sukarasa memakai lebih banyak ruang daripada yang ada pada suatu bulan.",
        "Peminat tema Membatik di kecamatan Tangerang kurang: 1 kelas butuh 2 peminat, yang ada 0.",
    ]
    page = response.content.decode()
    assert "Setujui seluruh rencana? 6 kelas akan dibuat" in page  # asked first, with what is wrong
    assert "Rencana ini melanggar 3 aturan" in page
    send = page[page.index(reverse("planning:send", args=[done_plan.pk])) :][:400]
    assert "Rencana ini melanggar 3 aturan (lihat daftar merah); perbaiki dulu bila perlu." in send
    assert [row["centers_meeting_target"] for row in response.context["comparison"]][
        1
    ] == 4  # Sukarasa is over
    assert "Hapus kelas Membatik di BLK Kelurahan Sukarasa dari rencana?" in page


def test_add_with_a_month_outside_the_period_changes_nothing(login, bappeda_admin, done_plan):
    client = login(bappeda_admin)

    response = client.post(
        reverse("planning:add", args=[done_plan.pk]),
        {"add-center": "blk-3671011001", "add-theme": "MEMBATIK", "add-month": "2031-05"},
        follow=True,
    )

    assert done_plan.planned.count() == 5
    assert [str(m) for m in response.context["messages"]] == ["Pilih bulan periode rencana."]


def test_opd_sees_only_its_themes_and_approval_creates_batches_when_the_last_agency_approves(
    client, bappeda_admin, opd_supervisor, other_opd_supervisor, done_plan
):
    client.force_login(other_opd_supervisor)
    assert client.get(reverse("planning:opd")).context["plans"] == []
    send_plan(plan=done_plan, actor=bappeda_admin)
    assert client.post(reverse("planning:opd-approve", args=[done_plan.pk])).status_code == 404

    client.force_login(bappeda_admin)
    review = client.get(reverse("planning:review", args=[done_plan.pk])).content.decode()
    assert "Belum disetujui OPD: Disnaker." in review
    client.force_login(opd_supervisor)
    page = client.get(reverse("planning:opd"))
    response = client.post(reverse("planning:opd-approve", args=[done_plan.pk]), follow=True)

    assert [len(item["planned"]) for item in page.context["plans"]] == [5]
    assert [item["classes"] for item in page.context["plans"]] == [5]
    assert [str(m) for m in response.context["messages"]] == [
        "Kelas tema OPD Anda dalam rencana ini disetujui."
    ]
    assert PlanRun.objects.get(pk=done_plan.pk).status == "approved"
    assert Batch.objects.filter(period=done_plan.period, status="approved").count() == 5
    assert PlannedBatch.objects.filter(plan=done_plan, batch__isnull=True).count() == 0


def test_bappeda_approval_with_open_registration_puts_batches_in_the_catalogue(
    login, bappeda_admin, done_plan
):
    client = login(bappeda_admin)

    client.post(reverse("planning:approve", args=[done_plan.pk]), {"open_registration": "on"})
    catalogue = client.get(reverse("batches:catalogue")).content.decode()

    codes = list(Batch.objects.filter(period=done_plan.period).values_list("code", flat=True))
    assert len(codes) == 5
    assert all(Batch.objects.get(code=code).status == "open" for code in codes)
    assert all(Batch.objects.get(code=code).starts_on >= dt.date(2030, 1, 1) for code in codes)
    assert all(code in catalogue for code in codes)


def test_the_answer_to_an_edit_is_shown_beside_the_planned_list_it_changed(login, bappeda_admin, done_plan):
    client = login(bappeda_admin)

    response = client.post(reverse("planning:add", args=[done_plan.pk]), {"add-center": "", "add-theme": ""})
    page = client.get(response["Location"]).content.decode()

    assert response["Location"].endswith("#plan-edits")
    answer = page[page.index('id="plan-edits"') :]
    assert "Pilih BLK" in answer[: answer.index("</div>")]
    assert done_plan.planned.count() == 5


def test_the_returned_note_reaches_bappedas_review_of_the_plan(
    client, bappeda_admin, opd_supervisor, done_plan
):
    send_plan(plan=done_plan, actor=bappeda_admin)
    client.force_login(opd_supervisor)
    page = client.get(reverse("planning:opd")).content.decode()
    client.post(reverse("planning:opd-return", args=[done_plan.pk]), {"reason": "Ruang las dipakai ujian."})

    client.force_login(bappeda_admin)
    review = client.get(reverse("planning:review", args=[done_plan.pk])).content.decode()

    assert reverse("planning:opd-return", args=[done_plan.pk]) in page
    assert "Ruang las dipakai ujian." in review[review.index('id="returns"') :]
    assert PlanRun.objects.get(pk=done_plan.pk).status == "done"
    send_plan(plan=done_plan, actor=bappeda_admin)  # dealt with: sent again, the note is no longer shown
    assert 'id="returns"' not in client.get(reverse("planning:review", args=[done_plan.pk])).content.decode()


def test_the_opd_that_returned_a_plan_still_sees_it_and_its_note_until_bappeda_sends_it_again(
    client, bappeda_admin, opd_supervisor, other_opd_supervisor, done_plan
):
    send_plan(plan=done_plan, actor=bappeda_admin)
    client.force_login(opd_supervisor)
    client.post(reverse("planning:opd-return", args=[done_plan.pk]), {"reason": "Ruang las dipakai ujian."})

    page = client.get(reverse("planning:opd")).content.decode()
    client.force_login(other_opd_supervisor)
    other = client.get(reverse("planning:opd")).content.decode()

    returned = page[page.index('id="returned"') :]
    assert f"Rencana #{done_plan.pk}" in returned
    assert "Ruang las dipakai ujian." in returned
    assert "Belum ada rencana" not in page
    assert "Ruang las dipakai ujian." not in other  # another agency's note is not theirs to read
    send_plan(plan=done_plan, actor=bappeda_admin)
    client.force_login(opd_supervisor)
    again = client.get(reverse("planning:opd")).content.decode()
    assert 'id="returned"' not in again
    assert reverse("planning:opd-approve", args=[done_plan.pk]) in again


def test_the_opd_page_finds_its_plans_without_comparing_the_plans_solver_data(
    client, bappeda_admin, opd_supervisor, done_plan
):
    """DISTINCT over the plan rows compared their solver JSON across every planned class: about a second per
    plan at city scale (list review). Each plan is still listed once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from latihkerja.planning.models import PlanRun

    send_plan(plan=done_plan, actor=bappeda_admin)
    client.force_login(opd_supervisor)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("planning:opd")).content.decode()

    assert done_plan.planned.filter(theme__agency=opd_supervisor.agency).count() > 1
    assert list(PlanRun.objects.for_user(opd_supervisor)) == [done_plan]
    assert page.count(reverse("planning:opd-approve", args=[done_plan.pk])) == 1
    assert not [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"] and "input" in q["sql"]]


def test_a_planned_class_is_offered_the_blk_of_its_own_kecamatan_to_move_to(login, bappeda_admin, done_plan):
    """Every row listed every centre (4,463 options on a city page, 5,000 per row nationally: list review)."""
    from latihkerja.centers.models import Center

    response = login(bappeda_admin).get(reverse("planning:review", args=[done_plan.pk]))

    kecamatan = response.context["kecamatan"]
    item = response.context["planned"][0]
    offered = [code for code, _name in item.move_form.fields["center"].choices if code]
    assert sorted(offered) == sorted(
        Center.objects.filter(kelurahan__kecamatan=kecamatan).values_list("code", flat=True)
    )
    assert Center.objects.exclude(kelurahan__kecamatan=kecamatan).exists()  # others exist, not offered
    assert "Untuk kecamatan lain: hapus kelasnya" in response.content.decode()


def test_two_classes_of_one_theme_at_one_centre_in_one_month_are_one_row_with_their_count(
    client, bappeda_admin, opd_supervisor, done_plan
):
    first = PlannedBatch.objects.filter(plan=done_plan).order_by("pk").first()
    PlannedBatch.objects.create(plan=done_plan, center=first.center, theme=first.theme, month=first.month)
    send_plan(plan=done_plan, actor=bappeda_admin)
    client.force_login(opd_supervisor)

    (item,) = client.get(reverse("planning:opd")).context["plans"]

    assert item["classes"] == 6
    assert sorted(row["count"] for row in item["planned"]) == [1, 1, 1, 1, 2]
