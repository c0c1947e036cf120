"""A small, complete data directory made by the tests: the fast tier's whole site in seconds.

Seven municipalities of today, in every input format the barometer reads (same layout as
``../shared/data``), chosen for what they exercise:

- Antwerpen 11002 absorbed Borsbeek 11007 on 1 January 2025 (a 2025 merger that keeps its code);
- Puurs-Sint-Amands 12041 was formed from Puurs 12030 and Sint-Amands 12034 on 1 January 2019;
- La Louvière got a new code without merging on 1 January 2019 (55022 → 58001: the Hainaut
  re-coding) and moved from the arrondissement of Soignies to that of La Louvière;
- Gent 44021 and Brussel 21004 (a region without provinces); Heers 73022 and Herstappe 73028,
  which has no OCMW of its own and never appears in the extract.

The extract holds 36 months (2023-11 … 2026-10, extract of 2026-11-02) of two measures, ris and
eris, with breakdowns that add up, small counts (suppression), one missing claim, and a
published total per year computed from the same numbers (reconciliation within tolerance).
Everything is deterministic: the same bytes on every run.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import random
import tomllib
from pathlib import Path

from barometer import paths
from barometer.config import Config
from barometer.vocabulary import GROUPS

EXTRACT_DATE = "2026-11-02"
FIRST_MONTH, LAST_MONTH = "2023-11", "2026-10"
MEASURES = {"ris": 4, "eris": 7}
"""Measure → stable after (months)."""
PREVIOUS_DATE = "2026-10-01"
"""The previous vintage: a month earlier, its last months short of late claims."""
CURRENT, PREVIOUS = "pod_mi_synthetic_2026-12", "pod_mi_synthetic"
"""Folders of the two vintages (as data/sources.toml names them)."""
COMPLETE = {1: 0.55, 2: 0.85, 3: 0.95, 4: 0.99, 5: 0.997, 6: 0.999}
"""Share of the final count a month holds in the previous vintage, by lag (months)."""
EPOCH = 1767225600
BASE_URL = "https://example.github.io/barometer/"

# REFNIS: (level, code, parent, de, fr, nl, start, end)
UNITS = [
    (1, "02000", "-", "Flämische Region", "Région flamande", "Vlaams Gewest"),
    (1, "03000", "-", "Wallonische Region", "Région wallonne", "Waals Gewest"),
    (1, "04000", "-", "Region Brüssel-Hauptstadt", "Région de Bruxelles-Capitale", "Brussels Hoofdstedelijk Gewest"),
    (2, "10000", "02000", "Provinz Antwerpen", "Province d'Anvers", "Provincie Antwerpen"),
    (2, "40000", "02000", "Provinz Ostflandern", "Province de Flandre orientale", "Provincie Oost-Vlaanderen"),
    (2, "50000", "03000", "Provinz Hennegau", "Province du Hainaut", "Provincie Henegouwen"),
    (2, "70000", "02000", "Provinz Limburg", "Province du Limbourg", "Provincie Limburg"),
    (3, "11000", "10000", "Bezirk Antwerpen", "Arrondissement d'Anvers", "Arrondissement Antwerpen"),
    (3, "12000", "10000", "Bezirk Mechelen", "Arrondissement de Malines", "Arrondissement Mechelen"),
    (3, "21000", "04000", "Bezirk Brüssel-Hauptstadt", "Arrondissement de Bruxelles-Capitale", "Arrondissement Brussel-Hoofdstad"),
    (3, "44000", "40000", "Bezirk Gent", "Arrondissement de Gand", "Arrondissement Gent"),
    (3, "58000", "50000", "Bezirk La Louvière", "Arrondissement de La Louvière", "Arrondissement La Louvière"),
    (3, "73000", "70000", "Bezirk Tongeren", "Arrondissement de Tongres", "Arrondissement Tongeren"),
]  # fmt: skip
ARRONDISSEMENT_SINCE = {"58000": "01/01/2019"}
SOIGNIES = (
    3,
    "55000",
    "50000",
    "Bezirk Soignies",
    "Arrondissement de Soignies",
    "Arrondissement Zinnik",
)
"""La Louvière's arrondissement until 2018 (in this fixture it has no municipality after)."""
# municipalities: code, parent, de, fr, nl, start, end
MUNICIPALITIES = [
    ("11002", "11000", "Antwerpen", "Anvers", "Antwerpen", "01/01/1970", "31/12/9999"),
    ("11007", "11000", "Borsbeek", "Borsbeek", "Borsbeek", "01/01/1970", "31/12/9999"),
    ("12030", "12000", "Puurs", "Puurs", "Puurs", "01/01/1970", "31/12/2018"),
    ("12034", "12000", "Sint-Amands", "Sint-Amands", "Sint-Amands", "01/01/1970", "31/12/2018"),
    ("12041", "12000", "Puurs-Sint-Amands", "Puurs-Sint-Amands", "Puurs-Sint-Amands", "01/01/2019", "31/12/9999"),
    ("21004", "21000", "Brüssel", "Bruxelles", "Brussel", "01/01/1970", "31/12/9999"),
    ("44021", "44000", "Gent", "Gand", "Gent", "01/01/1970", "31/12/9999"),
    ("55022", "55000", "La Louvière", "La Louvière", "La Louvière", "01/01/1970", "31/12/2018"),
    ("58001", "58000", "La Louvière", "La Louvière", "La Louvière", "01/01/2019", "31/12/9999"),
    ("73022", "73000", "Heers", "Heers", "Heers", "01/01/1970", "31/12/9999"),
    ("73028", "73000", "Herstappe", "Herstappe", "Herstappe", "01/01/1970", "31/12/9999"),
]  # fmt: skip
NAMES_NL = {m[0]: m[4] for m in MUNICIPALITIES}
TODAY = ["11002", "12041", "21004", "44021", "58001", "73022", "73028"]
"""The municipalities of 2025, in code order."""
REGION_OF = {"11002": "02000", "11007": "02000", "12030": "02000", "12034": "02000", "12041": "02000",
             "21004": "04000", "44021": "02000", "55022": "03000", "58001": "03000",
             "73022": "02000", "73028": "02000"}  # fmt: skip
