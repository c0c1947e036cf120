"""HTML of every page, rendered by forked workers straight into the staging directory.

Pages of each language are rendered in chunks of :data:`CHUNK` across the cores; each worker
writes its pages (or links the previous site's identical files, :func:`barometer.write.put`). The
parent records what the workers wrote.
"""

from __future__ import annotations

import os

from barometer.config import Config
from barometer.forked import STATE, pool, shared
from barometer.products import Products
from barometer.render import Renderer
from barometer.vocabulary import LANGS
from barometer.write import Staging, put

CHUNK = 64
"""Pages per job: big enough to amortise the worker's Jinja setup, small enough to balance."""


def _html_job(job: tuple[str, int, int]) -> tuple[list[tuple[str, int]], int]:
    """Render pages ``lo:hi`` of one language into the staging directory (in a worker)."""
    st = STATE
    if "renderer" not in st:
        st["renderer"] = Renderer(
            st["site"],
            st["svgs"],
            images=st["images"],
            base_url=st["base_url"],
            meta=st["meta"],
            epoch=st["epoch"],
        )
    r = st["renderer"]
    lang, lo, hi = job
    written, reused = [], 0
    for page in r.pages(lang)[lo:hi]:
        rel, data = r.page(lang, page)
        reused += put(st["root"], st["previous"], rel, data, st["epoch"])
        written.append((str(rel), len(data)))
    return written, reused


def render_html(
    products: Products, cfg: Config, staging: Staging, workers: int | None = None
) -> None:
    """Every HTML page into ``staging``."""
    site = products.site
    jobs = [
        (lang, lo, lo + CHUNK)
        for lang in LANGS
        for lo in range(0, len(site.pages[lang]) + len(site.redirects[lang]), CHUNK)
    ]
    n = workers or os.cpu_count() or 1
    with shared(
        site=site,
        svgs=products.svgs,
        images=products.images,
        base_url=cfg.base_url,
        meta=products.meta,
        epoch=cfg.source_date_epoch,
        root=staging.root,
        previous=staging.site_dir,
    ):
        if n > 1:
            with pool(n) as workers_:
                results = list(workers_.imap_unordered(_html_job, jobs))
        else:
            results = [_html_job(job) for job in jobs]
    for written, reused in results:
        staging.record(written, reused)
    r = Renderer(
        site,
        products.svgs,
        images=products.images,
        base_url=cfg.base_url,
        meta=products.meta,
        epoch=cfg.source_date_epoch,
    )
    for rel, data in r.extras().items():
        staging.add(rel, data)
