"""The build, stage by stage: the order, and nothing else.

load (sources → canonical tables) → indicators (table, neighbours, reconciliation) → products
(page models, charts, data files; :mod:`barometer.products`) → html (:mod:`barometer.html`) →
static files, sitemap → write (atomic swap,
:mod:`barometer.write`). Files go to a staging directory beside site/ as they are made; site/ is
only touched by the final swap, and in ``--strict`` mode any warning stops the build before it.
What can be skipped is decided by :mod:`barometer.cache`.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from barometer import cache, static
from barometer.canonical import Canonical, load_canonical
from barometer.catalogue import load_catalogue
from barometer.config import Config
from barometer.errors import BuildError
from barometer.forked import release_memory
from barometer.html import render_html
from barometer.log import warning_count
from barometer.model import gather
from barometer.notes import check_notes, load_notes
from barometer.products import Products, make_products
from barometer.releases import load_releases
from barometer.report import BuildReport
from barometer.sitemap import robots_txt, sitemap_xml
from barometer.urls import is_absolute
from barometer.write import Staging, removing, sweep, sweep_staging, temp_dir

log = logging.getLogger(__name__)

WORK = ".barometer-work-"
"""Prefix of a build's work directory beside the site (the products when there is no cache)."""
PAGES_LIMIT = 1_000_000_000
"""GitHub Pages publishes sites up to 1 GB: a bigger site is a warning (a failure with --strict)."""


def check(cfg: Config) -> Canonical:
    """Validate every input (stage load only)."""
    return load_canonical(cfg)


def strict_gate(cfg: Config) -> None:
    """In strict mode, stop at the first stage boundary after a warning."""
    if cfg.strict and warning_count():
        raise BuildError(f"{warning_count()} warning(s) in strict mode; nothing was written")


def products(cfg: Config, work: Path, report: BuildReport, key: str | None) -> Products:
    """The data products: from the cache when inputs, code, notes and catalogues are unchanged
    (their warnings replayed), else made from the inputs (load → indicators → products).
    ``key``: the data key (None: no cache)."""
    if key is not None:
        with report.stage("load"):
            made = cache.cached_products(cfg, key)
        if made is not None:
            for message in made.warnings:
                log.warning("%s", message)
            strict_gate(cfg)
            return made
    with report.stage("load"):
        canon = load_canonical(cfg)
        notes = load_notes(cfg.content_dir)
        check_notes(notes, canon.published_totals)
        releases = load_releases(cfg.releases)
    release_memory()  # what parsing freed, so the next stages' arrays do not come on top of it
    with report.stage("indicators"):
        model = gather(canon, notes, releases)
    release_memory()  # the wide frames the indicator table was made from
    strict_gate(cfg)
    if key is None:
        return make_products(model, cfg, work / "products", report)
    return cache.store_products(cfg, key, lambda root: make_products(model, cfg, root, report))


def build(cfg: Config) -> BuildReport:
    """Build the site into a staging directory beside ``cfg.site_dir`` and swap it in."""
    report = BuildReport()
    t0 = time.perf_counter()
    data = cache.data_key(cfg) if cfg.use_cache else None
    key = cache.build_key(cfg, data) if data else None
    sweep(cfg.site_dir.parent, WORK)  # what killed builds left behind
    sweep_staging(cfg.site_dir)
    cache.sweep_leftovers(cfg.cache_dir)
    if cache.up_to_date(cfg.site_dir, key):
        log.info("nothing changed since the last build of %s: nothing rewritten", cfg.site_dir)
        report.skipped = True
        return report
    work = temp_dir(cfg.site_dir.parent, WORK)
    with Staging(cfg.site_dir, epoch=cfg.source_date_epoch) as staging, removing(work):
        made = products(cfg, work, report, data)
        release_memory()  # the inputs and indicator tables are no longer needed
        started = time.perf_counter()
        for rel in made.files:
            staging.link(rel, made.root / rel)
        with report.stage("html"):
            render_html(made, cfg, staging)
        colours = [m.colour for m in load_catalogue(cfg.measures_toml)]
        for path, content in static.assets(colours).items():
            staging.add(path, content)
        if is_absolute(cfg.base_url):
            staging.add("sitemap.xml", sitemap_xml(made.site, cfg.base_url))
        else:
            log.info("no absolute --base-url: sitemap.xml left out (it needs absolute URLs)")
        staging.add("robots.txt", robots_txt(cfg.base_url))
        staging.add(".nojekyll", "")
        report.timings["other"] = time.perf_counter() - started - report.timings["html"]
        if staging.bytes > PAGES_LIMIT:
            log.warning(
                "the site is %.2f GB, beyond the %.0f GB GitHub Pages publishes",
                staging.bytes / 1e9,
                PAGES_LIMIT / 1e9,
            )
        strict_gate(cfg)
        report.files, report.bytes = staging.files, staging.bytes
        if key:  # not counted: bookkeeping, not content
            staging.add(cache.BUILD_KEY, key + "\n")
        with report.stage("write"):
            staging.commit()
    log.info("%d unchanged files kept as they were", staging.reused)
    report.wall = time.perf_counter() - t0
    return report
