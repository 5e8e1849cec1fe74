"""The dashboard in a real browser, at desktop and phone width: the charts draw and the map is there."""

import os
from pathlib import Path

import pytest

from latihkerja.accounts.enums import Role
from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center
from latihkerja.regions.models import Kelurahan
from latihkerja.reports.services import refresh_figures
from tests.conftest import PASSWORD
from tests.factories import BatchFactory, PeriodFactory, ResidentFactory, UserFactory
from tests.factories.reports import make_application, make_enrollment, make_outcome
from tests.helpers import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


@pytest.fixture
def scene(reference_data):
    period = PeriodFactory()
    themes = list(Theme.objects.order_by("code")[:4])
    kelurahan = list(Kelurahan.objects.order_by("code")[:30])
    batches = [
        BatchFactory(
            code=f"e2e-{i}",
            center=Center.objects.get(kelurahan=kelurahan[i * 3]),
            theme=themes[i % 4],
            status="running",
        )
        for i in range(8)
    ]
    for index in range(60):
        resident = ResidentFactory(
            kelurahan=kelurahan[index % 30],
            sex="LP"[index % 2],
            employment_status=["phk", "dirumahkan", "menganggur"][index % 3],
        )
        batch = batches[index % 8]
        make_application(resident, period, [batch])
        if index % 4:
            enrollment = make_enrollment(resident, batch)
            if index % 3 == 0:
                make_outcome(enrollment, "completed")
    refresh_figures(period=period)
    UserFactory(username="bappeda", role=Role.BAPPEDA, is_staff=True)
    return period


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_dashboard_draws_every_chart_when_opened(browser, live_server, scene, tmp_path, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    staff_sign_in(page, live_server.url, "bappeda", PASSWORD)

    page.goto(f"{live_server.url}/dasbor/")
    page.wait_for_function("window.lkCharts && Object.keys(window.lkCharts).length > 0")

    charts = page.evaluate(
        """() => Object.entries(window.lkCharts).map(([id, chart]) => [
            id, chart.canvas.width > 0 && chart.canvas.height > 0, chart.data.datasets[0].data.length])"""
    )
    canvases = page.locator("canvas").count()
    assert errors == []
    assert len(charts) == canvases == 8
    assert all(drawn for _, drawn, _ in charts)
    assert dict((id_, n) for id_, _, n in charts)["kecamatan"] > 0
    assert page.locator("svg.lk-map path").count() == 13
    # A measure keeps its colour on every chart, whatever its place in a chart's legend.
    colours = page.evaluate(
        """() => Object.values(window.lkCharts).flatMap(
            chart => chart.data.datasets.map(dataset => [dataset.label, dataset.backgroundColor]))"""
    )
    by_label: dict[str, set[str]] = {}
    for label, colour in colours:
        by_label.setdefault(label, set()).add(colour)
    assert all(len(seen) == 1 for seen in by_label.values()), by_label
    assert len({next(iter(seen)) for seen in by_label.values()}) == len(by_label)
    # The trend has a point for every month from its first to its last: quiet months are zeros, not skipped.
    # Labels are Indonesian month names ("Okt 2020"), as the page's language says.
    months = page.evaluate("window.lkCharts.trend.data.labels")
    names = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    numbers = [int(month.split()[1]) * 12 + names.index(month.split()[0]) for month in months]
    assert len(months) > 1
    assert numbers == list(range(numbers[0], numbers[-1] + 1))
    # Nothing wider than the screen on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    out = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"dashboard-{viewport}.png"), full_page=True)
    page.goto(f"{live_server.url}/dasbor/data-terbuka/")
    page.screenshot(path=str(out / f"open-data-{viewport}.png"), full_page=True)
    context.close()


def test_a_waiting_page_follows_the_work_without_reloading_and_then_shows_the_result(
    browser, live_server, reference_data
):
    """WCAG 2.2.1: no timed reload under the reader. The status line moves in place while the file is made;
    when it is ready the page shows the download and puts focus on its heading, still without a reload."""
    from latihkerja.reports.models import ReportExport

    bappeda = UserFactory(username="bappeda", role=Role.BAPPEDA, is_staff=True)
    export = ReportExport.objects.create(
        period=PeriodFactory(), scope="city", scope_id=0, format="csv", requested_by=bappeda
    )
    page = browser.new_context(viewport=VIEWPORTS["phone"]).new_page()
    staff_sign_in(page, live_server.url, "bappeda", PASSWORD)
    page.goto(f"{live_server.url}/dasbor/ekspor/{export.pk}/")
    page.evaluate("window.sameDocument = true")
    page.get_by_role("link", name="Kembali ke dasbor").focus()

    ReportExport.objects.filter(pk=export.pk).update(status="running")
    page.get_by_role("status").filter(has_text="Sedang dibuat").wait_for(timeout=15_000)
    focused_while_running = page.evaluate("document.activeElement.textContent")
    ReportExport.objects.filter(pk=export.pk).update(status="done", content=b"a,b\n", filename="laporan.csv")
    page.get_by_role("link", name="Unduh laporan.csv").wait_for(timeout=15_000)

    assert focused_while_running == "Kembali ke dasbor"
    assert page.evaluate("window.sameDocument") is True
    assert page.evaluate("document.activeElement.tagName") == "H1"
    assert page.locator("[data-refresh]").count() == 0
