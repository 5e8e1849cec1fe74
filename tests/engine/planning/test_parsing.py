"""Bad input is refused with one exact line; good input becomes frozen dataclasses."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from latihkerja.engine.planning import (
    Center,
    Interest,
    PlanningInputError,
    evaluate,
    even_spread,
    greedy,
    parse_input,
    plan,
)

from .instances import EXAMPLE, two_districts

pytestmark = pytest.mark.unit


def _with(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    document = copy.deepcopy(two_districts())
    target: Any = document
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return document


_DELETE = object()

BAD_DOCUMENTS = [
    (("demand", 0, "theme"), "welding", "demand[0].theme: unknown theme 'welding'"),
    (("opd_capacity", 1, "opd"), "dishub", "opd_capacity[1].opd: unknown opd 'dishub' (no theme names it)"),
    (("opd_capacity", 1, "month"), "2021-03", "opd_capacity[1].month: '2021-03' is not one of the months"),
    (("centers", 0, "rooms"), -1, "centers[0].rooms must not be negative, got -1"),
    (("themes", 2, "cost"), -4, "themes[2].cost must not be negative, got -4"),
    (("interest", 3, "residents"), -12, "interest[3].residents must not be negative, got -12"),
    (("budget",), -1, "budget must not be negative, got -1"),
    (("themes", 0, "minimum"), 21, "themes[0]: minimum 21 is greater than capacity 20"),
    (("themes", 0, "capacity"), 0, "themes[0].capacity must be at least 1, got 0"),
    (("centers", 1, "id"), "A1", "centers[1].id: duplicate centre id 'A1'"),
    (("themes", 1, "id"), "las", "themes[1].id: duplicate theme id 'las'"),
    (("months",), ["2021-01", "2021-13"], "months[1] must be YYYY-MM, got '2021-13'"),
    (("months",), ["2021-01", "2021-01"], "months[1]: duplicate month '2021-01'"),
    (("months",), [], "months must list at least one month"),
    (("months",), "2021-01", "months must be a list of YYYY-MM strings"),
    (("themes", 0, "cost"), 1.5, "themes[0].cost must be a whole number, got 1.5"),
    (("budget",), True, "budget must be a whole number, got True"),
    (("centers", 0, "id"), 7, "centers[0].id must be a string, got 7"),
    (("budget",), _DELETE, "input: missing key 'budget'"),
    (("centers", 0, "capacity"), 3, "centers[0]: unknown key 'capacity'"),
    (
        ("interest", 0, "kelurahan"),
        "KX",
        "interest[0].kelurahan: no centre names kelurahan 'KX'; give the row a kecamatan",
    ),
    (("centers", 1, "kelurahan"), "KB1", "centers[2]: kelurahan 'KB1' is placed in kecamatan 'DB' and 'DA'"),
    (
        ("opd_capacity", 1),
        {"opd": "disnaker", "month": "2021-01", "batches": 4},
        "opd_capacity[1]: duplicate row for opd 'disnaker' in 2021-01",
    ),
    (("demand",), {"theme": "las"}, "demand must be a list of objects"),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD_DOCUMENTS)
def test_parse_input_raises_one_line_when_document_is_bad(
    path: tuple[Any, ...], value: Any, message: str
) -> None:
    document = _with(path, value)

    with pytest.raises(PlanningInputError) as raised:
        parse_input(document)

    assert str(raised.value) == message


def test_parse_input_raises_when_document_is_not_an_object() -> None:
    with pytest.raises(PlanningInputError) as raised:
        parse_input([EXAMPLE])

    assert str(raised.value) == "input must be a JSON object"


def test_parse_input_accepts_integral_floats_and_kecamatan_on_interest_rows_when_kelurahan_has_no_centre() -> (
    None
):
    document = _with(("budget",), 36.0)
    document["interest"].append({"theme": "las", "kelurahan": "KX", "kecamatan": "DB", "residents": 8})

    data = parse_input(document)

    assert data.budget == 36
    assert data.interest[-1] == Interest(theme="las", kelurahan="KX", residents=8, kecamatan="DB")
    assert data.centers[0] == Center(id="A1", kelurahan="KA1", kecamatan="DA", trainings=2, rooms=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.centers[0].rooms = 3  # type: ignore[misc]


def test_every_entry_point_refuses_input_when_dataclasses_are_built_directly() -> None:
    data = parse_input(two_districts())
    broken = dataclasses.replace(
        data, centers=(dataclasses.replace(data.centers[0], trainings=-2), *data.centers[1:])
    )

    for entry_point in (plan, greedy, even_spread, lambda d: evaluate(d, [])):
        with pytest.raises(PlanningInputError) as raised:
            entry_point(broken)
        assert str(raised.value) == "centers[0].trainings must not be negative, got -2"


def test_plan_refuses_time_limit_and_gap_when_out_of_range() -> None:
    data = parse_input(two_districts())

    with pytest.raises(PlanningInputError) as no_time:
        plan(data, time_limit=0)
    with pytest.raises(PlanningInputError) as bad_gap:
        plan(data, gap=1.5)

    assert str(no_time.value) == "time limit must be positive, got 0"
    assert str(bad_gap.value) == "gap must be in [0, 1), got 1.5"
