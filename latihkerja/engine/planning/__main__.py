"""``python -m latihkerja.engine.planning INPUT.json > PLAN.json``.

Exit 0 with the plan on stdout, feasible or not (``"feasible": false`` explains itself); exit 2 with one
line on stderr and nothing on stdout for bad input or bad arguments; exit 3 for an internal solver error.
``INPUT.json`` may be ``-`` for stdin.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from typing import NoReturn

from .parsing import parse_input
from .planner import DEFAULT_GAP, DEFAULT_TIME_LIMIT, even_spread, greedy, plan
from .types import PlanningInputError, PlanningSolverError

BAD_INPUT = 2
SOLVER_ERROR = 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse prints a multi-line usage block; the contract promises one line.
        self.exit(BAD_INPUT, f"error: {message}\n")


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(prog="python -m latihkerja.engine.planning", description="Plan training batches.")
    parser.add_argument("input", help="input JSON file, or - for stdin")
    parser.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT, help="solver seconds")
    parser.add_argument("--gap", type=float, default=DEFAULT_GAP, help="relative MIP gap to stop at")
    parser.add_argument("--method", choices=("milp", "greedy", "even_spread"), default="milp")
    args = parser.parse_args(argv)
    try:
        if args.input == "-":
            text = sys.stdin.read()
        else:
            with open(args.input, encoding="utf-8") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        return _fail(f"cannot read {args.input}: {error}")
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        return _fail(f"malformed JSON: {error}")
    try:
        data = parse_input(document)
        with _native_stdout_to_stderr():
            if args.method == "greedy":
                result = greedy(data)
            elif args.method == "even_spread":
                result = even_spread(data)
            else:
                result = plan(data, time_limit=args.time_limit, gap=args.gap)
    except PlanningInputError as error:
        return _fail(str(error))
    except PlanningSolverError as error:
        print(f"internal error: {error}".replace("\n", " "), file=sys.stderr)
        return SOLVER_ERROR
    json.dump(result.to_json(), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


@contextlib.contextmanager
def _native_stdout_to_stderr() -> Iterator[None]:
    """Send anything written to file descriptor 1 while solving to stderr.

    HiGHS occasionally prints diagnostics straight to the process's stdout from C++, which would corrupt
    the JSON document that is the only thing stdout may carry.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _fail(message: str) -> int:
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
