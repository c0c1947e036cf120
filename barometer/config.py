"""One typed configuration for every command.

Command-line flags default to ``None`` so they only override what is set; every problem is
reported (``Config value 'x': …``) before one ConfigError aborts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from barometer import paths
from barometer.errors import ConfigError


@dataclass(frozen=True)
class Config:
    """Settings of a run of the barometer."""

    data_dirs: tuple[Path, ...] = ()
    """Where input files are looked for, in order: ``--data DIR``, ``data/raw/``, ``../shared/data/``."""

    target_data_dir: Path = paths.RAW
    """Where ``fetch`` writes downloaded inputs: ``--data DIR`` when given, else ``data/raw/``."""

    sources_toml: Path = paths.SOURCES_TOML
    """The list of inputs (id, file, format, publisher, licence, URL, sha256)."""

    measures_toml: Path = paths.MEASURES_TOML
    """The measure catalogue (code, names, URL words, definitions, relations)."""

    site_dir: Path = paths.SITE
    """Where the built site goes (swapped in atomically at the end of a build)."""

    content_dir: Path = paths.CONTENT
    """Focus notes (``content/<lang>/*.md``; env ``BAROMETER_CONTENT_DIR`` overrides)."""

    cache_dir: Path = paths.CACHE
    """Parquet cache of validated canonical tables, keyed on input hashes and code version
    (env ``BAROMETER_CACHE_DIR`` overrides ``data/cache/``)."""

    use_cache: bool = True
    """Read and write the cache (``--no-cache`` turns it off)."""

    strict: bool = False
    """Turn every warning into a failure (``--strict``)."""

    base_url: str = "/"
    """URL of the published site, e.g. ``https://example.github.io/barometer/`` (``--base-url`` or
    env ``BAROMETER_BASE_URL``). Pages link to each other with relative URLs, so the same files work
    under any path; the base URL gives canonical, hreflang, Open Graph and sitemap URLs and the
    404 page's links. Without an absolute URL there is no sitemap.xml."""

    pod_mi_url: str | None = None
    """Download URL of the POD MI extract (env ``BAROMETER_POD_MI_URL``); its metadata sits beside it."""

    mirror: str | None = None
    """Optional URL of a copy of the data directory (same layout), tried before official URLs by ``fetch``."""

    releases: Path | None = None
    """GitHub's list of the repository's releases (env ``BAROMETER_RELEASES``): the past editions
    the data page links to (:mod:`barometer.releases`); none when unset."""

    source_date_epoch: int | None = field(default=None)
    """Fixed build time for reproducible output (env ``SOURCE_DATE_EPOCH``)."""


def default_data_dirs(explicit: Path | None) -> tuple[Path, ...]:
    dirs = [] if explicit is None else [explicit]
    dirs += [paths.RAW, paths.SHARED_DATA]
    return tuple(dirs)


def load_config(
    *,
    data: Path | None = None,
    site: Path | None = None,
    strict: bool | None = None,
    base_url: str | None = None,
    use_cache: bool | None = None,
    mirror: str | None = None,
    cache_dir: Path | None = None,
) -> Config:
    """Build the Config from flags and environment, reporting every invalid value at once."""
    errors: list[str] = []
    if data is not None and not data.is_dir():
        errors.append(f"Config value 'data': expected an existing directory, found '{data}'")
    base_url = base_url or os.environ.get("BAROMETER_BASE_URL") or None
    if base_url is not None and not (base_url.endswith("/")):
        errors.append(
            f"Config value 'base_url': expected a URL or path ending in '/', found '{base_url}'"
        )
    epoch_text = os.environ.get("SOURCE_DATE_EPOCH")
    epoch: int | None = None
    if epoch_text:
        if epoch_text.isdigit():
            epoch = int(epoch_text)
        else:
            errors.append(
                f"Config value 'SOURCE_DATE_EPOCH': expected whole seconds, found '{epoch_text}'"
            )
    if errors:
        raise ConfigError("\n".join(errors))
    return Config(
        data_dirs=default_data_dirs(data),
        target_data_dir=data if data is not None else paths.RAW,
        site_dir=site if site is not None else paths.SITE,
        content_dir=Path(os.environ.get("BAROMETER_CONTENT_DIR") or paths.CONTENT),
        cache_dir=cache_dir or Path(os.environ.get("BAROMETER_CACHE_DIR") or paths.CACHE),
        use_cache=True if use_cache is None else use_cache,
        strict=bool(strict),
        base_url=base_url or os.environ.get("BAROMETER_BASE_URL") or "/",
        pod_mi_url=os.environ.get("BAROMETER_POD_MI_URL") or None,
        mirror=mirror or os.environ.get("BAROMETER_DATA_MIRROR") or None,
        releases=Path(os.environ["BAROMETER_RELEASES"])
        if os.environ.get("BAROMETER_RELEASES")
        else None,
        source_date_epoch=epoch,
    )
