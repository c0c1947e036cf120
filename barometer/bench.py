"""Benchmark: ``python -m barometer.bench [--runs N] [--out FILE] [--quick]``.

Each run, in fresh processes and a fresh cache, on the full snapshot:

1. a **cold** full build (all measures, all months, four languages, every chart and preview
   image rendered, the search index built),
2. a **rebuild with nothing changed** (same cache, same site),
3. a **rebuild after touching one template** (a comment appended to ``partials/footer.html``,
   restored afterwards),

recording the wall time of every stage (load, indicators, pages, downloads — made beside the
page models by a forked process —, charts, html, search, other, write), the peak memory and the
number of files and bytes. Peak memory is that of the whole process tree (the build and the
processes it forks), sampled every 0.5 s as the sum of their proportional set sizes (PSS: memory
shared after a fork counted once), next to the build process's own max RSS. From the cold
build's site it measures the gzipped bytes per page type (home, entity, measure, compare,
scatter) and of the shared assets, and the size of every top-level folder against the site's
budgets with its projection after ten more years of monthly data (:mod:`barometer.budget`).
``--quick`` skips the parse-only measurement.

``--lighthouse`` (default: ``.tools/bench/node_modules/.bin/lighthouse`` when present, see ``make
bench``) then builds the site once more with an absolute base URL, serves it with ``build.py
serve``'s server (gzip, as GitHub Pages) and runs Lighthouse (mobile, the default) against
Debian's chromium (``CHROME_PATH``) on the home page, Gent's page and the compare tool, three
times each; the median scores per category are reported.

Medians of the runs go to a JSON file and a readable table; docs/performance.md keeps the latest
figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from barometer import budget, paths

_BUILD = r"""
import json, resource, sys, time
from pathlib import Path
from barometer.config import load_config
from barometer.log import setup
from barometer.pipeline import build
setup(False)
cfg = load_config(site=Path(sys.argv[1]), cache_dir=Path(sys.argv[2]),
                  base_url=sys.argv[3] if len(sys.argv) > 3 else None)
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
    "compare (page + all its data)": [
        "nl/vergelijken/index.html",
        "data/compare.json",
        *(f"data/compare-{m}.json" for m in ("eris", "gpmi", "ris", "spi")),
    ],
    "compare (first view: page, index, ris)": [
        "nl/vergelijken/index.html",
        "data/compare.json",
        "data/compare-ris.json",
    ],
    "scatter": ["nl/inkomen/index.html"],
    "shared CSS + JS": ["assets/site.css", "assets/app.js", "assets/vega.js"],
    "TopoJSON": ["data/belgium.topo.json"],
}


def _tree(root: int) -> list[int]:
    """``root`` and every process descending from it."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += parents.get(pid, [])
    return out


def _pss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total / 1024


def _child(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter; its JSON output plus the peak memory of its tree."""
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=paths.ROOT,
    )
    peak = [0.0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _pss_mb(_tree(proc.pid)))
            time.sleep(0.5)  # reading smaps costs ~15 ms a big process: stay out of the way

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{err[-2000:]}")
    result = json.loads(out)
    result["peak_tree_mb"] = peak[0]
    return result


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


def run_once(lighthouse: str | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="barometer-bench-") as tmp:
        site, cache = Path(tmp) / "site", Path(tmp) / "cache"
        cold = _child(_BUILD, str(site), str(cache))
        cold["pages"] = sum(1 for _ in site.rglob("*.html"))
        weights = page_weights(site)
        size = budget.site_size(site)
        unchanged = _child(_BUILD, str(site), str(cache))
        original = TOUCHED.read_text(encoding="utf-8")
        try:
            TOUCHED.write_text(original + "{# benchmark #}\n", encoding="utf-8")
            template = _child(_BUILD, str(site), str(cache))
        finally:
            TOUCHED.write_text(original, encoding="utf-8")
        scores = run_lighthouse(lighthouse, Path(tmp) / "lh-site", cache) if lighthouse else {}
    return {
        "cold": cold,
        "unchanged": unchanged,
        "template": template,
        "weights": weights,
        "size": {
            "folders": {k: vars(v) for k, v in size.folders.items()},
            "months": size.months,
            "measures": size.measures,
            "projected_10_years": size.projected(10),
            "report": budget.report(size),
        },
        "lighthouse": scores,
    }


LIGHTHOUSE_PAGES = {
    "home": "nl/",
    "entity (Gent)": "nl/gemeente/44021-gent/",
    "compare": "nl/vergelijken/?e=44021,44000,01000",
}
LIGHTHOUSE_RUNS = 3


