"""Benchmark: ``python -m barometer.bench [--runs N] [--out FILE] [--quick]``.

Each run, in fresh processes and a fresh cache, on the full snapshot:

1. a **cold** full build (all measures, all months, four languages, every chart and preview
   image rendered, the search index built),
2. a **rebuild with nothing changed** (same cache, same site),
3. a **rebuild after touching one template** (a comment appended to ``partials/footer.html``,
   restored afterwards),

recording the wall time of every stage (load, indicators, downloads, pages, charts, html,
search, other, write), the peak memory (max RSS) and the number of files and bytes. From the
cold build's site it measures the gzipped bytes per page type (home, entity, measure, compare,
scatter) and of the shared assets. ``--quick`` skips the parse-only measurement. Medians of the
runs go to a JSON file and a readable table; docs/performance.md keeps the latest figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from barometer import paths

_BUILD = r"""
import json, resource, sys, time
from pathlib import Path
from barometer.config import load_config
from barometer.log import setup
from barometer.pipeline import build
setup(False)
cfg = load_config(site=Path(sys.argv[1]), cache_dir=Path(sys.argv[2]))
t0 = time.perf_counter()
report = build(cfg)
json.dump({"wall": time.perf_counter() - t0, "timings": report.timings, "files": report.files,
           "bytes": report.bytes, "skipped": report.skipped,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}, sys.stdout)
"""

_PARSE = r"""
import json, resource, time, sys
from barometer.config import load_config
from barometer.canonical import load_canonical
from barometer.indicators import compute_indicators
cfg = load_config(use_cache=False)
t0 = time.perf_counter(); canon = load_canonical(cfg); t1 = time.perf_counter()
result = compute_indicators(canon); t2 = time.perf_counter()
json.dump({"load": t1 - t0, "indicators": t2 - t1, "rows": len(result.table),
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}, sys.stdout)
"""

TOUCHED = paths.TEMPLATES / "partials/footer.html"

PAGE_TYPES = {
    "home": ["nl/index.html"],
    "entity (Gent)": ["nl/gemeente/44021-gent/index.html"],
    "measure": ["nl/leefloon/index.html"],
    "compare (page + data)": ["nl/vergelijken/index.html", "data/compare.json"],
    "scatter": ["nl/inkomen/index.html"],
    "shared CSS + JS": ["assets/site.css", "assets/app.js", "assets/vega.js"],
    "TopoJSON": ["data/belgium.topo.json"],
}


def _child(code: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=paths.ROOT
    )
    if out.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout)


def page_weights(site: Path) -> dict[str, dict[str, int]]:
    out = {}
    for kind, files in PAGE_TYPES.items():
        data = [(site / f).read_bytes() for f in files]
        out[kind] = {
            "bytes": sum(len(d) for d in data),
            "gzip": sum(len(gzip.compress(d, 9)) for d in data),
        }
    munis = sorted((site / "nl/gemeente").glob("*/index.html"))
    gz = sorted(len(gzip.compress(p.read_bytes(), 9)) for p in munis)
    out["entity (median of municipalities)"] = {"bytes": 0, "gzip": gz[len(gz) // 2]}
    out["entity (largest municipality)"] = {"bytes": 0, "gzip": gz[-1]}
    return out


def run_once() -> dict:
    with tempfile.TemporaryDirectory(prefix="barometer-bench-") as tmp:
        site, cache = Path(tmp) / "site", Path(tmp) / "cache"
        cold = _child(_BUILD, str(site), str(cache))
        weights = page_weights(site)
        unchanged = _child(_BUILD, str(site), str(cache))
        original = TOUCHED.read_text(encoding="utf-8")
        try:
            TOUCHED.write_text(original + "{# benchmark #}\n", encoding="utf-8")
            template = _child(_BUILD, str(site), str(cache))
        finally:
            TOUCHED.write_text(original, encoding="utf-8")
    return {"cold": cold, "unchanged": unchanged, "template": template, "weights": weights}


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("bench/bench.json"))
    ap.add_argument("--quick", action="store_true", help="skip the parse-only measurement")
    args = ap.parse_args(argv)
    runs = [run_once() for _ in range(args.runs)]
    parse = [] if args.quick else [_child(_PARSE) for _ in range(args.runs)]
    stages = sorted({k for r in runs for k in r["cold"]["timings"]})
    med = {
        kind: {
            "wall": _median([r[kind]["wall"] for r in runs]),
            "peak_rss_mb": _median([r[kind]["peak_rss_mb"] for r in runs]),
            "stages": {s: _median([r[kind]["timings"].get(s, 0.0) for r in runs]) for s in stages},
            "files": runs[0][kind]["files"],
            "bytes": runs[0][kind]["bytes"],
        }
        for kind in ("cold", "unchanged", "template")
    }
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "runs": runs,
        "parse_only": parse,
        "median": med,
        "weights": runs[0]["weights"],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    w = sys.stdout.write
    cold = med["cold"]["wall"]
    w(
        f"{'build (median of ' + str(args.runs) + ')':<34}{'wall':>9}{'of cold':>9}{'peak RSS':>10}\n"
    )
    for kind in ("cold", "unchanged", "template"):
        m = med[kind]
        w(
            f"{kind:<34}{m['wall']:>8.1f}s{100 * m['wall'] / cold:>8.0f}%{m['peak_rss_mb']:>8.0f}MB\n"
        )
    w(f"\n{'cold build stage':<34}{'median':>9}\n")
    for s, v in med["cold"]["stages"].items():
        w(f"{s:<34}{v:>8.1f}s\n")
    w(f"\nfiles {med['cold']['files']:,}, bytes {med['cold']['bytes']:,}\n")
    w(f"\n{'page type':<40}{'bytes':>12}{'gzip':>10}\n")
    for kind, v in report["weights"].items():
        w(f"{kind:<40}{v['bytes']:>12,}{v['gzip']:>10,}\n")
    if parse:
        w(f"\nparse (no cache) {_median([p['load'] for p in parse]):.1f}s, ")
        w(f"indicators {_median([p['indicators'] for p in parse]):.1f}s, ")
        w(f"peak {_median([p['peak_rss_mb'] for p in parse]):.0f}MB\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
