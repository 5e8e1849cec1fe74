"""Run the benchmarks: `python -m bench [--quick] [NAME ...]` (all modules by default).

Each benchmark prints a Markdown table with the machine it ran on; docs/benchmarks.md records the figures
with the command that produced them.
"""

from __future__ import annotations

import argparse
import pkgutil
import platform
import subprocess
import sys
import time
from pathlib import Path


def available() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {', '.join(available())})"
    )
    args = parser.parse_args(argv)
    names = args.names or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    print(f"# LatihKerja benchmarks\n\nMachine: {machine()}\n")
    status = 0
    for name in names:
        # Each benchmark runs in its own process: several set up Django, each with its own throw-away database.
        print(f"\n## {name}\n", flush=True)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", f"bench.{name}", *(["--quick"] if args.quick else [])], check=False
        )
        status |= done.returncode
        print(f"\n({name}: {time.perf_counter() - started:.1f} s in all)", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
