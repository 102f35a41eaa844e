"""Run the benchmarks in bench/ and print what each measured: `make bench`.

A benchmark is a module `bench/NAME.py` with a `main(seconds: float | None = None)` that measures, prints its
figures with the ratios against a baseline taken in the same run, and writes them to bench/results/.
`seconds` is the load time per measured target; None means the module's own default. Modules named `_*.py`
are helpers, not benchmarks.

`python bench/run.py [NAME ...] [--seconds S]`: the named benchmarks, or all of them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover(names: list[str]) -> dict[str, Callable[..., None]]:
    """`main` of every benchmark module in bench/ (or of those named), by module name."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    found = sorted(path.stem for path in HERE.glob("*.py") if not path.name.startswith("_") and path.name != "run.py")
    unknown = set(names) - set(found)
    if unknown:
        raise SystemExit(f"no such benchmark: {', '.join(sorted(unknown))} (there are: {', '.join(found)})")
    mains = {name: getattr(importlib.import_module(name), "main", None) for name in names or found}
    return {name: main for name, main in mains.items() if callable(main)}


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the benchmarks in bench/.")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--seconds", type=float, help="load time per measured target (default: each one's own)")
    args = parser.parse_args()
    failed = []
    for name, benchmark in discover(args.names).items():
        print(f"== {name}", flush=True)
        began = time.perf_counter()
        try:
            benchmark(args.seconds)
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f"== {name}: {'failed' if name in failed else 'done'} in {time.perf_counter() - began:.0f} s\n")
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
