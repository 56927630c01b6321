"""Child processes for the benchmarks: each is timed and says its own peak memory.

Peak memory is read from /proc/self/status (VmHWM): ru_maxrss survives exec on Linux, so a child
started by a large parent (one that has just built the data it is given) would report the
parent's peak.
"""

from __future__ import annotations

import subprocess
import time

__all__ = ["PEAK_MB", "REPORT_PEAK", "run_child"]

# an expression, in a child, of its peak resident memory in MB
PEAK_MB = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]) / 1024"
# the statement a child's code ends with: its peak, on its last line of stderr
REPORT_PEAK = f'import sys as _sys; _sys.stderr.write("PEAK %.1f\\n" % ({PEAK_MB}))'


def run_child(args: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """(seconds, peak MB, the finished process) of a child whose code ends with REPORT_PEAK;
    the peak is NaN when it said none (it failed before the end)."""
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    took = time.perf_counter() - started
    peaks = [line for line in done.stderr.splitlines() if line.startswith("PEAK ")]
    return took, float(peaks[-1].split()[1]) if peaks else float("nan"), done
