from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from latihkerja.catalog.models import Theme

from .queries import programme_figures


def home(request: HttpRequest) -> HttpResponse:
    figures = programme_figures()
    scenario_themes = Theme.objects.filter(in_scenario=True, is_active=True).order_by("name")
    return render(request, "home.html", {"figures": figures, "scenario_themes": scenario_themes})
