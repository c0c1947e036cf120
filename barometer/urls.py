"""Stable, localised URL paths of every page (relative to the site root, ending in '/').

    nl/                         home            nl/gemeente/44021-gent/      entity
    nl/leefloon/                measure         nl/belgie/                   Belgium
    nl/methodologie/  nl/data/  fixed pages     downloads/…                  files

Links in pages are ``root + path`` where ``root`` is the page's relative way back to the site root
(``../../../`` from an entity page), so the same files work at any sub-path; only the 404 page
(served by the host for any missing path) uses the path of ``--base-url``. Canonical, hreflang,
Open Graph and sitemap URLs use the full ``--base-url``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from barometer.i18n import entity_name, short_name, slugify
from barometer.vocabulary import COUNTRY, COUNTRY_SLUG, LEVEL_WORDS, PAGE_SLUGS, Measure


def home(lang: str) -> str:
    return f"{lang}/"


def entity(ent: dict, lang: str) -> str:
    if ent["code"] == COUNTRY:
        return f"{lang}/{COUNTRY_SLUG[lang]}/"
    word = LEVEL_WORDS[ent["level"]][lang]
    return f"{lang}/{word}/{ent['code']}-{slugify(short_name(entity_name(ent, lang)))}/"


def former(code: str, name: str, lang: str) -> str:
    """Path of a former municipality code (redirects to its successor)."""
    return f"{lang}/{LEVEL_WORDS['municipality'][lang]}/{code}-{slugify(name)}/"


def measure(m: Measure, lang: str) -> str:
    return f"{lang}/{m.slug[lang]}/"


def page(name: str, lang: str) -> str:
    return f"{lang}/{PAGE_SLUGS[name][lang]}/"


DOWNLOADS = "downloads/"
"""The folder of every download (its README.txt, datapackage.json and areas.csv at the top)."""


def entity_csv(code: str) -> str:
    return f"downloads/entities/{code}.csv.gz"


def measure_csv(m: str) -> str:
    return f"downloads/{m}.csv.gz"


def entity_breakdowns_csv(code: str) -> str:
    return f"downloads/entities/{code}-breakdowns.csv.gz"


def entity_xlsx(code: str) -> str:
    return f"downloads/entities/{code}.xlsx"


def bulk_formats(m: str | None) -> tuple[str, ...]:
    """The formats of a bulk download: Parquet only for every measure at once (a Parquet reader
    takes one measure's columns of it as cheaply as a file of its own)."""
    return ("csv", "parquet") if m is None else ("csv",)


def bulk_file(m: str | None, kind: str, fmt: str) -> str:
    """A bulk download: every area's ``kind`` (totals, breakdowns) of measure ``m`` (None: all
    measures) as ``fmt`` (csv: gzipped, parquet). ``bulk_file(m, "totals", "csv")`` is
    :func:`measure_csv`."""
    stem = (m or "barometer") + ("-breakdowns" if kind == "breakdowns" else "")
    return f"downloads/{stem}." + ("csv.gz" if fmt == "csv" else "parquet")


def relative_root(path: str) -> str:
    """'nl/gemeente/44021-gent/' → '../../../'; 'index.html' or '' → ''."""
    return "../" * path.count("/")


def is_absolute(base_url: str) -> bool:
    return urlsplit(base_url).scheme in ("http", "https")


def base_path(base_url: str) -> str:
    """'https://example.github.io/barometer/' → '/barometer/'; '/' → '/'."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def absolute(base_url: str, path: str) -> str:
    """Full URL for canonical links and the sitemap (a bare path base stays a path)."""
    return (
        base_url.rstrip("/") + "/" + path.lstrip("/") if base_url != "/" else "/" + path.lstrip("/")
    )
