"""``python -m latihkerja.engine.planning``: a plan on stdout, or one line on stderr and a non-zero exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .instances import EXAMPLE, changed, medium_document, two_districts

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]


def _run(tmp_path: Path, content: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "input.json"
    source.write_text(content, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "latihkerja.engine.planning", str(source), *arguments],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
        check=False,
    )


def test_cli_prints_plan_json_when_input_is_feasible(tmp_path: Path) -> None:
    completed = _run(tmp_path, json.dumps(two_districts()), "--time-limit", "5", "--gap", "0")

    output = json.loads(completed.stdout)
    assert (completed.returncode, completed.stderr) == (0, "")
    assert (output["feasible"], output["objective"], output["bound"], output["gap"]) == (True, 60, 60, 0.0)
    assert output["covered"] == {"las": 40, "barista": 20, "batik": 0}
    assert len(output["batches"]) == 5
    assert set(output) >= {
        "batches",
        "covered",
        "objective",
        "bound",
        "gap",
        "binding",
        "seconds",
        "feasible",
    }


def test_cli_exits_zero_with_feasible_false_when_targets_cannot_be_met(tmp_path: Path) -> None:
    completed = _run(tmp_path, json.dumps(EXAMPLE))

    output = json.loads(completed.stdout)
    assert (completed.returncode, completed.stderr) == (0, "")
    assert output["feasible"] is False
    assert output["shortfall"] == [{"center": "C1", "trainings": 5, "planned": 1, "short": 4}]
    assert [entry["rule"] for entry in output["binding"]][:2] == ["rooms", "interest"]


@pytest.mark.parametrize("method", ["greedy", "even_spread"])
def test_cli_runs_baseline_when_method_is_given(tmp_path: Path, method: str) -> None:
    completed = _run(tmp_path, json.dumps(two_districts()), "--method", method)

    output = json.loads(completed.stdout)
    assert (completed.returncode, output["method"], output["bound"], output["gap"]) == (0, method, None, None)


def _bad(document: dict[str, Any]) -> str:
    return json.dumps(document)


BAD_INPUTS = [
    (
        _bad(changed(two_districts(), demand=[{"theme": "welding", "headcount": 3}])),
        "error: demand[0].theme: unknown theme 'welding'",
    ),
    (
        _bad(changed(two_districts(), opd_capacity=[{"opd": "dishub", "month": "2021-01", "batches": 1}])),
        "error: opd_capacity[0].opd: unknown opd 'dishub' (no theme names it)",
    ),
    (_bad(changed(two_districts(), budget=-5)), "error: budget must not be negative, got -5"),
    (
        _bad(changed(EXAMPLE, themes=[{"id": "T1", "opd": "O1", "cost": 1, "capacity": 20, "minimum": 25}])),
        "error: themes[0]: minimum 25 is greater than capacity 20",
    ),
    (
        _bad(changed(EXAMPLE, centers=EXAMPLE["centers"] * 2)),
        "error: centers[1].id: duplicate centre id 'C1'",
    ),
    (
        _bad(changed(EXAMPLE, months=["2020-10", "Oct 2020"])),
        "error: months[1] must be YYYY-MM, got 'Oct 2020'",
    ),
    (_bad(changed(EXAMPLE, months=["2020-10", "2020-10"])), "error: months[1]: duplicate month '2020-10'"),
    ('{"months": [', "error: malformed JSON: Expecting value: line 1 column 13 (char 12)"),
    ('{"budget": NaN}', "error: malformed JSON: NaN is not valid JSON"),
]


@pytest.mark.parametrize(("content", "message"), BAD_INPUTS)
def test_cli_exits_nonzero_with_one_line_when_input_is_bad(
    tmp_path: Path, content: str, message: str
) -> None:
    completed = _run(tmp_path, content)

    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr == message + "\n"


def test_cli_exits_nonzero_with_one_line_when_arguments_are_bad(tmp_path: Path) -> None:
    completed = _run(tmp_path, json.dumps(EXAMPLE), "--gap", "many")

    assert (completed.returncode, completed.stdout) == (2, "")
    assert completed.stderr == "error: argument --gap: invalid float value: 'many'\n"


def test_cli_stdout_is_only_json_when_highs_prints_diagnostics(tmp_path: Path) -> None:
    # Seed 346 makes HiGHS 1.12 print a line from C++ straight to the process's stdout.
    completed = _run(tmp_path, json.dumps(medium_document(346)), "--time-limit", "5")

    output = json.loads(completed.stdout)
    assert completed.returncode == 0
    assert output["feasible"] is False
