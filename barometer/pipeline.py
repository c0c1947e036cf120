"""The build, stage by stage: gather everything, then write once.

load (sources → canonical tables) → indicators (table, neighbours, reconciliation) → render
(every file in memory) → write (atomic swap). Nothing touches site/ until every file of the new
site exists in memory; in ``--strict`` mode any warning stops the build before writing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pandas as pd

from barometer.canonical import Canonical, load_canonical
from barometer.config import Config
from barometer.errors import BuildError
from barometer.export import to_csv_bytes
from barometer.indicators import IndicatorResult, compute_indicators
from barometer.log import warning_count
from barometer.neighbours import neighbours_and_peers
from barometer.notes import check_notes, load_notes
from barometer.reconcile import STRICT_TOLERANCE, reconcile, strict_failures
from barometer.topology import topology_json
from barometer.urls import is_absolute
from barometer.write import write_site

log = logging.getLogger(__name__)

RENDER_STAGES = ("downloads", "pages", "charts", "html", "search")
"""Sub-stages of rendering, timed separately (the rest of rendering is reported as 'other')."""
PAGES_LIMIT = 1_000_000_000
"""GitHub Pages publishes sites up to 1 GB: a bigger site is a warning (a failure with --strict)."""


@dataclass(frozen=True)
class Model:
    """Everything the site is made from (gathered before anything is written)."""

    canon: Canonical
    indicators: IndicatorResult
    neighbours: pd.DataFrame
    reconciliation: pd.DataFrame
    notes: list = field(default_factory=list)
    """Focus notes (notes.Note), validated against the published totals."""


@dataclass
class BuildReport:
    """What a build did: timings per stage, files written, the model used."""

    timings: dict[str, float] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    model: Model | None = None
    skipped: bool = False

    def summary(self) -> str:
        if self.skipped:
            return "Done: nothing changed, nothing rewritten"
        total = sum(self.timings.values())
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items())
        return f"Done: {self.files} files, {self.bytes:,} bytes in {total:.1f}s ({stages})"


class _Stage:
    def __init__(self, report: BuildReport, name: str) -> None:
        self.report, self.name = report, name

    def __enter__(self) -> None:
        self.t0 = time.perf_counter()
        log.debug("stage %s …", self.name)

    def __exit__(self, *exc: object) -> None:
        self.report.timings[self.name] = time.perf_counter() - self.t0


def check(cfg: Config) -> Canonical:
    """Validate every input (stage load only)."""
    return load_canonical(cfg)


def gather(canon: Canonical, notes: list | None = None) -> Model:
    """Indicators, neighbours and reconciliation; warnings for what a reader must know."""
    ind = compute_indicators(canon)
    rec = reconcile(canon.published_totals, ind.table)
    for r in strict_failures(rec).itertuples():
        log.warning(
            "reconciliation: %s %s computed %.0f vs published %.0f (%+.2f%%, beyond %.0f%%)",
            r.geo_name,
            r.period,
            r.computed,
            r.published,
            100 * r.relative_difference,
            100 * STRICT_TOLERANCE,
        )
    for measure, month in ind.last_month.items():
        log.info("last published month of %s: %s", measure, month)
    nb = neighbours_and_peers(canon.topology, canon.entities, canon.population, canon.income)
    return Model(canon=canon, indicators=ind, neighbours=nb, reconciliation=rec, notes=notes or [])


def build_report(model: Model) -> dict:
    canon, ind = model.canon, model.indicators
    rec = model.reconciliation
    checked = rec[rec.checked]
    return {
        "extract_date": canon.meta.extract_date,
        "synthetic": canon.meta.synthetic,
        "stable_after_months": canon.meta.stable_after_months,
        **ind.report,
        "reconciliation": {
            "compared": len(rec),
            "checked_annual_averages": len(checked),
            "max_abs_relative_difference_checked": float(checked.relative_difference.abs().max())
            if len(checked)
            else None,
            "strict_tolerance": STRICT_TOLERANCE,
        },
        "population_years": {
            str(region): sorted(int(y) for y in years)
            for region, years in canon.population.assign(
                region=canon.population.code.map(canon.entities.set_index("code").region)
            )
            .groupby("region")
            .year.unique()
            .items()
        },
        "inputs": canon.inputs.sha256 if canon.inputs else {},
    }


def _size(n: int, lang: str) -> str:
    from barometer.i18n import load_lang

    t = load_lang(lang)
    if n >= 1_000_000:
        return t.number(n / 1_000_000, 1) + " MB"
    return t.number(max(1, round(n / 1000)), 0) + " kB"


def render(
    model: Model, cfg: Config, report: BuildReport | None = None
) -> dict[PurePosixPath, bytes]:
    """Every file of the site, in memory (sub-stages timed into ``report``: downloads, pages,
    charts, html, search)."""
    report = report if report is not None else BuildReport()
    from barometer import static
    from barometer.charts import localise_svg, render_svgs
    from barometer.downloads import build_downloads
    from barometer.i18n import LANGS
    from barometer.pages import build_site_model
    from barometer.render import render_site
    from barometer.search import search_bundle
    from barometer.sitemap import robots_txt, sitemap_xml

    files: dict[PurePosixPath, bytes] = {}

    def add(path: str | PurePosixPath, data: bytes | str) -> None:
        rel = PurePosixPath(path)
        if rel in files:
            raise BuildError(f"two outputs for the same file: {rel}")
        files[rel] = data.encode("utf-8") if isinstance(data, str) else data

    canon = model.canon
    meta = {"synthetic": canon.meta.synthetic, "extract_date": canon.meta.extract_date}
    sources = [
        {"publisher": s.publisher, "page": s.page}
        for s in (canon.inputs.sources if canon.inputs else ())
    ]
    with _Stage(report, "downloads"):
        downloads = build_downloads(
            model.indicators.table, canon.entities, meta=meta, sources=sources
        )
    for path, data in downloads.items():
        add(path, data)
    with _Stage(report, "pages"):
        site = build_site_model(model, model.notes)
    for lang, pages in site.pages.items():
        for page in pages:
            if page["template"] == "data.html":
                page["sizes"] = {str(p): _size(len(d), lang) for p, d in downloads.items()}
    with _Stage(report, "charts"):
        svgs = render_svgs(site.specs, cfg.cache_dir / "svg" if cfg.use_cache else None)
        for path, data in preview_cards(site, svgs, cfg).items():
            add(path, data)
    for path, data in site.files.items():
        add(path, data)
    for key in site.specs:
        if key.startswith("scatter-income-"):
            for lang in LANGS:  # the image under each municipality's own dot
                add(f"charts/{key}.{lang}.svg", localise_svg(svgs[key], lang))
    with _Stage(report, "html"):
        html = render_site(
            site, svgs, base_url=cfg.base_url, meta=meta, epoch=cfg.source_date_epoch
        )
    for path, data in html.items():
        add(path, data)
    for path, data in static.assets(cfg.cache_dir if cfg.use_cache else None).items():
        add(path, data)
    for key, spec in site.specs.items():
        if key.startswith(("map-", "evo-home", "evo-regions")):
            add(f"charts/{key}.json", interactive_spec(spec))
    if is_absolute(cfg.base_url):
        add("sitemap.xml", sitemap_xml(site, cfg.base_url))
    else:
        log.info("no absolute --base-url: sitemap.xml left out (it needs absolute URLs)")
    add("robots.txt", robots_txt(cfg.base_url))
    add("data/belgium.topo.json", topology_json(canon.topology))
    add("data/entities.json", canon.entities.to_json(orient="records", force_ascii=False))
    add(
        "data/build-report.json",
        json.dumps(build_report(model), sort_keys=True, indent=1, ensure_ascii=False),
    )
    add("data/reconciliation.csv", to_csv_bytes(model.reconciliation))
    add("data/incomplete.csv", to_csv_bytes(model.indicators.incomplete))
    add(".nojekyll", "")
    with _Stage(report, "search"):
        bundle = search_bundle(files)
    for path, data in bundle.items():
        add(path, data)
    return files


def preview_cards(site, svgs: dict[str, str], cfg: Config) -> dict[str, bytes]:  # noqa: ANN001
    """og/<code>.png for every area (Open Graph and Twitter preview images)."""
    from barometer import cards
    from barometer.charts import render_cached

    texts = {
        code: cards.card_svg(**{**c, "locator": svgs.get(c["locator"]) if c["locator"] else None})
        for code, c in site.cards.items()
    }
    pngs = render_cached(texts, cards.png, cfg.cache_dir / "og" if cfg.use_cache else None, ".png")
    return {f"og/{code}.png": data for code, data in pngs.items()}


def interactive_spec(spec: dict) -> str:
    """The spec a browser re-renders with tooltips: the topology by URL instead of inline."""
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    marker = '"values":{"arcs"'
    if marker not in text:
        return text
    doc = json.loads(text)
    for layer in doc.get("layer", []):
        data = layer.get("data", {})
        if isinstance(data.get("values"), dict) and data["values"].get("type") == "Topology":
            data.pop("values")
            data["url"] = "../data/belgium.topo.json"
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _strict_gate(cfg: Config) -> None:
    if cfg.strict and warning_count():
        raise BuildError(f"{warning_count()} warning(s) in strict mode; nothing was written")


BUILD_KEY = ".barometer-build"
"""File in site/ holding the key of the build that made it (inputs, code, templates, content,
settings): a build with the same key has nothing to do."""


def _tree_hash(*dirs) -> str:  # noqa: ANN002 - Paths
    h = hashlib.sha256()
    for d in dirs:
        for p in sorted(d.rglob("*")) if d.is_dir() else ():
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(p.relative_to(d).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def build_key(cfg: Config) -> str:
    """Everything a build depends on, hashed: inputs, code, templates, notes and settings."""
    from barometer import paths
    from barometer.canonical import code_version
    from barometer.sources.registry import resolve

    payload = {
        "inputs": resolve(cfg).sha256,
        "code": code_version(),
        "files": _tree_hash(
            paths.TEMPLATES,
            cfg.content_dir,
            paths.PACKAGE / "static",
            paths.PACKAGE / "locale",
            paths.DATA / "sources.toml",
        ),
        "settings": [cfg.base_url, cfg.source_date_epoch, cfg.strict],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def build(cfg: Config) -> BuildReport:
    report = BuildReport()
    key = build_key(cfg) if cfg.use_cache else None
    marker = cfg.site_dir / BUILD_KEY
    if key and marker.is_file() and marker.read_text(encoding="utf-8").strip() == key:
        log.info("nothing changed since the last build of %s: nothing rewritten", cfg.site_dir)
        report.skipped = True
        return report
    with _Stage(report, "load"):
        canon = load_canonical(cfg)
        notes = load_notes(cfg.content_dir)
        check_notes(notes, canon.published_totals)
    with _Stage(report, "indicators"):
        model = gather(canon, notes)
    report.model = model
    _strict_gate(cfg)
    started = time.perf_counter()
    files = render(model, cfg, report)
    sub = sum(report.timings.get(k, 0.0) for k in RENDER_STAGES)
    report.timings["other"] = time.perf_counter() - started - sub
    total = sum(len(b) for b in files.values())
    if total > PAGES_LIMIT:
        log.warning(
            "the site is %.2f GB, beyond the %.0f GB GitHub Pages publishes",
            total / 1e9,
            PAGES_LIMIT / 1e9,
        )
    _strict_gate(cfg)
    report.files = len(files)
    report.bytes = sum(len(b) for b in files.values())
    if key:  # not counted: bookkeeping, not content
        files[PurePosixPath(BUILD_KEY)] = (key + "\n").encode()
    with _Stage(report, "write"):
        write_site(files, cfg.site_dir, epoch=cfg.source_date_epoch)
    return report