# people per 1000 inhabitants and inhabitants (2024) of the codes valid after 2018
LEVEL = {
    "ris": {"11002": 23.0, "11007": 9.0, "12041": 6.0, "21004": 45.0, "44021": 26.0,
            "58001": 38.0, "73022": 2.5},
    "eris": {"11002": 4.0, "11007": 0.4, "12041": 0.3, "21004": 21.0, "44021": 3.5,
             "58001": 2.1, "73022": 0.2},
}  # fmt: skip
POPULATION = {"11002": 530_000, "11007": 11_000, "12041": 18_000, "21004": 197_000,
              "44021": 266_000, "58001": 81_000, "73022": 7_400, "73028": 90}  # fmt: skip
SHARES = {
    "sex": (0.47, 0.53),
    "age": (0.22, 0.31, 0.2, 0.14, 0.1, 0.03),
    "nationality": (0.45, 0.1, 0.45),
    "household": (0.36, 0.4, 0.24),
}
MISSING_CLAIM = ("ris", "2024-05", "73022")
"""One claim that never arrived: an empty row (missing, not zero)."""
SQUARES = {  # (west, south) corner of a 0.5° square: neighbours share whole edges
    "44021": (3.5, 51.0),
    "11002": (4.0, 51.0),
    "12041": (4.5, 51.0),
    "21004": (4.0, 50.5),
    "73022": (5.0, 50.5),
    "73028": (5.5, 50.5),
    "58001": (4.0, 50.0),
}


def months(first: str = FIRST_MONTH, last: str = LAST_MONTH) -> list[str]:
    y, m = int(first[:4]), int(first[5:])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    return out


def codes_in(month: str) -> list[str]:
    """Municipality codes valid in a month that have an OCMW (not Herstappe)."""
    codes = ["11002", "12041", "21004", "44021", "58001", "73022"]
    return sorted(codes + (["11007"] if month < "2025-01" else []))


