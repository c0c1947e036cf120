"""HTML of every page, rendered by forked workers straight into the staging directory.

Pages of each language are rendered in chunks of :data:`CHUNK` across the cores; each worker
writes its pages (or links the previous site's identical files, :func:`barometer.write.put`) and
each searchable page's search document. The parent records what the workers wrote.
"""

from __future__ import annotations

import os
from pathlib import Path

from barometer.config import Config
from barometer.forked import STATE, pool, shared
from barometer.products import Products
from barometer.render import Renderer
from barometer.search import add_document
from barometer.vocabulary import LANGS
from barometer.write import Staging, put

CHUNK = 64
"""Pages per job: big enough to amortise the worker's Jinja setup, small enough to balance."""


def _html_job(job: tuple[str, int, int]) -> tuple[list[tuple[str, int]], int, dict[str, str]]:
    """Render pages ``lo:hi`` of one language into the staging directory (in a worker)."""
    st = STATE
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
    """Every HTML page into ``staging``; each searchable page's search document under ``docs``.
    Returns the documents' digests (site path → sha256)."""
    site = products.site
    jobs = [
        (lang, lo, lo + CHUNK)
        for lang in LANGS
        for lo in range(0, len(site.pages[lang]) + len(site.redirects[lang]), CHUNK)
    ]
    digests: dict[str, str] = {}
    n = workers or os.cpu_count() or 1
    with shared(
        site=site,
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
        site, products.svgs, base_url=cfg.base_url, meta=products.meta, epoch=cfg.source_date_epoch
    )
    for rel, data in r.extras().items():
        staging.add(rel, data)
        digest = add_document(docs, rel, data)
        if digest:
            digests[str(rel)] = digest
    return digests
