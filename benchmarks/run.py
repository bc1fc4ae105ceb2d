#!/usr/bin/env python3
"""Run every ``benchmarks/bench_*.py`` in its own process, one after the other.

``python benchmarks/run.py [--quick] [NAME ...]``: NAME filters by file stem (e.g. ``engine``);
other arguments are passed on to each benchmark. Benchmarks print their own tables; this runner
prints a header per file and exits non-zero if any of them failed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("-")]
    flags = [a for a in argv if a.startswith("-")]
    files = sorted(HERE.glob("bench_*.py"))
    if names:
        files = [f for f in files if any(n in f.stem for n in names)]
    failed = []
    for f in files:
        print(f"=== {f.name} ===", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call([sys.executable, str(f), *flags], cwd=HERE.parent)
        print(f"=== {f.name}: exit {rc} in {time.perf_counter() - t0:.1f} s ===\n", flush=True)
        if rc:
            failed.append(f.name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