def _split(total: int, shares: tuple[float, ...]) -> list[int]:
    """Whole numbers in the given proportions that add up to ``total`` (largest remainder)."""
    raw = [total * s / sum(shares) for s in shares]
    out = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))[: total - sum(out)]:
        out[i] += 1
    return out


def extract_rows() -> list[list[str]]:
    """The extract's rows: (measure, month, nis, name_nl, total, breakdowns…), sorted."""
    rnd = random.Random(20261102)
    rows = []
    for measure in sorted(MEASURES):
        for i, month in enumerate(months()):
            for code in codes_in(month):
                level = LEVEL[measure][code] * POPULATION[code] / 1000
                total = max(0, round(level * (1 + 0.004 * i) * rnd.uniform(0.97, 1.03)))
                if (measure, month, code) == MISSING_CLAIM:
                    rows.append([measure, month, code, NAMES_NL[code]] + [""] * 15)
                    continue
                cells = [str(total)]
                for group in GROUPS:
                    cells += [str(v) for v in _split(total, SHARES[group])]
                rows.append([measure, month, code, NAMES_NL[code], *cells])
    return rows


def previous_rows(rows: list[list[str]]) -> list[list[str]]:
    """The previous vintage: the same rows up to its last month, the months younger than the
    stable lag short of their late claims (``COMPLETE``), split as the current ones are."""
    last = months()[-2]
    out = []
    for r in rows:
        if r[1] > last:
            continue
        lag = _lag(r[1], PREVIOUS_DATE)
        if r[4] and lag < MEASURES[r[0]]:
            total = int(int(r[4]) * COMPLETE[lag])
            cells = [str(total)]
            for group in GROUPS:
                cells += [str(v) for v in _split(total, SHARES[group])]
            r = [*r[:4], *cells]
        out.append(r)
    return out


def _lag(month: str, extract_date: str) -> int:
    return (int(extract_date[:4]) - int(month[:4])) * 12 + int(extract_date[5:7]) - int(month[5:7])


