"""What a build can skip: the keys of its work and the cache of its data products.

- The **data key** hashes what the data products depend on: the inputs, the package's code, the
  notes, the gettext catalogues, the list of inputs and the measure catalogue.
- The **build key** adds the templates, the static assets and the settings; it is written into
  the built site (:data:`BUILD_KEY`), so a build with the same key has nothing to do.
- The **products cache** keeps the page models, chart SVGs and data files of the newest
  :data:`PRODUCTS_KEPT` data keys (``data/cache/products/<key>/``: the files, hard-linked into the
  site, and a pickle of the rest), so a template change only renders HTML.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

from barometer import paths
from barometer.canonical import code_version
from barometer.config import Config
from barometer.log import warnings_seen
from barometer.products import Products
from barometer.sources.registry import resolve
from barometer.write import sweep, temp_dir

log = logging.getLogger(__name__)

BUILD_KEY = ".barometer-build"
"""File in site/ holding the key of the build that made it (inputs, code, templates, content,
settings): a build with the same key has nothing to do."""
TMP = ".tmp-"
"""Prefix of a cache entry being made (``.tmp-<pid>-…``: removed if its build was killed)."""
PRODUCTS_FILE = "products.pickle"
PRODUCTS_KEPT = 3
"""Data products kept in the cache (the newest; each is the size of the site, hard-linked)."""


def tree_hash(*places: Path) -> str:
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
    payload = {
        "inputs": resolve(cfg).sha256,
        "code": code_version(),
        "files": tree_hash(
            cfg.content_dir,
            paths.PACKAGE / "locale",
            cfg.sources_toml,
            cfg.measures_toml,
            paths.EVENTS_TOML,
            *([cfg.releases] if cfg.releases else []),
        ),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]


def build_key(cfg: Config, data: str | None = None) -> str:
    """Everything a build depends on, hashed: the data key (``data``, computed when not given),
    templates, static assets, settings."""
    payload = {
        "data": data or data_key(cfg),
        "files": tree_hash(paths.TEMPLATES, paths.PACKAGE / "static"),
        "settings": [cfg.base_url, cfg.source_date_epoch, cfg.strict],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def sweep_leftovers(cache_dir: Path) -> None:
    """Remove the temporary entries killed builds left in the cache (``.tmp-<pid>-…``, in the cache
    directory and its folders: canonical tables, products, charts, preview images)."""
    if cache_dir.is_dir():
        for folder in (cache_dir, *(p for p in cache_dir.iterdir() if p.is_dir())):
            sweep(folder, TMP)


def up_to_date(site_dir: Path, key: str | None) -> bool:
    """Whether the site was built with this build key."""
    marker = site_dir / BUILD_KEY
    return bool(key) and marker.is_file() and marker.read_text(encoding="utf-8").strip() == key


def cached_products(cfg: Config, key: str) -> Products | None:
    """The products of this data key from the cache, or None."""
    final = cfg.cache_dir / "products" / key
    if not (final / PRODUCTS_FILE).is_file():
        return None
    with open(final / PRODUCTS_FILE, "rb") as fh:
        made: Products = pickle.load(fh)  # noqa: S301 - our own cache, keyed by content
    made.root = final / "files"
    log.info("page models, charts and data files from the cache (%s)", key)
    return made


def store_products(cfg: Config, key: str, make: Callable[[Path], Products]) -> Products:
    """Make the products into a new cache entry (``make(root)`` writes the files under root) and
    keep the newest :data:`PRODUCTS_KEPT` entries. The entry appears whole or not at all."""
    final = cfg.cache_dir / "products" / key
    sweep(final.parent, TMP)  # what killed builds left behind
    tmp = temp_dir(final.parent, TMP)
    try:
        made = make(tmp / "files")
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
