"""Open data: aggregates only, every person cell under 5 hidden, and no hidden cell recoverable from a total."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from latihkerja.catalog.models import Theme
from latihkerja.regions.models import Kelurahan
from latihkerja.reports.services import refresh_figures
from latihkerja.reports.suppression import THRESHOLD, suppress
from tests.factories import BatchFactory, ResidentFactory
from tests.factories.reports import make_application, make_enrollment

OPEN = "/dasbor/data-terbuka/"
API = "/api/v1/open-data/figures"


@pytest.mark.unit
def test_suppress_hides_small_cells_and_one_complement_when_a_total_is_published():
    values = {"a": 3, "b": 7, "c": 12, "d": 0}

    assert suppress(values, [list(values)]) == {"a", "b"}


@pytest.mark.unit
def test_suppress_hides_nothing_when_every_cell_is_large_or_zero():
    assert suppress({"a": 5, "b": 0, "c": 40}, [["a", "b", "c"]]) == set()


@pytest.mark.unit
def test_suppress_hides_a_whole_group_when_its_total_is_small():
    assert suppress({"a": 1, "b": 0, "c": 2, "d": 9}, [["a", "b", "c"], ["a", "b", "c", "d"]]) == {
        "a",
        "b",
        "c",
        "d",
    }


@pytest.mark.unit
@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=12),
    st.lists(st.integers(min_value=0, max_value=3), min_size=12, max_size=12),
)
def test_no_hidden_cell_can_be_recovered_when_totals_are_published(cells, group_of):
    values = {index: value for index, value in enumerate(cells)}
    groups = [list(values)]
    # Subgroups (of two or more cells, like the kelurahan of a kecamatan) partition the table (kelurahan within kecamatan), as the open data's groups do.
    for group in range(4):
        members = [key for key in values if group_of[key] == group]
        if len(members) >= 2:
            groups.append(members)

    hidden = suppress(values, groups)

    # Every small cell is hidden.
    assert {key for key, value in values.items() if 0 < value < THRESHOLD} <= hidden
    # A published sum never has exactly one unknown in it (subtraction would reveal it) ...
    small = [set(g) for g in groups if 0 < sum(values[k] for k in g) < THRESHOLD]
    for group in groups:
        if sum(values[key] for key in group) == 0:
            continue  # nothing to protect: every cell is 0
        if set(group) in small:
            assert set(group) <= hidden
            continue
        units = {
            next((frozenset(g) for g in small if key in g and g < set(group)), key)
            for key in group
            if key in hidden
        }
        assert len(units) != 1
    # ... and the published cells are exactly the others.
    assert all(values[key] == 0 or values[key] >= THRESHOLD for key in values if key not in hidden)


def determined(hidden, relations):
    """The hidden keys whose value follows from the published figures: each relation (key → coefficient) sums
    to a published constant, and a key is determined when its unit vector lies in the relations' row space
    over the hidden keys."""
    import numpy as np

    unknown = sorted(hidden, key=str)
    index = {key: i for i, key in enumerate(unknown)}
    rows = []
    for relation in relations:
        row = np.zeros(len(unknown))
        for key, coefficient in relation.items():
            if key in index:
                row[index[key]] += coefficient
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    return {
        key
        for key, i in index.items()
        if np.linalg.matrix_rank(np.vstack([matrix, np.eye(len(unknown))[i]])) == rank
    }


@pytest.mark.unit
@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 7, 12, 40]), min_size=1, max_size=4),
        min_size=1,
        max_size=6,
    )
)
def test_no_hidden_cell_can_be_recovered_from_two_published_tables_where_one_sums_the_other(parents):
    """Kecamatan and kelurahan, OPD and theme: a parent's figure is the sum of its children's, both tables
    are published. Suppressing each table alone let 9% of such random pairs give a hidden cell away."""
    values = {
        ("child", p, c): value for p, children in enumerate(parents) for c, value in enumerate(children)
    }
    values |= {("parent", p): sum(children) for p, children in enumerate(parents)}
    children = [key for key in values if key[0] == "child"]
    parents_ = [key for key in values if key[0] == "parent"]
    linked = [[("parent", p), *(key for key in children if key[1] == p)] for p in range(len(parents))]

    hidden = suppress(values, [children, parents_], linked=linked)

    total = sum(values[key] for key in children)
    relations = [dict.fromkeys(children, 1), dict.fromkeys(parents_, 1)]
    relations += [{group[0]: 1, **dict.fromkeys(group[1:], -1)} for group in linked]
    assert determined(hidden, relations) == set() or 0 < total < THRESHOLD
    assert all(values[key] == 0 or values[key] >= THRESHOLD for key in values if key not in hidden)


@pytest.mark.integration
def test_an_opd_hidden_as_a_complement_is_not_given_away_by_its_one_published_theme(db):
    """The security review's case: a small theme of one OPD hid another OPD's only theme (7) as its complement
    in the theme table, while the OPD table published that OPD (7) and the first (23 = 3 + 20)."""
    from latihkerja.reports.enums import Dimension, Measure
    from latihkerja.reports.opendata import open_table
    from latihkerja.reports.queries import Dashboard

    first = list(Theme.objects.filter(agency__code="DISNAKER").order_by("code")[:2])
    only = Theme.objects.exclude(agency__code="DISNAKER").order_by("code").first()
    figures = {first[0].code: 3, first[1].code: 20, only.code: 7}
    dashboard = Dashboard(period=None, scope="city", scope_id=0, refreshed_at=None)
    dashboard.values = {(Dimension.THEME, code, Measure.REGISTERED): value for code, value in figures.items()}
    dashboard.values |= {
        (Dimension.AGENCY, "DISNAKER", Measure.REGISTERED): 23,
        (Dimension.AGENCY, only.agency.code, Measure.REGISTERED): 7,
        (Dimension.TOTAL, "all", Measure.REGISTERED): 30,
    }
    dashboard.keys = {
        Dimension.THEME: sorted(figures),
        Dimension.AGENCY: sorted(["DISNAKER", only.agency.code]),
    }

    themes = {
        c["key"]: c["value"] for c in open_table(dashboard, Dimension.THEME, Measure.REGISTERED)["cells"]
    }
    agencies = {
        c["key"]: c["value"] for c in open_table(dashboard, Dimension.AGENCY, Measure.REGISTERED)["cells"]
    }

    assert themes[first[0].code] is None
    assert themes[only.code] is None or agencies[only.agency.code] is None or themes[only.code] == 7
    published = {
        **{("theme", k): v for k, v in themes.items()},
        **{("agency", k): v for k, v in agencies.items()},
    }
    hidden = {key for key, value in published.items() if value is None}
    relations = [
        dict.fromkeys([("theme", k) for k in themes], 1),
        dict.fromkeys([("agency", k) for k in agencies], 1),
        {("agency", "DISNAKER"): 1, ("theme", first[0].code): -1, ("theme", first[1].code): -1},
        {("agency", only.agency.code): 1, ("theme", only.code): -1},
    ]
    assert determined(hidden, relations) == set()


@pytest.fixture
def small_programme(period, center_a, center_b):
    """Seven participants in Sukarasa's batch (from two kelurahan) and three in Cipondoh's."""
    theme = Theme.objects.get(code="BARISTA")
    batch_a = BatchFactory(code="o-a", center=center_a, theme=theme, status="running")
    batch_b = BatchFactory(code="o-b", center=center_b, theme=theme, status="running")
    sukarasa = Kelurahan.objects.get(name="Sukarasa")
    cipondoh = Kelurahan.objects.get(name="Cipondoh")
    other = Kelurahan.objects.filter(kecamatan=sukarasa.kecamatan).exclude(pk=sukarasa.pk).order_by("code")[0]
    people = [(batch_a, sukarasa)] * 6 + [(batch_a, other)] + [(batch_b, cipondoh)] * 3
    for batch, kelurahan in people:
        resident = ResidentFactory(kelurahan=kelurahan, full_name="Nama Rahasia Warga")
        make_application(resident, period, [batch])
        make_enrollment(resident, batch)
    refresh_figures(period=period)
    return {"sukarasa": sukarasa, "other": other, "cipondoh": cipondoh}


def _table(payload, dimension, measure):
    return next(t for t in payload["tables"] if t["dimension"] == dimension and t["measure"] == measure)


@pytest.mark.integration
def test_api_suppresses_small_cells_and_their_complements_when_serving_open_data(
    client, small_programme, period
):
    payload = client.get(API, {"period": period.code}).json()

    kelurahan = {c["key"]: c["value"] for c in _table(payload, "kelurahan", "registered")["cells"]}
    kecamatan = {c["label"]: c["value"] for c in _table(payload, "kecamatan", "registered")["cells"]}
    assert payload["suppression_threshold"] == 5
    assert _table(payload, "kelurahan", "registered")["total"] == 10
    # The neighbour (1) and Cipondoh (3) are small; Cipondoh's kecamatan (3) too, and with it Tangerang's (7),
    # the one other cell of the kecamatan table. Tangerang = Sukarasa + neighbour then has two unknowns, so
    # Sukarasa (6) can be published: the neighbour stays unknown whichever table is read.
    assert kelurahan == {
        small_programme["sukarasa"].code: 6,
        small_programme["other"].code: None,
        small_programme["cipondoh"].code: None,
    }
    assert kecamatan == {"Tangerang": None, "Cipondoh": None}
    assert _table(payload, "sex", "registered")["cells"] == [{"key": "L", "label": "Laki-laki", "value": 10}]
    assert payload["batches"] == 2


@pytest.mark.integration
def test_open_data_carries_no_personal_data_when_served(client, small_programme, period):
    other = small_programme["other"]
    page = client.get(OPEN)
    api = client.get(API)
    csv_body = client.get("/dasbor/data-terbuka/data.csv").content.decode("utf-8-sig")

    assert page.status_code == 200
    for body in (page.content.decode(), json.dumps(api.json()), csv_body):
        assert "Nama Rahasia" not in body
    assert f"Kelurahan,{other.code},{other.name},Pendaftar,*" in csv_body


@pytest.mark.integration
def test_open_data_is_not_found_when_the_period_is_unknown(client, small_programme):
    assert client.get(OPEN, {"periode": "tidak-ada"}).status_code == 404
    assert client.get(API, {"period": "tidak-ada"}).status_code == 404


@pytest.mark.integration
def test_open_data_does_not_know_a_period_not_yet_announced(client, small_programme, period):
    from latihkerja.programs.models import Period

    Period.objects.filter(pk=period.pk).update(is_published=False)

    assert client.get(OPEN, {"periode": period.code}).status_code == 404
    assert client.get(API, {"period": period.code}).status_code == 404
    assert client.get("/dasbor/data-terbuka/data.csv", {"periode": period.code}).status_code == 404


@pytest.mark.integration
def test_open_data_endpoint_is_documented_when_the_schema_is_read(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    assert "/api/v1/open-data/figures" in schema["paths"]
