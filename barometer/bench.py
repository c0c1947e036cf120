"""Benchmark: ``python -m barometer.bench [--runs N] [--out FILE]``.

Measures, in a fresh process per run, the wall time of each stage of the build on the full
snapshot (parsing the inputs without cache, then computing the indicator table) and the peak
memory (max RSS). Writes a JSON file and prints a table. Figures are kept in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

_CHILD = r"""
import json, resource, time, sys
from barometer.config import load_config
from barometer.canonical import load_canonical
from barometer.indicators import compute_indicators
cfg = load_config(use_cache=False)
t0 = time.perf_counter(); canon = load_canonical(cfg); t1 = time.perf_counter()
rss_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = compute_indicators(canon); t2 = time.perf_counter()
json.dump({"load": t1 - t0, "indicators": t2 - t1, "rows": len(result.table),
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           "peak_rss_after_load_mb": rss_load / 1024}, sys.stdout)
"""


def run_once() -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("bench/bench.json"))
    args = ap.parse_args(argv)
    runs = [run_once() for _ in range(args.runs)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "runs": runs,
        "median": med,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    sys.stdout.write(f"{'stage':<28}{'median':>12}\n")
    sys.stdout.write(f"{'load (parse, no cache)':<28}{med['load']:>11.1f}s\n")
    sys.stdout.write(f"{'indicators':<28}{med['indicators']:>11.1f}s\n")
    sys.stdout.write(f"{'peak memory (max RSS)':<28}{med['peak_rss_mb']:>10.0f}MB\n")
    sys.stdout.write(f"{'indicator rows':<28}{int(med['rows']):>12,}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