def _csv(rows: list[list[object]], header: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _population(code: str, year: int) -> int:
    """Inhabitants on 1 January: the 2024 figure, growing by half a per cent a year."""
    return round(POPULATION[code] * 1.005 ** (year - 2024))


def write(root: Path, *, published_factor: float = 1.0) -> Config:
    """Write every input under ``root`` (data/, content/, sources.toml) and return a Config that
    builds from them into ``root/site``. ``published_factor`` scales the published totals (1.05:
    a reconciliation gap of 5 %)."""
    data = root / "data"
    for sub in ("refnis", "geo", "population", "income", "published_totals", CURRENT, PREVIOUS):
        (data / sub).mkdir(parents=True, exist_ok=True)
    _refnis(data / "refnis")
    _boundaries(data / "geo/belgium_municipalities_565_2025_derived.geojson")
    _populations(data / "population")
    _income(data / "income/TF_PSNL_INC_TAX_MUNTY_2005-2020.xlsx")
    rows = extract_rows()
    header = ["measure", "month", "nis", "name_nl", "total"] + [
        c for cols in GROUPS.values() for c in cols
    ]
    (data / CURRENT / "extract.csv.gz").write_bytes(
        gzip.compress(_csv(rows, header).encode(), mtime=0)
    )
    (data / CURRENT / "extract_meta.json").write_text(_meta(), encoding="utf-8")
    (data / PREVIOUS / "extract.csv.gz").write_bytes(
        gzip.compress(_csv(previous_rows(rows), header).encode(), mtime=0)
    )
    (data / PREVIOUS / "extract_meta.json").write_text(_meta(previous=True), encoding="utf-8")
    _published(
        data / "published_totals/ris_national_regional_provincial_totals.csv",
        rows,
        published_factor,
    )
    _sources_toml(root / "sources.toml")
    _notes(root / "content")
    _releases(root / "releases.json")
    return config(root)


RELEASES = "https://github.com/example/barometer/releases/tag/"


def _releases(path: Path) -> None:
    """GitHub's list of releases: this edition (already released by an earlier run), an older one,
    a draft and a release of another kind (neither of which is an edition)."""
    doc = [
        {"tag_name": "data-2026-11-02", "html_url": RELEASES + "data-2026-11-02"},
        {"tag_name": "v1.0", "html_url": RELEASES + "v1.0"},
        {"tag_name": "data-2026-10-01", "html_url": RELEASES + "data-2026-10-01"},
        {"tag_name": "data-2026-12-01", "html_url": RELEASES + "data-2026-12-01", "draft": True},
    ]
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")


def config(root: Path) -> Config:
    """The Config that builds the fixture written under ``root`` into ``root/site``."""
    return Config(
        data_dirs=(root / "data",),
        target_data_dir=root / "data",
        sources_toml=root / "sources.toml",
        site_dir=root / "site",
        content_dir=root / "content",
        cache_dir=root / "cache",
        use_cache=True,
        base_url=BASE_URL,
        source_date_epoch=EPOCH,
        releases=root / "releases.json",
    )


def _refnis(folder: Path) -> None:
    lines = [
        "LVL_REFNIS|CD_REFNIS|CD_SUP_REFNIS|TX_REFNIS_DE|TX_REFNIS_FR|TX_REFNIS_NL|DT_VLDT_START|DT_VLDT_END"
    ]
    for lvl, code, parent, de, fr, nl in UNITS:
        start = ARRONDISSEMENT_SINCE.get(code, "01/01/1970")
        lines.append(f"{lvl}|{code}|{parent}|{de}|{fr}|{nl}|{start}|31/12/9999")
    lvl, code, parent, de, fr, nl = SOIGNIES
    lines.append(f"{lvl}|{code}|{parent}|{de}|{fr}|{nl}|01/01/1970|31/12/2018")
    for code, parent, de, fr, nl, start, end in MUNICIPALITIES:
        lines.append(f"4|{code}|{parent}|{de}|{fr}|{nl}|{start}|{end}")
    (folder / "TU_COM_REFNIS_2019.txt").write_bytes(
        ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    )  # fmt: skip
    (folder / "merger_2019_old_to_new_nis.csv").write_text(
        "old_nis_2018,old_name_nl,new_nis_2019,new_name_nl\n"
        "12030,Puurs,12041,Puurs-Sint-Amands\n12034,Sint-Amands,12041,Puurs-Sint-Amands\n",
        encoding="utf-8",
    )
    (folder / "merger_2025_old_to_new_nis.csv").write_text(
        "old_nis,old_name_nl,new_nis,new_name_nl,code_kept\n"
        "11002,Antwerpen,11002,Antwerpen,yes\n11007,Borsbeek,11002,Antwerpen,no\n",
        encoding="utf-8",
    )


def _boundaries(path: Path) -> None:
    features = []
    for code in TODAY:
        x, y = SQUARES[code]
        ring = [[x, y], [x + 0.5, y], [x + 0.5, y + 0.5], [x, y + 0.5], [x, y]]
        features.append(
            {
                "type": "Feature",
                "properties": {"nis": code, "name": NAMES_NL[code], "merged_from": ""},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    doc = {"type": "FeatureCollection", "name": "fixture", "features": features}
    path.write_text(json.dumps(doc), encoding="utf-8")


WORKBOOK_YEARS = range(2018, 2025)
"""Years of Statbel's workbook in the fixture (the real one has 1992-2024)."""
RECENT_YEARS = range(2022, 2027)
"""Years of the tidy file (2022-2024 repeat the workbook; 2025-2026 on the 2025 codes)."""


def _valid_codes(year: int) -> list[str]:
    """Municipality codes valid on 1 January of a year (Herstappe included: it has inhabitants)."""
    if year < 2019:
        return ["11002", "11007", "12030", "12034", "21004", "44021", "55022", "73022", "73028"]
    if year < 2025:
        return ["11002", "11007", "12041", "21004", "44021", "58001", "73022", "73028"]
    return ["11002", "12041", "21004", "44021", "58001", "73022", "73028"]


def _people(code: str, year: int) -> tuple[int, int]:
    """(men, women) of a code on 1 January of a year, consistent across both waves."""
    split = {"12030": ("12041", 0.55), "12034": ("12041", 0.45), "55022": ("58001", 1.0)}
    base, part = split.get(code, (code, 1.0))
    total = round(_population(base, year) * part)
    if year >= 2025 and code == "11002":  # Antwerpen absorbed Borsbeek
        total += _population("11007", year)
    men = total * 49 // 100
    return men, total - men


def _populations(folder: Path) -> None:
    """Statbel's workbook (one sheet per year, every level by sex) and the tidy 2022-2026 file."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for year in reversed(WORKBOOK_YEARS):  # newest sheet first, as Statbel's
        ws = wb.create_sheet(f"Population en {year}")
        ws.append([f"Population par commune au 1er janvier {year}"])
        ws.append(["Code INS", "Lieu de résidence", "Hommes", "Femmes", "Total"])
        munis = {c: _people(c, year) for c in _valid_codes(year)}
        men, women = sum(m for m, _ in munis.values()), sum(w for _, w in munis.values())
        ws.append(["01000", "Belgique", men, women, men + women])
        for arr in sorted({c[:2] + "000" for c in munis}):
            m = sum(v[0] for c, v in munis.items() if c[:2] == arr[:2])
            w = sum(v[1] for c, v in munis.items() if c[:2] == arr[:2])
            ws.append([arr, f"Arrondissement {arr}", m, w, m + w])
        for code, (m, w) in munis.items():
            ws.append([code, NAMES_NL[code], m, w, m + w])
        ws.append(["Source : fixture"])
    buf = io.BytesIO()
    wb.save(buf)
    (folder / "statbel_Population_par_commune_1992-2024.xlsx").write_bytes(
        _fixed_times(buf.getvalue())
    )
    rows = []
    for year in RECENT_YEARS:
        for code in _valid_codes(year):
            m, w = _people(code, year)
            sexed = year in WORKBOOK_YEARS
            rows.append([year, f"{year}-01-01", code, NAMES_NL[code], m if sexed else "",
                         w if sexed else "", m + w, "", "fixture", "fixture"])  # fmt: skip
    header = ["year", "ref_date", "nis_code", "name_fr", "male", "female", "total", "age65plus", "geography", "source"]  # fmt: skip
    (folder / "statbel_population_1jan_2022-2026_long.csv").write_text(
        _csv(rows, header), encoding="utf-8"
    )


def _income(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["CD_YEAR", "CD_MUNTY_REFNIS", "MS_NBR_NON_ZERO_INC", "MS_TOT_NET_TAXABLE_INC", "MS_TOT_RESIDENTS"])  # fmt: skip
    average = {"11002": 26_000, "11007": 33_000, "12041": 38_000, "21004": 24_000,
               "44021": 31_000, "58001": 27_500, "73022": 36_000, "73028": 35_000}  # fmt: skip
    for year in (2022, 2023, 2024):
        for code in sorted(average):
            declarations = round(POPULATION[code] * 0.55)
            amount = declarations * average[code] * 1.02 ** (year - 2022)
            ws.append([str(year), code, str(declarations), f"{amount:.2f}", str(POPULATION[code])])
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_fixed_times(buf.getvalue()))


def _fixed_times(xlsx: bytes) -> bytes:
    """The workbook with fixed dates (openpyxl stamps the time of saving into the document
    properties and the zip entries): the same bytes on every run."""
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb">\d{4}-\d\d-\d\dT[^<]*<", b">2026-11-02T00:00:00Z<", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 11, 2, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    return out.getvalue()


def _meta(previous: bool = False) -> str:
    names = {
        "ris": {"nl": "Leefloon", "fr": "Revenu d'intégration", "de": "Eingliederungseinkommen", "en": "Integration income"},
        "eris": {"nl": "Financiële steun", "fr": "Aide financière", "de": "Finanzielle Hilfe", "en": "Financial aid"},
    }  # fmt: skip
    return json.dumps(
        {
            "synthetic": True,
            "publisher": "test fixture",
            "extract_date": PREVIOUS_DATE if previous else EXTRACT_DATE,
            "first_month": FIRST_MONTH,
            "last_month": months()[-2] if previous else LAST_MONTH,
            "measures": names,
            "stable_after_months": MEASURES,
            **({} if previous else {"previous_vintage": PREVIOUS_DATE}),
        },
        indent=2,
        ensure_ascii=False,
    )


PUBLISHER = "Test fixture (computed from the fixture's own extract)"
URL = "https://example.org/published-totals"


def _published(path: Path, rows: list[list[str]], factor: float) -> None:
    """Annual averages of ris for Belgium and Flanders (2024, 2025) and a share of the population,
    computed from the extract itself — the reconciliation finds no gap."""
    out = []
    for year in ("2024", "2025"):
        for geo, name, level in (
            ("01000", "België/Belgique", "country"),
            ("02000", "Vlaams Gewest", "region"),
        ):
            by_month: dict[tuple[str, str], int] = {}  # (2025 code, month) → the month's count
            for r in rows:
                if r[0] == "ris" and r[1][:4] == year and r[4]:
                    if geo == "01000" or REGION_OF[r[2]] == geo:
                        key = ("11002" if r[2] == "11007" else r[2], r[1])
                        by_month[key] = by_month.get(key, 0) + int(r[4])
            by_code: dict[str, list[int]] = {}
            for (code, _month), n in by_month.items():
                by_code.setdefault(code, []).append(n)
            average = sum(sum(v) / len(v) for v in by_code.values())
            out.append([level, name, geo, year, "annual_average_of_monthly_counts",
                        "RI (leefloon) beneficiaries", round(average * factor), "persons", URL, PUBLISHER, ""])  # fmt: skip
        out.append(["country", "België/Belgique", "01000", year, "annual_average_of_monthly_counts",
                    "RI beneficiaries as % of (average) population", 2.2, "percent", URL, PUBLISHER, ""])  # fmt: skip
    header = ["level", "geo_name", "geo_nis", "period", "period_type", "measure", "value", "unit", "source_url", "publisher", "note"]  # fmt: skip
    path.write_text(_csv(out, header), encoding="utf-8")


def _sources_toml(path: Path) -> None:
    """The project's list of inputs without pinned checksums (the fixture's files differ)."""
    doc = tomllib.loads(paths.SOURCES_TOML.read_text(encoding="utf-8"))
    lines = []
    for src in doc["source"]:
        lines.append("[[source]]")
        for k, v in src.items():
            if k != "sha256":
                lines.append(f"{k} = {json.dumps(v, ensure_ascii=False)}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


NOTE = """---
title: {title}
date: 2026-11-20
summary: {summary}
author: Fixture
---
{lead} {{{{total 01000 2024}}}} ({{{{change 01000 2024 2025}}}}).

## {h1}

[[chart published-ris | {caption}]]

## {h2}

[[chart evo-regions-ris | {caption}]]

## {h3}

[[chart map-municipalities-eris | {caption}]]
"""


def _notes(folder: Path) -> None:
    texts = {
        "nl": ("Een testnotitie", "Een notitie uit de testfixture.", "In 2024:", "Gepubliceerd", "Evolutie", "Kaart", "Grafiek"),
        "en": ("A test note", "A note of the test fixture.", "In 2024:", "Published", "Evolution", "Map", "Chart"),
    }  # fmt: skip
    for lang, (title, summary, lead, h1, h2, h3, caption) in texts.items():
        (folder / lang).mkdir(parents=True, exist_ok=True)
        (folder / lang / "fixture-note.md").write_text(
            NOTE.format(
                title=title, summary=summary, lead=lead, h1=h1, h2=h2, h3=h3, caption=caption
            ),
            encoding="utf-8",
        )
