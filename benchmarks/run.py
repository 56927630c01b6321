"""Speed figures for idmgraph (``make bench``). Targets live here, not in timed tests.

Sections: build of the bundled sources (target: under 5 s after installation).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_build(runs: int = 5) -> dict:
    """Wall time of `idmgraph build` on data/sources/, as a user runs it (new process each time)."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "idmgraph.cli", "build", "--quiet", "--out",
                        str(ROOT / "data" / "build")], check=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return {"median_s": statistics.median(times), "max_s": max(times), "target_s": 5.0}


def main() -> int:
    build = bench_build()
    ok = build["max_s"] < build["target_s"]
    print(f"build of data/sources/: median {build['median_s']:.2f} s, max {build['max_s']:.2f} s "
          f"(target < {build['target_s']:.0f} s) {'OK' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
