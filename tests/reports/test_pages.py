"""The dashboard, its downloads and report exports: the permission matrix, scopes, query counts, bad input."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center
from latihkerja.reports.errors import ReportsError
from latihkerja.reports.models import Figure, ReportExport
from latihkerja.reports.services import refresh_figures
from tests.factories import BatchFactory, ResidentFactory, agency
from tests.factories.reports import make_application, make_enrollment, make_outcome

pytestmark = pytest.mark.integration

DASHBOARD = "/dasbor/"


@pytest.fixture
def login(login, django_capture_on_commit_callbacks):
    """Signed-in client whose on-commit tasks run (the immediate task backend builds the export at once)."""

    def _login(user):
        client = login(user)
        original = client.post

        def post(*args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return original(*args, **kwargs)

        client.post = post
        return client

    return _login


@pytest.fixture
def programme(period, center_a, center_b):
    """Batches of two agencies (Disnaker and Disbudpar) at two centres, with participants."""
    disnaker = Theme.objects.filter(agency__code="DISNAKER").order_by("code")[0]
    disbudpar = Theme.objects.filter(agency__code="DISBUDPAR").order_by("code")[0]
    batches = [
        BatchFactory(code="r-a1", center=center_a, theme=disnaker, status="running"),
        BatchFactory(code="r-a2", center=center_a, theme=disbudpar, status="running"),
        BatchFactory(code="r-b1", center=center_b, theme=disbudpar, status="running"),
    ]
    for index in range(12):
        resident = ResidentFactory(sex="P" if index % 2 else "L")
        batch = batches[index % 3]
        make_application(resident, period, [batch])
        enrollment = make_enrollment(resident, batch)
        if index < 6:
            make_outcome(enrollment, "completed")
    refresh_figures(period=period)
    return {"disnaker": disnaker, "disbudpar": disbudpar, "batches": batches}


@pytest.mark.parametrize("persona", ["resident", "employer", "instructor"])
def test_dashboard_is_not_found_when_the_role_has_none(request, login, programme, persona):
    client = login(request.getfixturevalue(persona))

    assert client.get(DASHBOARD).status_code == 404
    assert client.get(reverse("reports:breakdown-csv", args=["theme"])).status_code == 404


def test_dashboard_redirects_to_login_when_anonymous(client, programme):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_bappeda_sees_the_city_when_opening_the_dashboard(login, bappeda_admin, programme):
    response = login(bappeda_admin).get(DASHBOARD)

    assert response.status_code == 200
    data = response.context["data"]
    assert (data.scope, data.scope_id) == ("city", 0)
    assert data.total("registered") == 12
    assert data.total("allocated") == 12
    assert data.total("completed") == 6
    assert data.total("batches") == 3
    assert set(data.keys["theme"]) == {programme["disnaker"].code, programme["disbudpar"].code}
    assert b'id="chart-trend"' in response.content
    assert b'class="lk-map"' in response.content


def test_opd_sees_only_its_themes_when_opening_the_dashboard(login, opd_supervisor, programme):
    response = login(opd_supervisor).get(DASHBOARD)

    data = response.context["data"]
    assert (data.scope, data.scope_id) == ("agency", agency("DISNAKER").pk)
    assert data.keys["theme"] == [programme["disnaker"].code]
    assert data.total("registered") == 4
    assert data.total("batches") == 1
    assert programme["disbudpar"].name.encode() not in response.content


def test_an_opd_dashboard_does_not_call_a_centre_behind_for_classes_of_other_opds(
    login, opd_supervisor, programme
):
    page = login(opd_supervisor).get(DASHBOARD).content.decode()

    centres = page[page.index('id="centres-title"') :]
    assert "Kelas tema OPD ini per BLK" in centres
    assert "tertinggal" not in centres[: centres.index("</section>")]


def test_a_centre_dashboard_leaves_out_employer_demand_it_does_not_have(
    login, bappeda_admin, operator_blk_b, programme
):
    from latihkerja.demand.services import verify_company
    from tests.factories import CompanyFactory, SkillDemandFactory

    company = CompanyFactory()
    verify_company(company=company, actor=bappeda_admin)
    SkillDemandFactory(company=company, theme=programme["disbudpar"], headcount=40)
    refresh_figures(period=programme["batches"][0].period)
    client = login(operator_blk_b)

    page = client.get(DASHBOARD).content.decode()
    client.post(reverse("reports:export-request"), {"format": "csv"})
    export = ReportExport.objects.get()
    csv_text = client.get(reverse("reports:export-download", args=[export.pk])).content.decode("utf-8-sig")
    city = login(bappeda_admin).get(DASHBOARD).content.decode()

    assert "Peserta dan lulusan per tema" in page
    assert "Lulusan / kebutuhan perusahaan" not in page
    assert "Kebutuhan perusahaan" not in csv_text  # no column of zeros in the centre's report
    assert "Kebutuhan perusahaan dan lulusan per tema" in city
    assert "Lulusan / kebutuhan perusahaan" in city


def test_opd_cannot_widen_its_scope_when_asking_for_another_agency(login, opd_supervisor, programme):
    response = login(opd_supervisor).get(
        DASHBOARD + "?opd=DISBUDPAR&blk=" + Center.objects.get(kelurahan__name="Cipondoh").code
    )

    data = response.context["data"]
    assert (data.scope, data.scope_id) == ("agency", agency("DISNAKER").pk)


def test_operator_sees_only_its_centre_when_opening_the_dashboard(login, operator_blk_b, center_b, programme):
    response = login(operator_blk_b).get(DASHBOARD)

    data = response.context["data"]
    assert (data.scope, data.scope_id) == ("center", center_b.pk)
    assert data.total("batches") == 1
    assert data.total("registered") == 4
    assert data.keys["center"] == [center_b.code]


def test_each_scope_measures_participants_against_its_own_target_when_opening_the_dashboard(
    login, bappeda_admin, opd_supervisor, operator_blk_b, programme
):
    """The city against the period's promise; a centre against its 5 trainings × 20–25 seats; an OPD against
    its batches × 20–25 seats."""
    pages = {
        "city": login(bappeda_admin).get(DASHBOARD),
        "agency": login(opd_supervisor).get(DASHBOARD),
        "center": login(operator_blk_b).get(DASHBOARD),
    }

    registered = {
        scope: next(item for item in response.context["headline"] if item["label"] == "Pendaftar")
        for scope, response in pages.items()
    }

    assert (registered["city"]["target"], registered["city"]["percent"]) == ("target 10.000–12.000", 0.1)
    assert (registered["center"]["target"], registered["center"]["percent"]) == (
        "target 100–125 (5 kelas × 20–25)",
        4.0,
    )
    assert (registered["agency"]["target"], registered["agency"]["percent"]) == (
        "target 20–25 (1 kelas × 20–25)",
        20.0,
    )


def test_theme_and_category_labels_follow_the_readers_language_when_the_dashboard_is_in_english(
    login, bappeda_admin, programme
):
    client = login(bappeda_admin)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    english = client.get(DASHBOARD).context["data"].labels
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    indonesian = client.get(DASHBOARD).context["data"].labels

    theme = programme["disbudpar"]
    assert theme.name_en not in ("", theme.name)
    assert (english[("theme", theme.code)], indonesian[("theme", theme.code)]) == (theme.name_en, theme.name)
    assert (english[("sex", "P")], indonesian[("sex", "P")]) == ("Female", "Perempuan")
    assert english[("modality", "luring")] != indonesian[("modality", "luring")]


def test_targets_are_grouped_the_readers_way_when_the_dashboard_is_in_english(
    login, bappeda_admin, programme
):
    client = login(bappeda_admin)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    headline = client.get(DASHBOARD).context["headline"]

    assert headline[0]["target"] == "target 10,000–12,000"


def test_bappeda_sees_one_agency_when_choosing_it(login, bappeda_admin, programme):
    response = login(bappeda_admin).get(DASHBOARD + "?opd=DISBUDPAR")

    data = response.context["data"]
    assert (data.scope, data.scope_id) == ("agency", agency("DISBUDPAR").pk)
    assert data.total("batches") == 2


@pytest.mark.parametrize("query", ["?periode=tidak-ada", "?opd=TIDAK-ADA", "?blk=tidak-ada"])
def test_dashboard_is_not_found_when_the_query_names_nothing(login, bappeda_admin, programme, query):
    assert login(bappeda_admin).get(DASHBOARD + query).status_code == 404


def test_dashboard_ignores_a_bad_map_choice_when_given_one(login, bappeda_admin, programme):
    response = login(bappeda_admin).get(DASHBOARD + "?peta=<script>&ukuran=x")

    assert response.status_code == 200
    assert response.context["map_level"] == "kecamatan"
    assert response.context["map_measure"] == "registered"


def test_dashboard_reads_only_summary_rows_when_the_data_grows(
    login, bappeda_admin, programme, period, django_assert_max_num_queries
):
    client = login(bappeda_admin)
    client.get(DASHBOARD)
    cache.clear()
    with django_assert_max_num_queries(10) as small:  # 3 of them: the period, OPD and BLK choices
        client.get(DASHBOARD)
    for _ in range(30):
        make_application(ResidentFactory(), period, programme["batches"][:2])
    BatchFactory.create_batch(3, center=Center.objects.get(kelurahan__name="Babakan"), status="running")
    refresh_figures(period=period)
    cache.clear()

    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(DASHBOARD)

    assert response.context["data"].total("registered") == 42
    tables = {
        q["sql"].split(" FROM ")[1].split()[0].strip('"')
        for q in small.captured_queries
        if " FROM " in q["sql"]
    }
    assert tables <= {
        "reports_figure",
        "reports_figurerefresh",
        "programs_period",
        "accounts_user",
        "django_session",
        "catalog_theme",  # the ~40 theme names in the reader's language, however many residents
        "agencies_agency",  # the OPD and BLK a Bappeda may choose to look at, whatever the data
        "centers_center",
    }


def test_dashboard_is_served_from_the_cache_until_the_next_refresh(
    login, bappeda_admin, programme, period, django_assert_max_num_queries
):
    client = login(bappeda_admin)
    first = client.get(DASHBOARD)
    Figure.objects.filter(scope="city", dimension="total", measure="registered").update(value=999)

    with django_assert_max_num_queries(4) as hit:
        cached = client.get(DASHBOARD)
    refresh_figures(period=period)
    fresh = client.get(DASHBOARD)

    assert not any('reports_figure"' in q["sql"] and "value" in q["sql"] for q in hit.captured_queries)
    assert cached.content.count(b"999") == first.content.count(b"999")
    assert fresh.context["data"].total("registered") == 12


def test_breakdown_csv_holds_the_chart_table_when_downloaded(login, bappeda_admin, programme):
    response = login(bappeda_admin).get(reverse("reports:breakdown-csv", args=["sex"]))

    lines = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert lines[1:] == ["L,Laki-laki,6,6,0,3,0", "P,Perempuan,6,6,0,3,0"]


def test_breakdown_csv_is_not_found_when_the_dimension_is_unknown(login, bappeda_admin, programme):
    assert login(bappeda_admin).get(reverse("reports:breakdown-csv", args=["nik"])).status_code == 404


def test_export_is_built_when_requested(login, bappeda_admin, programme):
    client = login(bappeda_admin)

    response = client.post(reverse("reports:export-request"), {"format": "xlsx"})

    export = ReportExport.objects.get()
    assert response["Location"] == reverse("reports:export", args=[export.pk])
    assert export.status == "done"
    assert client.get(reverse("reports:export", args=[export.pk])).status_code == 200
    download = client.get(reverse("reports:export-download", args=[export.pk]))
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(download.content))
    assert workbook.sheetnames == [
        "Ringkasan",
        "Kecamatan",
        "Kelurahan",
        "Tema",
        "OPD",
        "BLK",
        "Modalitas",
        "Jenis kelamin",
        "Kelompok usia",
        "Status pekerjaan",
        "Bulan",
    ]
    months = [row[1].value for row in workbook["Bulan"].iter_rows(min_row=2)]
    assert months
    assert all(re.fullmatch(r"[A-Z][a-z]+ \d{4}", month) for month in months)  # "Oktober 2020", not "2020-10"
    sex = [[c.value for c in row] for row in workbook["Jenis kelamin"].iter_rows()]
    assert sex[1:] == [["L", "Laki-laki", 6, 6, 0, 3, 0], ["P", "Perempuan", 6, 6, 0, 3, 0]]
    # Where a registrant counts at their first choice only, the column says so (its total is smaller).
    assert workbook["OPD"]["C1"].value == "Pendaftar (menurut pilihan pertama)"
    assert workbook["Kecamatan"]["C1"].value == "Pendaftar"


@pytest.mark.parametrize(("fmt", "magic"), [("csv", b"\xef\xbb\xbf"), ("pdf", b"%PDF")])
def test_csv_and_pdf_exports_are_built_when_requested(login, operator_blk_a, programme, fmt, magic):
    client = login(operator_blk_a)

    client.post(reverse("reports:export-request"), {"format": fmt})

    export = ReportExport.objects.get()
    assert (export.scope, export.scope_id, export.status) == ("center", operator_blk_a.center_id, "done")
    assert client.get(reverse("reports:export-download", args=[export.pk])).content.startswith(magic)


def test_a_second_request_while_the_same_file_is_being_made_follows_that_file(
    login, bappeda_admin, opd_supervisor, programme
):
    client = login(bappeda_admin)
    client.post(reverse("reports:export-request"), {"format": "csv"})
    first = ReportExport.objects.get()
    ReportExport.objects.filter(pk=first.pk).update(status="queued")  # as while the worker is busy

    again = client.post(reverse("reports:export-request"), {"format": "csv"})
    other_format = client.post(reverse("reports:export-request"), {"format": "xlsx"})
    login(opd_supervisor).post(reverse("reports:export-request"), {"format": "csv"})

    assert again["Location"] == reverse("reports:export", args=[first.pk])
    assert other_format["Location"] != again["Location"]
    assert ReportExport.objects.count() == 3
    assert ReportExport.objects.filter(requested_by=bappeda_admin, format="csv").count() == 1


def test_export_request_changes_nothing_when_the_format_is_unknown(login, bappeda_admin, programme):
    response = login(bappeda_admin).post(reverse("reports:export-request"), {"format": "exe"}, follow=True)

    assert ReportExport.objects.count() == 0
    assert [str(m) for m in response.context["messages"]] == [str(ReportsError.BAD_FORMAT)]


def test_export_of_another_user_is_not_found_when_opened(login, bappeda_admin, opd_supervisor, programme):
    login(bappeda_admin).post(reverse("reports:export-request"), {"format": "csv"})
    export = ReportExport.objects.get()
    client = login(opd_supervisor)

    assert client.get(reverse("reports:export", args=[export.pk])).status_code == 404
    assert client.get(reverse("reports:export-download", args=[export.pk])).status_code == 404


def test_exported_cells_are_safe_when_a_label_starts_like_a_formula(login, bappeda_admin, programme, period):
    Theme.objects.filter(pk=programme["disnaker"].pk).update(name='=HYPERLINK("http://x","klik")')
    refresh_figures(period=period)
    client = login(bappeda_admin)

    client.post(reverse("reports:export-request"), {"format": "xlsx"})
    csv_body = client.get(reverse("reports:breakdown-csv", args=["theme"])).content.decode("utf-8-sig")

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(bytes(ReportExport.objects.get().content)))
    names = [row[1].value for row in workbook["Tema"].iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://x","klik")' in names
    assert all(not str(name).startswith("=") for name in names)
    assert "'=HYPERLINK" in csv_body


def test_refresh_is_only_for_bappeda_when_posted(login, bappeda_admin, opd_supervisor, programme, period):
    Figure.objects.all().delete()

    assert login(opd_supervisor).post(reverse("reports:refresh")).status_code == 404
    assert Figure.objects.count() == 0
    response = login(bappeda_admin).post(reverse("reports:refresh"), {"periode": period.code})
    assert response.status_code == 302
    assert (
        Figure.objects.filter(period=period, scope="city", dimension="total", measure="registered")
        .get()
        .value
        == 12
    )


def test_dashboard_opens_with_an_empty_map_when_nobody_has_registered_yet(login, bappeda_admin, period):
    refresh_figures(period=period)

    response = login(bappeda_admin).get(DASHBOARD)

    assert response.status_code == 200
    assert response.context["data"].total("registered") == 0
    assert b'class="lk-map"' in response.content


def test_figures_not_yet_computed_are_announced_instead_of_shown_as_zeros(
    login, bappeda_admin, client, period
):
    BatchFactory(code="r-new", status="open")  # a class exists, but no refresh has counted it

    page = login(bappeda_admin).get(DASHBOARD).content.decode()
    public = client.get(reverse("reports:open-data")).content.decode()

    for html in (page, public):
        assert 'id="not-computed"' in html
        assert "lk-kpi-value" not in html
        assert "Kelas memenuhi minimum" not in html
    assert "Hitung sekarang" in page  # Bappeda can start the count at once


def test_the_trend_stops_at_the_current_month_instead_of_drawing_months_to_come_as_zero():
    import datetime as dt

    from django.utils import timezone

    from latihkerja.reports.enums import Dimension, Measure
    from latihkerja.reports.presenters import chart

    this_month = timezone.localdate().replace(day=1)
    next_month = (this_month + dt.timedelta(days=32)).replace(day=1)

    class Rows:
        def rows(self, dimension, measures):
            return [
                {"key": f"{this_month:%Y-%m}", "label": f"{this_month:%Y-%m}", "values": [40]},
                {"key": f"{next_month:%Y-%m}", "label": f"{next_month:%Y-%m}", "values": [0]},
            ]

    trend = chart(Rows(), "trend", "Tren", Dimension.MONTH, [Measure.REGISTERED], "line")

    assert trend["labels"] == [f"{this_month:%Y-%m}"]
    assert trend["datasets"][0]["data"] == [40]


def test_charts_put_people_and_classes_on_separate_scales(login, bappeda_admin, programme):
    charts = login(bappeda_admin).get(DASHBOARD).context["charts"]

    by_id = {chart["id"]: [dataset["measure"] for dataset in chart["datasets"]] for chart in charts}
    assert by_id["agency"] == ["registered", "allocated", "completed"]
    assert "batches" not in by_id["modality"]


def test_the_period_select_speaks_the_readers_language_whoever_opened_the_dashboard_first(
    login, bappeda_admin, programme, period
):
    from django.conf import settings

    period.name_en = "October–December 2020"
    period.save()
    refresh_figures(period=period)
    cache.clear()
    client = login(bappeda_admin)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(DASHBOARD).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    indonesian = client.get(DASHBOARD).content.decode()

    assert f'<option value="{period.code}" selected>October–December 2020</option>' in english
    assert f'<option value="{period.code}" selected>Oktober–Desember 2020</option>' in indonesian


def test_bappeda_chooses_a_period_an_opd_or_a_centre_from_the_dashboard_and_reads_how_it_counts(
    login, bappeda_admin, operator_blk_a, programme, period
):
    refresh_figures(period=period)
    cache.clear()

    page = login(bappeda_admin).get(DASHBOARD).content.decode()
    operators = login(operator_blk_a).get(DASHBOARD).content.decode()

    assert f'<option value="{period.code}" selected>' in page
    assert 'name="opd"' in page
    assert f'<option value="{operator_blk_a.center.code}">' in page
    assert 'name="blk"' not in operators  # an operator sees its own centre only
    assert 'name="periode"' in operators
    for text in (
        "Pendaftar: setiap orang dihitung sekali.",
        "menurut pilihan pertamanya saja",
        "menurut tempat tinggal warga, bukan lokasi BLK",
        "kursi yang ditawarkan dan belum dijawab ikut dihitung",
    ):
        assert text in page
