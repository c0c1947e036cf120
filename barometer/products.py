"""What a build makes from the data alone: page models, chart SVGs and data files.

Input:  the :class:`~barometer.model.Model`.
Output: :class:`Products`: the site model, every chart's SVG and the data files written under a
        directory (downloads, the compare data, interactive specs, preview images, the topology,
        the build report). Nothing here depends on templates, static assets or settings, so the
        products are cached as a whole under the data key (:mod:`barometer.cache`) and a build
        after a template change only renders HTML.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from barometer import cards
from barometer.chartrender import (
    ChartImage,
    chart_images,
    localise_svg,
    render_cached,
    render_svgs,
)
from barometer.charts import interactive_spec
from barometer.config import Config
from barometer.export import to_csv_bytes
from barometer.forked import STATE, pool, release_memory, shared
from barometer.model import Model, build_report
from barometer.pages import build_site_model
from barometer.pages.types import Card, SiteModel
from barometer.report import BuildReport
from barometer.topology import topology_json
from barometer.vocabulary import LANGS


@dataclass
class Products:
    """The page models, the chart SVGs (slug → SVG text) and the data files under ``root``."""

    site: SiteModel
    svgs: dict[str, str]
    """The SVG of each chart that pages carry inline (slug → SVG text)."""
    images: dict[str, dict[str, ChartImage]]
    """The other charts: slug → language → the image file that shows it."""
    meta: dict
    files: list[str]
    """The data files, relative to ``root`` (= their path in the site)."""
    warnings: list[str] = field(default_factory=list)
    """Warnings logged while making them (replayed when they come from the cache)."""
    root: Path = Path()


def _put(root: Path, rel: str | PurePosixPath, data: bytes | str) -> None:
    dest = root / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _downloads_job(root: str) -> tuple[dict[str, int], float]:
    from barometer.downloads import build_downloads

    t0 = time.perf_counter()
    sizes = build_downloads(
        STATE["table"],
        STATE["entities"],
        meta=STATE["meta"],
        sources=STATE["sources"],
        sink=lambda rel, data: _put(Path(root), rel, data),
    )
    return {str(p): n for p, n in sizes.items()}, time.perf_counter() - t0


def make_products(model: Model, cfg: Config, root: Path, report: BuildReport) -> Products:
    """Page models, charts and data files (written under ``root``); the downloads are made by a
    forked process while this one builds the page models."""
    canon = model.canon
    meta = {
        "synthetic": canon.meta.synthetic,
        "extract_date": canon.meta.extract_date,
        "previous_vintage": canon.previous_meta.extract_date if canon.previous_meta else None,
    }
    sources = [
        {"publisher": s.publisher, "page": s.page}
        for s in (canon.inputs.sources if canon.inputs else ())
    ]
    files: list[str] = []

    def add(path: str | PurePosixPath, data: bytes | str) -> None:
        _put(root, path, data)
        files.append(str(path))

    downloads: dict[str, int] = {}
    with (
        shared(
            table=model.indicators.table,
            entities=canon.entities,
            meta={**meta, "catalogue": canon.catalogue},
            sources=sources,
        ),
        pool(1) as beside,
    ):
        pending = beside.apply_async(_downloads_job, (str(root),))

        def download_sizes() -> dict[str, int]:
            sizes, seconds = pending.get()
            report.timings["downloads"] = seconds  # beside the page models, in its own process
            downloads.update(sizes)
            return sizes

        with report.stage("pages"):
            stage = build_site_model(model, download_sizes)
    files += sorted(downloads)
    release_memory()  # the lookups the page models were made from
    with report.stage("charts"):
        svgs = render_svgs(stage.charts.specs, cfg.cache_dir / "svg" if cfg.use_cache else None)
        for path, data in preview_cards(stage.site.cards, svgs, cfg).items():
            add(path, data)
    external = [k for k in stage.charts.specs if not k.inline]
    chart_files, images = chart_images(svgs, external)
    for path, text in chart_files.items():
        add(path, text)
    svgs = {k.slug: svgs[k.slug] for k in stage.charts.specs if k.inline}
    for path, data in stage.files.items():
        add(path, data)
    for key in stage.charts.specs:
        if key.kind == "scatter" and key.area == "income":
            for lang in LANGS:  # the image under each municipality's own dot
                add(f"charts/{key.slug}.{lang}.svg", localise_svg(svgs[key.slug], lang))
    for key, spec in stage.charts.specs.items():
        if key.interactive:
            add(f"charts/{key.slug}.json", interactive_spec(spec))
    add("data/belgium.topo.json", topology_json(canon.topology))
    add("data/entities.json", canon.entities.to_json(orient="records", force_ascii=False))
    add(
        "data/build-report.json",
        json.dumps(build_report(model), sort_keys=True, indent=1, ensure_ascii=False),
    )
    add("data/reconciliation.csv", to_csv_bytes(model.reconciliation))
    add("data/incomplete.csv", to_csv_bytes(model.indicators.incomplete))
    return Products(site=stage.site, svgs=svgs, images=images, meta=meta, files=files, root=root)


def preview_cards(
    models: Mapping[str, Card], svgs: dict[str, str], cfg: Config
) -> dict[str, bytes]:
    """og/<code>.png for every area (Open Graph and Twitter preview images)."""
    texts = {
        code: cards.card_svg(
            name=c.name,
            level=c.level,
            value=c.value,
            month=c.month,
            measure=c.measure,
            series=list(c.series),
            locator=svgs.get(c.locator) if c.locator else None,
            synthetic=c.synthetic,
        )
        for code, c in models.items()
    }
    pngs = render_cached(texts, cards.png, cfg.cache_dir / "og" if cfg.use_cache else None, ".png")
    return {f"og/{code}.png": data for code, data in pngs.items()}  # type: ignore[misc]
