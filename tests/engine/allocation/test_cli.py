"""The command line, run as a subprocess exactly as automated checks run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[3]

MARKET: dict[str, Any] = {
    "batches": [
        {"id": "B1", "capacity": 2, "minimum": 2},
        {"id": "B2", "capacity": 1, "minimum": 0},
        {"id": "B3", "capacity": 3},
    ],
    "applicants": [
        {"id": "A1", "choices": ["B1", "B2"], "keys": [0.5, 0.1]},
        {"id": "A2", "choices": ["B2", "B1"], "keys": [0.2, 0.3]},
        {"id": "A3", "choices": ["B2"], "keys": [0.1]},
        {"id": "A4", "choices": [], "keys": []},
    ],
}


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-m", "latihkerja.engine.allocation", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=60,
    )


def write(tmp_path: Path, document: object) -> str:
    path = tmp_path / "input.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return str(path)


@pytest.mark.parametrize(
    ("mechanism", "assignment", "cancelled"),
    [
        ("da", {"A1": "B1", "A2": "B1", "A3": "B2", "A4": None}, []),
        ("fcfs", {"A1": "B2", "A2": None, "A3": None, "A4": None}, ["B1"]),
        ("welfare", {"A1": "B1", "A2": "B1", "A3": "B2", "A4": None}, []),
    ],
)
def test_writes_the_result_as_json_when_input_is_valid(
    tmp_path: Path, mechanism: str, assignment: dict[str, str | None], cancelled: list[str]
) -> None:
    path = write(tmp_path, MARKET)

    done = run_cli(path, "--mechanism", mechanism)

    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    output = json.loads(done.stdout)
    assert list(output) == ["assignment", "cancelled", "metrics"]
    assert list(output["assignment"].items()) == list(assignment.items())
    assert output["cancelled"] == cancelled
    metrics = output["metrics"]
    assert metrics["mechanism"] == mechanism
    assert metrics["assigned"] == sum(v is not None for v in assignment.values())
    assert metrics["unassigned"] == sum(v is None for v in assignment.values())
    assert metrics["batches_cancelled"] == len(cancelled)
    assert isinstance(metrics["seconds"], float)


def test_da_is_the_default_and_stdin_is_read_when_input_is_a_dash() -> None:
    done = run_cli("-", stdin=json.dumps(MARKET).encode())

    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    assert output["assignment"] == {"A1": "B1", "A2": "B1", "A3": "B2", "A4": None}
    assert output["metrics"]["mechanism"] == "da"
    assert output["metrics"]["choice_counts"] == [2, 1]
    assert output["metrics"]["choice_shares"] == [0.5, 0.25]


def _market(**changes: Any) -> dict[str, Any]:
    document = json.loads(json.dumps(MARKET))
    for where, value in changes.items():
        part, index, field = where.split("__")
        document[part][int(index)][field] = value
    return document


BAD_INPUTS = [
    (
        "unknown-batch",
        _market(applicants__1__choices=["B9", "B1"]),
        'error: applicant "A2": choice "B9" is not a batch',
    ),
    (
        "duplicate-batch",
        {**MARKET, "batches": [*MARKET["batches"], {"id": "B1", "capacity": 1}]},
        'error: duplicate batch id "B1"',
    ),
    (
        "duplicate-applicant",
        {**MARKET, "applicants": [*MARKET["applicants"], {"id": "A1", "choices": [], "keys": []}]},
        'error: duplicate applicant id "A1"',
    ),
    (
        "duplicate-choice",
        _market(applicants__0__choices=["B1", "B1"]),
        'error: applicant "A1": choice "B1" is listed twice',
    ),
    ("lengths-differ", _market(applicants__0__keys=[0.5]), 'error: applicant "A1": 2 choices but 1 keys'),
    (
        "negative-capacity",
        _market(batches__1__capacity=-1),
        'error: batch "B2": capacity must be a non-negative integer, got -1',
    ),
    (
        "minimum-above-capacity",
        _market(batches__0__minimum=3),
        'error: batch "B1": minimum 3 exceeds capacity 2',
    ),
    (
        "negative-minimum",
        _market(batches__1__minimum=-2),
        'error: batch "B2": minimum must be a non-negative integer, got -2',
    ),
    (
        "non-numeric-key",
        _market(applicants__2__keys=["high"]),
        'error: applicant "A3": key at choice "B2" must be a number, got "high"',
    ),
    (
        "boolean-key",
        _market(applicants__2__keys=[True]),
        'error: applicant "A3": key at choice "B2" must be a number, got true',
    ),
    (
        "nan-key",
        json.dumps(MARKET).replace("[0.1]", "[NaN]"),
        'error: applicant "A3": key at choice "B2" must be a finite number, got NaN',
    ),
    (
        "string-capacity",
        _market(batches__0__capacity="2"),
        'error: batch "B1": capacity must be a non-negative integer, got "2"',
    ),
    ("numeric-id", _market(batches__2__id=3), 'error: batches[2]: "id" must be a string, got 3'),
    (
        "choices-not-a-list",
        _market(applicants__0__choices="B1"),
        'error: applicant "A1": "choices" must be a list of batch ids, got "B1"',
    ),
    (
        "choice-not-a-string",
        _market(applicants__0__choices=[1, "B2"]),
        'error: applicant "A1": choice 1 is not a batch',
    ),
    (
        "missing-keys",
        {**MARKET, "applicants": [{"id": "A1", "choices": []}]},
        'error: applicants[0]: missing "keys"',
    ),
    (
        "applicant-not-object",
        {**MARKET, "applicants": [["A1"]]},
        'error: applicants[0] must be an object, got ["A1"]',
    ),
    ("no-batches", {"applicants": []}, 'error: "batches" must be a list, got null'),
    ("top-level-list", [], 'error: input must be a JSON object with "batches" and "applicants"'),
    (
        "malformed-json",
        '{"batches": [',
        "error: {path} is not valid JSON: Expecting value: line 1 column 14 (char 13)",
    ),
]


@pytest.mark.parametrize(
    ("document", "message"), [case[1:] for case in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS]
)
def test_refuses_with_one_line_and_empty_stdout_when_input_is_bad(
    tmp_path: Path, document: object, message: str
) -> None:
    path = write(tmp_path, document)

    done = run_cli(path)

    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode() == message.format(path=path) + "\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("/nonexistent/input.json",),
            "error: cannot read /nonexistent/input.json: No such file or directory",
        ),
        (
            ("-", "--mechanism", "lottery"),
            "error: argument --mechanism: invalid choice: 'lottery' (choose from 'da', 'fcfs', 'welfare')",
        ),
        ((), "error: the following arguments are required: input"),
    ],
    ids=["missing-file", "unknown-mechanism", "no-input"],
)
def test_refuses_with_one_line_and_empty_stdout_when_arguments_are_bad(
    args: tuple[str, ...], message: str
) -> None:
    done = run_cli(*args, stdin=b"{}")

    assert done.returncode == 2
    assert done.stdout == b""
    assert done.stderr.decode() == message + "\n"


@pytest.mark.parametrize("input_text", [json.dumps(MARKET), "not json"])
def test_in_process_call_leaves_the_cycle_collector_as_it_found_it_when_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], input_text: str
) -> None:
    import gc

    from latihkerja.engine.allocation.cli import main

    path = tmp_path / "market.json"
    path.write_text(input_text)
    found = []
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            main([str(path)])
            found.append(gc.isenabled())
        finally:
            gc.enable()
    capsys.readouterr()

    assert found == [True, False]
