"""The build, stage by stage, into a staging directory swapped in at the end.

load (sources → canonical tables) → indicators (table, neighbours, reconciliation) → products
(page models, charts, downloads and other data files; downloads made by a forked process beside
the page models) → html (Jinja, across the cores) → search (Pagefind) → write (atomic swap).
Files go to a staging directory beside site/ as they are made; site/ itself is only touched by
the final swap, and in ``--strict`` mode any warning stops the build before it (the staging
directory is removed).

Caching, so that a rebuild does only what changed: a build key over everything (nothing changed:
nothing to do), the data products under a data key (inputs, code, notes, catalogues: a template
change re-renders HTML only), chart SVGs and preview images by the hash of their spec, the search
index by the hash of the search documents, and unchanged files are linked, not rewritten.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

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
from barometer.write import Staging

if TYPE_CHECKING:
    from barometer.pages import SiteModel

log = logging.getLogger(__name__)

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
    """What a build did: timings per stage, files written."""

    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage; 'downloads' ran beside 'pages' (in a forked process)."""
    wall: float = 0.0
    files: int = 0
    bytes: int = 0
    skipped: bool = False

    def summary(self) -> str:
        if self.skipped:
            return "Done: nothing changed, nothing rewritten"
        stages = ", ".join(
            f"{k} {v:.1f}s" + (" beside pages" if k == "downloads" else "")
            for k, v in self.timings.items()
        )
        return f"Done: {self.files} files, {self.bytes:,} bytes in {self.wall:.1f}s ({stages})"


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


@dataclass
class Products:
    """What a build makes from the data alone — not from templates, static assets or settings:
    the page models, the chart SVGs and the data files (downloads, the compare data, the
    interactive specs, preview images, …) under ``root``. Cached as a whole under the data key
    (:func:`data_key`), so a build after a template change only renders HTML."""

    site: SiteModel
    svgs: dict[str, str]
    meta: dict
    files: list[str]
    """The data files, relative to ``root`` (= their path in the site)."""
    warnings: list[str] = field(default_factory=list)
    """Warnings logged while making them (replayed when they come from the cache)."""
    root: Path = Path()


def _downloads_job(root: str) -> tuple[dict[str, int], float]:
    from barometer.downloads import build_downloads
    from barometer.forked import STATE

    t0 = time.perf_counter()
    sizes = build_downloads(
        STATE["table"],
        STATE["entities"],
        meta=STATE["meta"],
        sources=STATE["sources"],
        sink=lambda rel, data: _put(Path(root), rel, data),
    )
    return {str(p): n for p, n in sizes.items()}, time.perf_counter() - t0


def _put(root: Path, rel: str | PurePosixPath, data: bytes | str) -> None:
    dest = root / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def make_products(model: Model, cfg: Config, root: Path, report: BuildReport) -> Products:
    """Page models, charts and data files (written under ``root``); the downloads are made by a
    forked process while this one builds the page models."""
    from barometer.charts import localise_svg, render_svgs
    from barometer.forked import pool, shared
    from barometer.pages import build_site_model
    from barometer.vocabulary import LANGS

    canon = model.canon
    meta = {"synthetic": canon.meta.synthetic, "extract_date": canon.meta.extract_date}
    sources = [
        {"publisher": s.publisher, "page": s.page}
        for s in (canon.inputs.sources if canon.inputs else ())
    ]
    files: list[str] = []

    def add(path: str | PurePosixPath, data: bytes | str) -> None:
        _put(root, path, data)
        files.append(str(path))

    with (
        shared(table=model.indicators.table, entities=canon.entities, meta=meta, sources=sources),
        pool(1) as beside,
    ):
        pending = beside.apply_async(_downloads_job, (str(root),))
        with _Stage(report, "pages"):
            site = build_site_model(model, model.notes)
        sizes, seconds = pending.get()
    report.timings["downloads"] = seconds  # beside the page models, in its own process
    files += sorted(sizes)
    for lang, pages in site.pages.items():
        for page in pages:
            if page["template"] == "data.html":
                page["sizes"] = {p: _size(n, lang) for p, n in sizes.items()}
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
    for key, spec in site.specs.items():
        if key.startswith(("map-", "evo-home", "evo-regions")):
            add(f"charts/{key}.json", interactive_spec(spec))
    add("data/belgium.topo.json", topology_json(canon.topology))
    add("data/entities.json", canon.entities.to_json(orient="records", force_ascii=False))
    add(
        "data/build-report.json",
        json.dumps(build_report(model), sort_keys=True, indent=1, ensure_ascii=False),
    )
    add("data/reconciliation.csv", to_csv_bytes(model.reconciliation))
    add("data/incomplete.csv", to_csv_bytes(model.indicators.incomplete))
    site.specs = {}  # rendered: the SVGs and interactive specs above are what pages use
    return Products(site=site, svgs=svgs, meta=meta, files=files, root=root)


