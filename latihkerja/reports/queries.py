"""Reads of the dashboard: whose figures a user sees, and one scope's figures loaded from the summary rows
(one query), never from the raw tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from latihkerja.accounts.enums import Role
from latihkerja.agencies.models import Agency
from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center
from latihkerja.common.dates import month_label
from latihkerja.programs.models import Period

from .compute import choice_labels
from .enums import Dimension, Measure, Scope
from .models import Figure, FigureRefresh


def dashboard_scope_of(user: Any) -> tuple[str, int] | None:
    """Bappeda sees the city, an OPD supervisor their agency's themes, an operator their centre; others none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser or user.role == Role.BAPPEDA:
        return Scope.CITY, 0
    if user.role == Role.OPD and user.agency_id:
        return Scope.AGENCY, user.agency_id
    if user.role == Role.OPERATOR and user.center_id:
        return Scope.CENTER, user.center_id
    return None


def scope_label(scope: str, scope_id: int) -> str:
    if scope == Scope.AGENCY:
        agency = Agency.objects.filter(pk=scope_id).first()
        return agency.short_name if agency else "-"
    if scope == Scope.CENTER:
        center = Center.objects.filter(pk=scope_id).first()
        return center.name if center else "-"
    return ""


def period_from(code: str | None, *, public: bool = False) -> Period:
    """The period named in the query string, else the current one; an unknown code is a 404. The public pages
    (`public`) know announced periods only: a draft's name and planned classes are not yet the city's word."""
    if code:
        periods = Period.objects.filter(is_published=True) if public else Period.objects.all()
        return get_object_or_404(periods, code=code)
    period = Period.objects.current()
    if period is None:
        raise Http404
    return period


@dataclass
class Dashboard:
    period: Period
    scope: str
    scope_id: int
    refreshed_at: dt.datetime | None
    values: dict[tuple[str, str, str], int] = field(default_factory=dict)
    labels: dict[tuple[str, str], str] = field(default_factory=dict)
    keys: dict[str, list[str]] = field(default_factory=dict)

    @property
    def counts_demand(self) -> bool:
        """Employer demand is declared for the city (by theme, so per OPD too), never for one centre: a centre's
        dashboard leaves it out instead of showing zeros."""
        return self.scope != Scope.CENTER

    @property
    def has_centre_target(self) -> bool:
        """The trainings-per-centre target counts every agency's classes at a centre; an OPD sees only its own
        share of them, which says nothing about the target."""
        return self.scope != Scope.AGENCY

    def shown(self, measures: Sequence[str]) -> list[str]:
        """The measures that mean something in this scope."""
        return [m for m in measures if self.counts_demand or m != Measure.DEMAND]

    def total(self, measure: str) -> int:
        return self.values.get((Dimension.TOTAL, "all", measure), 0)

    def value(self, dimension: str, key: str, measure: str) -> int:
        return self.values.get((dimension, key, measure), 0)

    def rows(self, dimension: str, measures: Sequence[str]) -> list[dict[str, Any]]:
        """One row per key of the dimension: {"key", "label", "values": [...]} in key order."""
        return [
            {
                "key": key,
                "label": month_label(key)
                if dimension == Dimension.MONTH
                else self.labels.get((dimension, key), key),
                "values": [self.value(dimension, key, m) for m in measures],
            }
            for key in self.keys.get(dimension, [])
        ]


def load_dashboard(period: Period, scope: str, scope_id: int) -> Dashboard:
    refresh = FigureRefresh.objects.filter(period=period).first()
    dashboard = Dashboard(
        period=period, scope=scope, scope_id=scope_id, refreshed_at=refresh.refreshed_at if refresh else None
    )
    rows = Figure.objects.filter(period=period, scope=scope, scope_id=scope_id).values_list(
        "dimension", "key", "label", "measure", "value"
    )
    seen: dict[str, set[str]] = {}
    for dimension, key, label, measure, value in rows:
        dashboard.values[(dimension, key, measure)] = value
        dashboard.labels[(dimension, key)] = label
        seen.setdefault(dimension, set()).add(key)
    dashboard.keys = {dimension: sorted(keys) for dimension, keys in seen.items()}
    for dimension, labels in translated_labels().items():
        for key in seen.get(dimension, ()):
            if key in labels:
                dashboard.labels[(dimension, key)] = labels[key]
    return dashboard


def translated_labels() -> dict[str, dict[str, str]]:
    """Labels that have a translation, in the active language. A summary row keeps the label of its refresh,
    which ran in the worker's language; theme names and the choices of an enum are shown in the reader's."""
    themes = {theme.code: theme.display_name for theme in Theme.objects.only("code", "name", "name_en")}
    return {Dimension.THEME: themes, **choice_labels()}


# The breakdowns every dashboard, export and open-data table shows, with their measures.
PERSON_FLOW: list[str] = [
    Measure.REGISTERED,
    Measure.ALLOCATED,
    Measure.ATTENDING,
    Measure.COMPLETED,
    Measure.DROPPED_OUT,
]
BREAKDOWNS: list[tuple[str, Sequence[str]]] = [
    (Dimension.KECAMATAN, [*PERSON_FLOW, Measure.BATCHES]),
    (Dimension.KELURAHAN, [*PERSON_FLOW, Measure.BATCHES]),
    (Dimension.THEME, [*PERSON_FLOW, Measure.DEMAND, Measure.BATCHES]),
    (Dimension.AGENCY, [*PERSON_FLOW, Measure.BATCHES]),
    (
        Dimension.CENTER,
        [
            *PERSON_FLOW,
            Measure.BATCHES,
            Measure.BATCHES_AT_MINIMUM,
            Measure.LURING_SESSIONS,
            Measure.SIGNED_SESSIONS,
        ],
    ),
    (Dimension.MODALITY, [*PERSON_FLOW, Measure.BATCHES]),
    (Dimension.SEX, PERSON_FLOW),
    (Dimension.AGE_BAND, PERSON_FLOW),
    (Dimension.EMPLOYMENT, PERSON_FLOW),
    (Dimension.MONTH, [Measure.REGISTERED, Measure.ALLOCATED, Measure.COMPLETED, Measure.BATCHES]),
]