def run_lighthouse(binary: str, site: Path, cache: Path) -> dict[str, dict[str, float]]:
    """Median Lighthouse scores (0-100) per page and category, mobile settings."""
    from barometer.serve import make_server

    server = make_server(site, "/", 0)
    port = server.server_address[1]
    base = f"http://127.0.0.1:{port}/"
    _child(_BUILD, str(site), str(cache), base)  # canonical and hreflang URLs on this host
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    out: dict[str, dict[str, float]] = {}
    reports = paths.ROOT / "bench" / "lighthouse"
    reports.mkdir(parents=True, exist_ok=True)
    try:
        for name, path in LIGHTHOUSE_PAGES.items():
            runs = []
            for i in range(LIGHTHOUSE_RUNS):
                report = reports / f"{name.split()[0]}-{i}.json"
                cmd = [
                    binary,
                    base + path,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    "--only-categories=performance,accessibility,best-practices,seo",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                ]
                subprocess.run(cmd, check=True, env=env, capture_output=True, timeout=300)
                cats = json.loads(report.read_text(encoding="utf-8"))["categories"]
                runs.append({k: round(100 * v["score"]) for k, v in cats.items()})
            out[name] = {k: _median([r[k] for r in runs]) for k in runs[0]}
    finally:
        server.shutdown()
        server.server_close()
    return out


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("bench/bench.json"))
    ap.add_argument("--quick", action="store_true", help="skip the parse-only measurement")
    default_lh = paths.ROOT / ".tools/bench/node_modules/.bin/lighthouse"
    ap.add_argument(
        "--lighthouse",
        default=str(default_lh) if default_lh.exists() else None,
        help="the lighthouse command (npm); 'no' to skip",
    )
    args = ap.parse_args(argv)
    lighthouse = None if args.lighthouse in (None, "no") else args.lighthouse
    if lighthouse and not shutil.which(lighthouse):
        raise SystemExit(f"lighthouse not found: {lighthouse} (make bench installs it)")
    runs = [run_once(lighthouse if i == args.runs - 1 else None) for i in range(args.runs)]
    parse = [] if args.quick else [_child(_PARSE) for _ in range(args.runs)]
    stages = sorted({k for r in runs for k in r["cold"]["timings"]})
    med = {
        kind: {
            "wall": _median([r[kind]["wall"] for r in runs]),
            "peak_rss_mb": _median([r[kind]["peak_rss_mb"] for r in runs]),
            "peak_tree_mb": _median([r[kind]["peak_tree_mb"] for r in runs]),
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
        "lighthouse": runs[-1]["lighthouse"],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    w = sys.stdout.write
    cold = med["cold"]["wall"]
    w(
        f"{'build (median of ' + str(args.runs) + ')':<34}{'wall':>9}{'of cold':>9}"
        f"{'peak (tree PSS)':>17}{'own max RSS':>13}\n"
    )
    for kind in ("cold", "unchanged", "template"):
        m = med[kind]
        w(
            f"{kind:<34}{m['wall']:>8.1f}s{100 * m['wall'] / cold:>8.0f}%"
            f"{m['peak_tree_mb']:>15.0f}MB{m['peak_rss_mb']:>11.0f}MB\n"
        )
    w(f"\n{'cold build stage':<34}{'median':>9}\n")
    for s, v in med["cold"]["stages"].items():
        w(f"{s:<34}{v:>8.1f}s\n")
    w(
        f"\nfiles {med['cold']['files']:,} (HTML pages {runs[0]['cold']['pages']:,}),"
        f" bytes {med['cold']['bytes']:,}\n"
    )
    w("\n" + runs[0]["size"]["report"] + "\n")
    w(f"\n{'page type':<40}{'bytes':>12}{'gzip':>10}\n")
    for kind, v in report["weights"].items():
        w(f"{kind:<40}{v['bytes']:>12,}{v['gzip']:>10,}\n")
    if report["lighthouse"]:
        w(
            f"\n{'lighthouse (mobile, median of 3)':<34}{'perf':>6}{'a11y':>6}{'best':>6}{'seo':>6}\n"
        )
        for page, sc in report["lighthouse"].items():
            w(
                f"{page:<34}{sc['performance']:>6.0f}{sc['accessibility']:>6.0f}"
                f"{sc['best-practices']:>6.0f}{sc['seo']:>6.0f}\n"
            )
    if parse:
        w(f"\nparse (no cache) {_median([p['load'] for p in parse]):.1f}s, ")
        w(f"indicators {_median([p['indicators'] for p in parse]):.1f}s, ")
        w(f"peak {_median([p['peak_rss_mb'] for p in parse]):.0f}MB\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