def _html_job(job: tuple[str, int, int]) -> tuple[list[tuple[str, int]], int, dict[str, str]]:
    """Render pages ``lo:hi`` of one language into the staging directory (in a worker)."""
    from barometer.forked import STATE as st
    from barometer.render import Renderer
    from barometer.search import add_document
    from barometer.write import put

    if "renderer" not in st:
        st["renderer"] = Renderer(
            st["site"], st["svgs"], base_url=st["base_url"], meta=st["meta"], epoch=st["epoch"]
        )
    r = st["renderer"]
    lang, lo, hi = job
    written, reused, digests = [], 0, {}
    for page in r.pages(lang)[lo:hi]:
        rel, data = r.page(lang, page)
        reused += put(st["root"], st["previous"], rel, data, st["epoch"])
        written.append((str(rel), len(data)))
        digest = add_document(st["docs"], rel, data)
        if digest:
            digests[str(rel)] = digest
    return written, reused, digests


def render_html(
    products: Products, cfg: Config, staging: Staging, docs: Path, workers: int | None = None
) -> dict[str, str]:
    """Every HTML page into ``staging`` (pages of each language in chunks, across the cores);
    each searchable page's search document under ``docs``. Returns the documents' digests."""
    import os

    from barometer.forked import pool, shared
    from barometer.render import Renderer
    from barometer.search import add_document
    from barometer.vocabulary import LANGS

    chunk = 64
    jobs = [
        (lang, lo, lo + chunk)
        for lang in LANGS
        for lo in range(
            0, len(products.site.pages[lang]) + len(products.site.redirects[lang]), chunk
        )
    ]
    digests: dict[str, str] = {}
    n = workers or os.cpu_count() or 1
    with shared(
        site=products.site,
        svgs=products.svgs,
        base_url=cfg.base_url,
        meta=products.meta,
        epoch=cfg.source_date_epoch,
        root=staging.root,
        previous=staging.site_dir,
        docs=docs,
    ):
        if n > 1:
            with pool(n) as workers_:
                results = list(workers_.imap_unordered(_html_job, jobs))
        else:
            results = [_html_job(job) for job in jobs]
    for written, reused, found in results:
        staging.record(written, reused)
        digests.update(found)
    r = Renderer(
        products.site,
        products.svgs,
        base_url=cfg.base_url,
        meta=products.meta,
        epoch=cfg.source_date_epoch,
    )
    for rel, data in r.extras().items():
        staging.add(rel, data)
        digest = add_document(docs, rel, data)
        if digest:
            digests[str(rel)] = digest
    return digests


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
    from barometer.charts import data_rows

    doc = dict(spec)
    if "layer" in doc:
        doc["layer"] = [_topology_by_url(layer) for layer in doc["layer"]]
    if isinstance(doc.get("data", {}).get("values"), str):  # the tooltips add to row objects
        doc["data"] = {"values": data_rows(doc)}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _topology_by_url(layer: dict) -> dict:
    data = layer.get("data", {})
    values = data.get("values")
    if not (isinstance(values, dict) and values.get("type") == "Topology"):
        return layer
    rest = {k: v for k, v in data.items() if k != "values"}
    return {**layer, "data": {**rest, "url": "../data/belgium.topo.json"}}


def _strict_gate(cfg: Config) -> None:
    if cfg.strict and warning_count():
        raise BuildError(f"{warning_count()} warning(s) in strict mode; nothing was written")


BUILD_KEY = ".barometer-build"
"""File in site/ holding the key of the build that made it (inputs, code, templates, content,
settings): a build with the same key has nothing to do."""


