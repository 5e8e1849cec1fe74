"""Employer and planning lists cost the same number of queries with 1 row as with 3 (no N+1)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center
from latihkerja.demand.models import Vacancy
from latihkerja.planning.services import add_planned_batch
from tests.factories import CompanyFactory, SkillDemandFactory

pytestmark = pytest.mark.integration


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_unverified_companies_list_does_not_grow_in_queries_with_more_companies(client, bappeda_admin):
    client.force_login(bappeda_admin)
    SkillDemandFactory(company=CompanyFactory())
    one = queries_for(client, reverse("demand:unverified"))

    for _ in range(2):
        SkillDemandFactory(company=CompanyFactory())

    assert queries_for(client, reverse("demand:unverified")) == one


def test_company_page_does_not_grow_in_queries_with_more_demand_and_vacancies(client, bappeda_admin):
    client.force_login(bappeda_admin)
    company = CompanyFactory()
    themes = list(Theme.objects.order_by("code")[:3])

    def add(theme: Theme) -> None:
        SkillDemandFactory(company=company, theme=theme)
        Vacancy.objects.create(
            company=company,
            theme=theme,
            title=f"Lowongan {theme.code}",
            count=2,
            kecamatan=company.kecamatan,
            salary_min=4_000_000,
            salary_max=5_000_000,
            deadline=dt.date(2030, 1, 1),
        )

    add(themes[0])
    one = queries_for(client, reverse("demand:company", args=[company.pk]))
    add(themes[1])
    add(themes[2])

    assert queries_for(client, reverse("demand:company", args=[company.pk])) == one


def test_plan_pages_do_not_grow_in_queries_with_more_planned_batches(
    client, done_plan, bappeda_admin, opd_supervisor
):
    client.force_login(bappeda_admin)
    centers = list(Center.objects.order_by("code")[:2])
    theme = Theme.objects.filter(agency=opd_supervisor.agency).order_by("code").first()
    month = done_plan.period.starts_on.strftime("%Y-%m")
    review = reverse("planning:review", args=[done_plan.pk])
    add_planned_batch(plan=done_plan, center=centers[0], theme=theme, month=month, actor=bappeda_admin)
    one_review = queries_for(client, review)
    one_runs = queries_for(client, reverse("planning:runs"))

    add_planned_batch(plan=done_plan, center=centers[1], theme=theme, month=month, actor=bappeda_admin)
    add_planned_batch(plan=done_plan, center=centers[0], theme=theme, month=month, actor=bappeda_admin)

    assert queries_for(client, review) == one_review
    assert queries_for(client, reverse("planning:runs")) == one_runs
