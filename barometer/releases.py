"""Past editions of the data, archived as GitHub Releases (one per monthly extract).

Input:  an optional JSON file (``BAROMETER_RELEASES``): GitHub's list of the repository's releases
        as ``GET /repos/{owner}/{repo}/releases`` returns it, or the list of its pages (the Pages
        workflow writes it with ``gh api --paginate --slurp`` before building). Only releases
        tagged ``data-YYYY-MM-DD`` count.
Output: :class:`Release` tuples, newest first, for the data page's list of past editions.

The site carries only the latest edition's files; every edition stays citable as its release.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from barometer.errors import DataError, Problem
from barometer.sources.textio import display_name

TAG = re.compile(r"data-([0-9]{4}-[0-9]{2}-[0-9]{2})")
"""Tag of an edition's release: ``data-`` and the extract date."""


def tag(extract_date: str) -> str:
    return f"data-{extract_date}"


@dataclass(frozen=True)
class Release:
    tag: str
    date: str
    """The extract date of the edition (YYYY-MM-DD)."""
    url: str


def load_releases(path: Path | None) -> tuple[Release, ...]:
    """The editions archived as releases (none without a file); a malformed file is refused."""
    if path is None:
        return ()
    name = display_name(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(Problem(name, 0, "-", "a readable UTF-8 file", str(exc))) from None
    except json.JSONDecodeError as exc:
        raise DataError(Problem(name, exc.lineno, "-", "valid JSON", exc.msg)) from None
    if not isinstance(doc, list):
        raise DataError(Problem(name, 1, "-", "a JSON list of releases", type(doc).__name__))
    if doc and all(isinstance(page, list) for page in doc):  # gh api --paginate --slurp: pages
        doc = [r for page in doc for r in page]
    out = []
    for i, r in enumerate(doc):
        where = f"[{i}]"
        if not isinstance(r, dict):
            raise DataError(Problem(name, 1, where, "a release object", type(r).__name__))
        m = TAG.fullmatch(str(r.get("tag_name", "")))
        if m is None or r.get("draft"):
            continue  # another kind of release, or not published
        url = r.get("html_url")
        if not (isinstance(url, str) and url.startswith("https://")):
            raise DataError(Problem(name, 1, f"{where}.html_url", "an https URL", repr(url)))
        out.append(Release(tag=m.group(0), date=m.group(1), url=url))
    return tuple(sorted(set(out), key=lambda r: r.date, reverse=True))