def _tree_hash(*places: Path) -> str:
    """Hash of the files under each directory (and of each file) of ``places``."""
    h = hashlib.sha256()
    for d in places:
        if d.is_file():
            h.update(d.name.encode())
            h.update(d.read_bytes())
        for p in sorted(d.rglob("*")) if d.is_dir() else ():
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(p.relative_to(d).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def data_key(cfg: Config) -> str:
    """What the data products depend on: inputs, code, notes, catalogues and source list."""
    from barometer import paths
    from barometer.canonical import code_version
    from barometer.sources.registry import resolve

    payload = {
        "inputs": resolve(cfg).sha256,
        "code": code_version(),
        "files": _tree_hash(
            cfg.content_dir, paths.PACKAGE / "locale", cfg.sources_toml, cfg.measures_toml
        ),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]


def build_key(cfg: Config, data: str | None = None) -> str:
    """Everything a build depends on, hashed: the data key (``data``, computed when not given),
    templates, static assets, settings."""
    from barometer import paths

    payload = {
        "data": data or data_key(cfg),
        "files": _tree_hash(paths.TEMPLATES, paths.PACKAGE / "static"),
        "settings": [cfg.base_url, cfg.source_date_epoch, cfg.strict],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


PRODUCTS_FILE = "products.pickle"
PRODUCTS_KEPT = 3
"""Data products kept in the cache (the newest; each is the size of the site, hard-linked)."""


def products(cfg: Config, work: Path, report: BuildReport, key: str | None) -> Products:
    """The data products: from the cache when inputs, code, notes and catalogues are unchanged
    (their warnings replayed), else made from the inputs (load → indicators → products).
    ``key``: the data key (None: no cache)."""
    import pickle
    import shutil
    import tempfile

    from barometer.log import warnings_seen

    final = cfg.cache_dir / "products" / key if key else None
    if final is not None and (final / PRODUCTS_FILE).is_file():
        with _Stage(report, "load"):
            with open(final / PRODUCTS_FILE, "rb") as fh:
                made: Products = pickle.load(fh)  # noqa: S301 - our own cache, keyed by content
            made.root = final / "files"
        log.info("page models, charts and data files from the cache (%s)", final.name)
        for message in made.warnings:
            log.warning("%s", message)
        _strict_gate(cfg)
        return made
    with _Stage(report, "load"):
        canon = load_canonical(cfg)
        notes = load_notes(cfg.content_dir)
        check_notes(notes, canon.published_totals)
    with _Stage(report, "indicators"):
        model = gather(canon, notes)
    _strict_gate(cfg)
    if final is None:
        return make_products(model, cfg, work / "products", report)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=final.parent))
    try:
        made = make_products(model, cfg, tmp / "files", report)
        made.warnings = warnings_seen()
        with open(tmp / PRODUCTS_FILE, "wb") as fh:
            pickle.dump(made, fh, protocol=pickle.HIGHEST_PROTOCOL)
        if final.exists():  # made meanwhile by another build of the same data
            shutil.rmtree(final)
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    made.root = final / "files"
    older = sorted(
        (p for p in final.parent.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in older[PRODUCTS_KEPT:]:
        shutil.rmtree(old, ignore_errors=True)
    return made


def _release_memory() -> None:
    """Collect and hand freed heap back to the system (glibc), before forking the HTML workers."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is reused, just not returned
        pass


def build(cfg: Config) -> BuildReport:
    """Build the site into a staging directory beside ``cfg.site_dir`` and swap it in."""
    import tempfile

    from barometer import static
    from barometer.search import search_bundle
    from barometer.sitemap import robots_txt, sitemap_xml

    report = BuildReport()
    t0 = time.perf_counter()
    data = data_key(cfg) if cfg.use_cache else None
    key = build_key(cfg, data) if data else None
    marker = cfg.site_dir / BUILD_KEY
    if key and marker.is_file() and marker.read_text(encoding="utf-8").strip() == key:
        log.info("nothing changed since the last build of %s: nothing rewritten", cfg.site_dir)
        report.skipped = True
        return report
    cfg.site_dir.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix=".barometer-work-", dir=cfg.site_dir.parent) as tmp,
        Staging(cfg.site_dir, epoch=cfg.source_date_epoch) as staging,
    ):
        work = Path(tmp)
        made = products(cfg, work, report, data)
        _release_memory()  # the inputs and indicator tables are no longer needed
        started = time.perf_counter()
        for rel in made.files:
            staging.link(rel, made.root / rel)
        with _Stage(report, "html"):
            digests = render_html(made, cfg, staging, work / "search")
        for path, data in static.assets(cfg.cache_dir if cfg.use_cache else None).items():
            staging.add(path, data)
        if is_absolute(cfg.base_url):
            staging.add("sitemap.xml", sitemap_xml(made.site, cfg.base_url))
        else:
            log.info("no absolute --base-url: sitemap.xml left out (it needs absolute URLs)")
        staging.add("robots.txt", robots_txt(cfg.base_url))
        staging.add(".nojekyll", "")
        with _Stage(report, "search"):
            bundle = search_bundle(
                work / "search", digests, cfg.cache_dir / "search" if cfg.use_cache else None
            )
            for p in sorted(bundle.rglob("*")):
                if p.is_file():
                    staging.link(f"pagefind/{p.relative_to(bundle).as_posix()}", p)
        report.timings["other"] = (
            time.perf_counter() - started - report.timings["html"] - report.timings["search"]
        )
        if staging.bytes > PAGES_LIMIT:
            log.warning(
                "the site is %.2f GB, beyond the %.0f GB GitHub Pages publishes",
                staging.bytes / 1e9,
                PAGES_LIMIT / 1e9,
            )
        _strict_gate(cfg)
        report.files, report.bytes = staging.files, staging.bytes
        if key:  # not counted: bookkeeping, not content
            staging.add(BUILD_KEY, key + "\n")
        with _Stage(report, "write"):
            staging.commit()
    log.info("%d unchanged files kept as they were", staging.reused)
    report.wall = time.perf_counter() - t0
    return report
