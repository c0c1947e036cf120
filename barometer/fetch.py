"""Download missing inputs into the target data directory, verifying pinned sha256.

For each source whose file is not in the target directory (``--data DIR`` or ``data/raw/``):
try the mirror (``--mirror URL`` / ``BAROMETER_DATA_MIRROR``: a copy of the data directory with
the same layout), then the official URL (or the URL from the source's ``url_env``). A zip is
unpacked to its ``archive_member``. A download whose sha256 differs from the pinned value is
refused and nothing is written.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from barometer.config import Config
from barometer.errors import DataError, Problem
from barometer.sources.registry import Source, load_registry

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class FetchReport:
    present: tuple[str, ...]
    downloaded: tuple[str, ...]


def candidate_urls(src: Source, cfg: Config) -> list[str]:
    urls = []
    if cfg.mirror:
        urls.append(cfg.mirror.rstrip("/") + "/" + src.file)
    override = os.environ.get(src.url_env) if src.url_env else None
    if src.id == "extract" and cfg.pod_mi_url:
        override = cfg.pod_mi_url
    if override:
        urls.append(override)
    elif src.url:
        urls.append(src.url)
    return urls


def _download(url: str) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "barometer-fetch"})
    with urllib.request.urlopen(req, timeout=TIMEOUT_SECONDS) as resp:  # noqa: S310 (URLs come from sources.toml)
        return resp.read()


def _unpack(data: bytes, src: Source, url: str) -> bytes:
    if not (src.archive_member and url.lower().endswith(".zip")):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            if Path(info.filename).name == src.archive_member:
                return zf.read(info)
    raise ValueError(f"the archive has no member {src.archive_member}")


def fetch(cfg: Config) -> FetchReport:
    """Fetch every missing input; raise DataError listing each one that could not be had."""
    target = cfg.target_data_dir
    present, downloaded = [], []
    problems: list[Problem] = []
    for src in load_registry(cfg.sources_toml):
        dest = target / src.file
        if dest.is_file():
            present.append(src.id)
            continue
        urls = candidate_urls(src, cfg)
        if not urls and not src.required:
            log.info("%s: optional input without a download URL, left out", src.file)
            continue
        if not urls:
            problems.append(
                Problem(
                    src.file,
                    0,
                    "url",
                    "a download URL (sources.toml url, url_env, or --mirror)",
                    "none: this input must be supplied by hand",
                )
            )
            continue
        reasons = []
        for url in urls:
            try:
                data = _unpack(_download(url), src, url)
            except (urllib.error.URLError, OSError, ValueError, zipfile.BadZipFile) as exc:
                reasons.append(f"{url}: {getattr(exc, 'reason', exc)}")
                continue
            digest = hashlib.sha256(data).hexdigest()
            if src.sha256 and digest != src.sha256:
                # the verdict first: what was found is cut to 80 characters (errors.Problem)
                reasons.append(f"refused: sha256 {digest[:12]}… is not the pinned one ({url})")
                continue
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_name(dest.name + ".part")
            tmp.write_bytes(data)
            tmp.replace(dest)
            log.info("fetched %s (%d bytes) from %s", src.file, len(data), url)
            downloaded.append(src.id)
            break
        else:
            if not src.required and not any(r.startswith("refused") for r in reasons):
                log.info("%s: optional input not found (%s)", src.file, "; ".join(reasons))
                continue
            problems.append(
                Problem(
                    src.file, 0, "-", "a download that matches sources.toml", "; ".join(reasons)
                )
            )
    if problems:
        raise DataError(problems)
    return FetchReport(tuple(present), tuple(downloaded))
