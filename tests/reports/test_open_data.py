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
    # Sukarasa (6) is hidden with its kecamatan neighbour (1), which a kecamatan total would otherwise reveal.
    assert kelurahan == {
        small_programme["sukarasa"].code: None,
        small_programme["other"].code: None,
        small_programme["cipondoh"].code: None,
    }
    assert kecamatan == {"Tangerang": None, "Cipondoh": None}
    assert _table(payload, "sex", "registered")["cells"] == [{"key": "L", "label": "Laki-laki", "value": 10}]
    assert payload["batches"] == 2


@pytest.mark.integration
def test_open_data_carries_no_personal_data_when_served(client, small_programme, period):
    page = client.get(OPEN)
    api = client.get(API)
    csv_body = client.get("/dasbor/data-terbuka/data.csv").content.decode("utf-8-sig")

    assert page.status_code == 200
    for body in (page.content.decode(), json.dumps(api.json()), csv_body):
        assert "Nama Rahasia" not in body
    assert "Kelurahan,36.71.01.1001,Sukarasa,Pendaftar,*" in csv_body


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
