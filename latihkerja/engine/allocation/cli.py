"""Command line: ``python -m latihkerja.engine.allocation INPUT.json [--mechanism da|fcfs|welfare]``.

Reads the market as JSON from a file (or ``-``: standard input) and writes the result as JSON to standard
output::

    in:  {"batches": [{"id": "B1", "capacity": 25, "minimum": 20}],
          "applicants": [{"id": "A1", "choices": ["B3", "B1"], "keys": [0.51, 0.12]}]}
    out: {"assignment": {"A1": "B3", "A2": null}, "cancelled": ["B7"], "metrics": {...}}

``minimum`` may be left out (0). Every applicant appears in ``assignment`` in input order (``null`` when
unassigned); ``cancelled`` is in cancellation order; ``metrics`` is described in ``api.summarise``.

Bad input or arguments: exit status 2, one line ``error: ...`` on standard error naming the problem, and
nothing on standard output (the output is only written once everything has succeeded).
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from collections.abc import Sequence
from typing import Any, NoReturn

from .api import allocate_arrays, summarise
from .market import market_from_lists, show
from .model import MECHANISMS, AllocationInputError, ArrayMarket, Mechanism

USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line instead of usage + message
        raise AllocationInputError(message)


def _read(path: str) -> Any:
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                raw = handle.read()
    except OSError as exc:
        raise AllocationInputError(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise AllocationInputError(f"{name} is not valid JSON: {exc}") from None
    except UnicodeDecodeError:
        raise AllocationInputError(f"{name} is not valid JSON: not UTF-8 text") from None
    except RecursionError:
        raise AllocationInputError(f"{name} is not valid JSON: nested too deeply") from None


def _field(record: object, where: str, name: str, default: object = None, required: bool = True) -> object:
    if not isinstance(record, dict):
        raise AllocationInputError(f"{where} must be an object, got {show(record)}")
    if name not in record:
        if required:
            raise AllocationInputError(f'{where}: missing "{name}"')
        return default
    return record[name]


def _columns(records: list[Any], where: str, names: Sequence[str]) -> list[list[Any]]:
    """Parallel lists of the fields ``names`` of every record (fast path, then a precise one)."""
    try:
        return [[record[name] for record in records] for name in names]
    except (KeyError, TypeError):
        for i, record in enumerate(records):
            for name in names:
                _field(record, f"{where}[{i}]", name)
        raise  # pragma: no cover - the loop above names the problem


def parse_market(data: Any) -> tuple[ArrayMarket, list[str], list[str]]:
    """Validate parsed JSON and build the market (raises ``AllocationInputError``)."""
    if not isinstance(data, dict):
        raise AllocationInputError('input must be a JSON object with "batches" and "applicants"')
    for name in ("batches", "applicants"):
        if not isinstance(data.get(name), list):
            raise AllocationInputError(f'"{name}" must be a list, got {show(data.get(name))}')
    batches: list[Any] = data["batches"]
    batch_ids, capacities = _columns(batches, "batches", ("id", "capacity"))
    minimums = [
        _field(record, f"batches[{i}]", "minimum", default=0, required=False)
        for i, record in enumerate(batches)
    ]
    applicant_ids, choices, keys = _columns(data["applicants"], "applicants", ("id", "choices", "keys"))
    return market_from_lists(batch_ids, capacities, minimums, applicant_ids, choices, keys)


def run(path: str, mechanism: Mechanism) -> dict[str, object]:
    """Read, allocate and build the output document (raises ``AllocationInputError``)."""
    data = _read(path)
    started = time.perf_counter()
    market, batch_ids, applicant_ids = parse_market(data)
    del data
    result = allocate_arrays(market, mechanism, validate=False)
    metrics = summarise(market, result, time.perf_counter() - started)
    names: list[str | None] = [*batch_ids, None]  # index -1 is "unassigned"
    return {
        "assignment": dict(zip(applicant_ids, [names[b] for b in result.batch.tolist()], strict=True)),
        "cancelled": [batch_ids[b] for b in result.cancelled.tolist()],
        "metrics": metrics,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(
        prog="python -m latihkerja.engine.allocation",
        description="Allocate training seats (deferred acceptance, first come first served, or welfare).",
    )
    parser.add_argument("input", help="market as JSON; - reads standard input")
    parser.add_argument("--mechanism", choices=MECHANISMS, default="da", help="default: da")
    # Parsing a million applicants makes some twenty million objects, none of them in a reference cycle;
    # the cycle collector would walk the growing heap again and again (about 4 of 9 seconds of json.loads
    # at 1,000,000 applicants), so it is paused for the run.
    collecting = gc.isenabled()
    gc.disable()
    try:
        args = parser.parse_args(argv)
        document = run(args.input, args.mechanism)
    except AllocationInputError as exc:
        message = str(exc).replace("\r", " ").replace("\n", " ")
        sys.stderr.write(f"error: {message}\n")
        return USAGE_ERROR
    except MemoryError:
        sys.stderr.write("error: not enough memory for this input\n")
        return 1
    finally:
        if collecting:
            gc.enable()
    sys.stdout.write(json.dumps(document))
    sys.stdout.write("\n")
    sys.stdout.flush()
    return 0
