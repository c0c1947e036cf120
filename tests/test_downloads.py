"""The downloads of the built site: every kind read with the defaults of its common readers,
checked against the indicator table, rebuilt into the table without loss, within budget.

The site is built once per test run (tests/conftest.py: built_site); its ``downloads/`` folder
is what ``build_downloads`` made.
"""

from __future__ import annotations

import csv
import gc
import gzip
import io
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
import python_calamine

from barometer.downloads import DECIMALS, SYNTHETIC_WARNING
from tests.conftest import pick

pytestmark = pytest.mark.xdist_group("site")

MB = 1_000_000
MEASURES = ("dis", "ris", "empl_dis", "gpmi", "spi", "das_fin", "eris", "empl_das", "dmh")
BUDGET_BYTES = 12 * MB * len(MEASURES)
"""All downloads: 12 MB a measure (nine measures: 77 MB in this snapshot since the per-area CSVs
are gzipped, 134 MB before; four measures once took 458 MB); see docs/architecture.md for the
projection."""
BUDGET_FILES = 2_000
"""Three files per area (totals, breakdowns, workbook) and 27 others."""
AREAS = ("01000", "02000", "04000", "21004", "44021", "63023")
"""Belgium and two regions (leading zeros), Brussels-City, Gent, Eupen."""


@pytest.fixture(scope="module")
def dl(built_site) -> Path:
    return built_site[0] / "downloads"


@pytest.fixture(scope="module")
def table(built_site) -> pd.DataFrame:
    return built_site[1].model.indicators.table


def _close(found, expected, indicator: str) -> bool:
    """A rounded download value against the unrounded table value."""
    if pd.isna(expected):
        return pd.isna(found)
    return abs(float(found) - float(expected)) <= 0.5 * 10 ** -DECIMALS[indicator] + 1e-9


def _table_value(table, code, measure, period, indicator, dimension="total", category="total"):
    row = pick(table, code, measure, period, indicator, dimension, category)
    return row.value, str(row.flag)


# --- every kind read with the readers' defaults ------------------------------------------------


def _csv_kinds(dl: Path) -> dict[str, Path]:
    kinds = {f"area {c}": dl / f"entities/{c}.csv.gz" for c in AREAS}
    kinds |= {f"area {c} breakdowns": dl / f"entities/{c}-breakdowns.csv.gz" for c in AREAS}
    for stem in ("barometer", "barometer-breakdowns", "ris", "eris-breakdowns"):
        kinds[stem] = dl / f"{stem}.csv.gz"
    kinds["areas"] = dl / "areas.csv"
    return kinds


def test_every_csv_reads_with_pandas_and_csv_defaults(dl):
    schemas = {
        k: json.loads((dl / f"schemas/{k}.json").read_text()) for k in ("totals", "breakdowns")
    }
    for kind, path in _csv_kinds(dl).items():
        frame = pd.read_csv(path)  # defaults only
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))  # defaults only
        assert rows[0] == list(frame.columns), kind
        assert all(len(r) == len(rows[0]) for r in rows), kind
        assert not rows[0][0].startswith("#"), kind
        # codes stay text with their leading zeros, in both readers
        assert frame.geo_id.map(type).eq(str).all(), kind
        assert frame.geo_id.str.fullmatch(r"BE\d{5}").all(), kind
        if kind == "areas":
            assert frame.geo_id.iloc[0] == rows[1][0] == "BE01000"
            continue
        layout = "breakdowns" if "breakdowns" in kind else "totals"
        names = [f["name"] for f in schemas[layout]["fields"]]
        assert set(frame.columns) <= set(names) and list(frame.columns[:6]) == names[:6], kind
        assert frame.year.dtype.kind == "i" and frame.month.dropna().between(1, 12).all(), kind
        assert set(frame.data_status) == {"synthetic"}, kind
        # the months after a measure's last stable one are provisional (totals only)
        statuses = {"stable"} if "breakdowns" in kind else {"stable", "provisional"}
        assert set(frame.status) == statuses, kind
        for c in frame.columns:
            if c.endswith(("_count", "_per_1000", "_share", "_change", "_ris", "_12m")):
                assert frame[c].dtype.kind == "f", (kind, c)  # numbers, never text
        if kind.startswith("area"):
            code = kind.split()[1]
            assert set(frame.geo_id) == {"BE" + code} and rows[1][0] == "BE" + code
    belgium = pd.read_csv(dl / "entities/01000.csv.gz")
    assert belgium.geo_id.iloc[0] == "BE01000"  # not 1000


def test_per_area_files_hold_the_indicator_tables_values(dl, table):
    gent = pd.read_csv(dl / "entities/44021.csv.gz")
    july = gent[(gent.year == 2026) & (gent.month == 8)].iloc[0]  # ris's last stable month
    for ind in ("count", "per_1000", "yoy_change", "growth_12m", "rank_region", "rank_country"):
        expected, flag = _table_value(table, "44021", "ris", "2026-08", ind)
        assert _close(july[f"ris_{ind}"], expected, ind), ind
    expected, flag = _table_value(table, "44021", "ris", "2026-08", "per_1000")
    assert flag == "" and pd.isna(july.ris_flag)  # the population of 2026 itself (issue 13)
    assert _close(
        july.gpmi_ratio_ris,
        _table_value(table, "44021", "gpmi", "2026-08", "ratio_ris")[0],
        "ratio_ris",
    )
    for ind in ("count", "per_1000"):  # DIS = ris + empl_dis, a measure like the others
        expected, _ = _table_value(table, "44021", "dis", "2026-08", ind)
        assert _close(july[f"dis_{ind}"], expected, ind), ind
    year = gent[(gent.period_type == "year") & (gent.year == 2026)].iloc[0]
    assert pd.isna(year.month)
    count, flag = _table_value(table, "44021", "ris", "2026", "count")
    assert _close(year.ris_count, count, "count") and flag == "months=8"
    assert year.ris_months == 8 and year.ris_flag.endswith("months=8")
    # eris is stable 3 months less far: its newest months are provisional (count and rate only)
    expected, flag = _table_value(table, "44021", "eris", "2026-08", "count")
    assert flag == "provisional" and _close(july.eris_count, expected, "count")
    assert july.eris_flag == "provisional" and pd.isna(july.eris_yoy_change)
    assert july.status == "provisional"  # a row is provisional when any of its values is
    brk = pd.read_csv(dl / "entities/44021-breakdowns.csv.gz")
    row = brk[(brk.year == 2026) & (brk.month == 8)].iloc[0]
    hidden = table[
        (table.geo_code == "44021")
        & (table.measure == "gpmi")
        & (table.period == "2026-08")
        & (table.indicator == "count")
        & table.flag.astype(str).str.contains("suppressed")
    ].iloc[0]
    dim, cat = str(hidden.dimension), str(hidden.category)
    for ind in ("count", "share"):
        assert pd.isna(row[f"gpmi_{dim}_{cat}_{ind}"])
        expected, _ = _table_value(table, "44021", "ris", "2026-08", ind, "sex", "f")
        assert _close(row[f"ris_sex_f_{ind}"], expected, ind)
    assert row.gpmi_flag == "suppressed" and pd.isna(row.ris_flag)
    # urgent medical aid has no household columns at all (not collected)
    assert any(c.startswith("dmh_age_") for c in brk.columns)
    assert not any(c.startswith("dmh_household") for c in brk.columns)
    assert not (dl / "entities/73028.csv.gz").exists()  # Herstappe: no figures, no files


def test_per_area_files_end_to_end_are_the_bulk_files(dl):
    """The per-area CSVs are cut out of the same text as the gzipped bulk files: without their
    headers, one after the other, they are the bulk file byte for byte."""
    for kind, suffix in (("barometer", ""), ("barometer-breakdowns", "-breakdowns")):
        bulk = gzip.decompress((dl / f"{kind}.csv.gz").read_bytes())
        head, _, body = bulk.partition(b"\n")
        parts = []
        for path in json.loads((dl / "datapackage.json").read_text())["resources"][
            0 if not suffix else 1
        ]["path"]:
            data = gzip.decompress((dl / path).read_bytes())
            assert data.startswith(head + b"\n"), path
            parts.append(data[len(head) + 1 :])
        assert b"".join(parts) == body, kind


def test_csv_and_parquet_bulk_files_agree(dl):
    """The Parquet files hold every measure; a reader takes one measure's columns of them, which
    are that measure's CSV."""
    for stem, measure in (
        ("barometer", None),
        ("barometer", "ris"),
        ("barometer-breakdowns", "spi"),
    ):
        text = pd.read_csv(
            dl / (f"{stem}.csv.gz" if measure is None else f"{measure}{stem[9:]}.csv.gz")
        )
        assert set(text.columns) <= set(pq.read_schema(dl / f"{stem}.parquet").names), stem
        typed = pq.read_table(dl / f"{stem}.parquet", columns=list(text.columns)).to_pandas()
        assert len(typed) == len(text), stem
        schema = pq.read_schema(dl / f"{stem}.parquet")
        assert str(schema.field("geo_id").type) == "string"
        assert str(schema.field("year").type) == "int16"
        for c in text.columns:
            if text[c].dtype.kind == "f":
                assert np.allclose(
                    text[c], typed[c].astype(float), equal_nan=True, rtol=0, atol=1e-12
                ), c
            else:
                assert (text[c].fillna("") == typed[c].fillna("")).all(), c
    ris = pd.read_csv(dl / "ris.csv.gz")
    assert not any(c.startswith(("eris_", "gpmi_", "spi_")) for c in ris.columns)


# --- nothing lost: the wide files rebuild the indicator table ----------------------------------

POPULATION = ("population_year", "population_years")
SCOPE = {
    "count": ("no_base", *POPULATION),
    "months": ("no_base", *POPULATION),
    "ratio_ris": POPULATION,
    "per_1000": ("no_base",),
    "rank_region": ("no_base",),
    "rank_country": ("no_base",),
}
"""Totals: the tokens of a measure's merged flag that do not concern an indicator (README)."""


class Flags:
    """Flag texts as sets of tokens, numbered (a few hundred distinct texts)."""

    def __init__(self) -> None:
        self.ids: dict[frozenset[str], int] = {}

    def id(self, tokens: frozenset[str]) -> int:
        return self.ids.setdefault(tokens, len(self.ids))

    @staticmethod
    def tokens(flag) -> frozenset[str]:
        return frozenset(t for t in str(flag).split(";") if t and t not in ("nan", "None"))

    def rebuild(self, merged: np.ndarray, rule) -> np.ndarray:  # noqa: ANN001
        """Apply ``rule(tokens, extra)`` to each distinct (merged flag, extra) pair."""
        texts, codes = np.unique(merged[0].astype(str), return_inverse=True)
        extra = merged[1].astype(np.int64)
        pairs, inverse = np.unique(codes * 2 + extra, return_inverse=True)
        ids = [self.id(rule(self.tokens(texts[p // 2]), bool(p % 2))) for p in pairs]
        return np.asarray(ids)[inverse]


def _drop(tokens: frozenset[str], names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(t for t in tokens if t.split("=")[0] not in names)


def test_wide_files_rebuild_every_value_and_flag_of_the_table(dl, table):
    """Every row of the indicator table is found in the wide files: its value (rounded) and
    its flag, read back with the rules the README states for the merged flag columns; and the
    wide files hold no value the table does not."""
    wide = {
        "total": pq.read_table(dl / "barometer.parquet").to_pandas(),
        "breakdown": pq.read_table(dl / "barometer-breakdowns.parquet").to_pandas(),
    }
    cats = {c: [str(x) for x in table[c].cat.categories] for c in ("geo_code", "period")}
    n_per = len(cats["period"])
    period_index = {p: i for i, p in enumerate(cats["period"])}
    rows_of = {}
    for part, frame in wide.items():
        month = frame.month.fillna(0).astype(int).astype(str).str.zfill(2)
        period = np.where(frame.month.isna(), "", "-" + month)
        period = frame.year.astype(str).to_numpy() + period
        geo = pd.Categorical(frame.geo_id.str[2:], categories=cats["geo_code"]).codes
        assert (geo >= 0).all()
        key = geo.astype(np.int64) * n_per + np.array([period_index[p] for p in period])
        lookup = np.full(len(cats["geo_code"]) * n_per, -1, dtype=np.int64)
        lookup[key] = np.arange(len(frame))
        rows_of[part] = lookup
    t_key = (
        table.geo_code.cat.codes.to_numpy().astype(np.int64) * n_per
        + table.period.cat.codes.to_numpy()
    )
    flags = Flags()
    table_flag = np.array([flags.id(Flags.tokens(f)) for f in table.flag.cat.categories])[
        table.flag.cat.codes.to_numpy()
    ]
    checked = 0
    groups = table.groupby(["measure", "indicator", "dimension", "category"], observed=True).indices
    for (m, ind, dim, cat), idx in groups.items():
        part = "total" if dim == "total" else "breakdown"
        frame = wide[part]
        row = rows_of[part][t_key[idx]]
        assert (row >= 0).all(), (m, ind, dim, cat)
        column = f"{m}_{ind}" if dim == "total" else f"{m}_{dim}_{cat}_{ind}"
        found = frame[column].to_numpy(dtype=float)[row]
        expected = table.value.to_numpy()[idx]
        both_nan = np.isnan(found) & np.isnan(expected)
        close = np.abs(found - expected) <= 0.5 * 10.0 ** -DECIMALS[ind] + 1e-9
        assert (both_nan | close).all(), column
        # the flag, rebuilt from the merged flag columns with the README's rules
        if dim == "total" and ind in ("yoy_change", "growth_12m"):
            merged = frame[f"{m}_change_flag"].to_numpy()[row]
            rebuilt = flags.rebuild((merged, np.zeros(len(row))), lambda t, _: t)
        elif dim == "total":
            merged = frame[f"{m}_flag"].to_numpy()[row]
            scope = SCOPE[ind]
            rebuilt = flags.rebuild((merged, np.zeros(len(row))), lambda t, _, s=scope: _drop(t, s))
        else:
            merged = frame[f"{m}_flag"].to_numpy()[row]
            empty = np.isnan(frame[f"{m}_{dim}_{cat}_count"].to_numpy(dtype=float)[row])
            other = ("suppressed", "no_base") if ind == "count" else ("suppressed",)

            def rule(t, count_empty, other=other):  # noqa: ANN001, ANN202
                kept = _drop(t, other)
                if "suppressed" in t and count_empty and "missing" not in t:
                    kept |= {"suppressed"}
                return kept

            rebuilt = flags.rebuild((merged, empty), rule)
        wrong = np.flatnonzero(rebuilt != table_flag[idx])
        names = {v: k for k, v in flags.ids.items()}
        assert not len(wrong), (
            column,
            [(names[rebuilt[i]], names[table_flag[idx][i]]) for i in wrong[:3]],
        )
        checked += len(idx)
    assert checked == len(table)
    # and no value beyond the table's
    published = int(table.value.notna().sum())
    in_files = sum(
        int(frame[[c for c in frame.columns if c.endswith(tuple(DECIMALS))]].notna().sum().sum())
        for frame in wide.values()
    )
    assert in_files == published


# --- workbooks --------------------------------------------------------------------------------


def test_workbooks_open_with_numbers_as_numbers_and_an_about_sheet(dl):
    for code in ("01000", "44021"):
        path = dl / f"entities/{code}.xlsx"
        book = openpyxl.load_workbook(path)
        assert book.sheetnames == ["About", "Totals", "Breakdowns"]
        about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True) if r[0]}
        assert about["Warning"] == SYNTHETIC_WARNING
        assert about["Vintage"] == "extract of 2026-12-01"
        assert "Statbel" in about["Licence"] and "EuroGeographics" in about["Licence"]
        assert any(k.startswith("Barometer of social integration: ") for k in about)
        assert "ris_per_1000" not in about and "<measure>_per_1000" in about
        assert "flag suppressed" in about and f"BE{code}" in about["Area"]
        calamine = python_calamine.CalamineWorkbook.from_path(str(path))
        for sheet, csv_path in (
            ("Totals", f"{code}.csv.gz"),
            ("Breakdowns", f"{code}-breakdowns.csv.gz"),
        ):
            frame = pd.read_csv(dl / "entities" / csv_path)
            ws = book[sheet]
            rows = list(ws.iter_rows(values_only=True))
            assert list(rows[0]) == list(frame.columns) and len(rows) == len(frame) + 1
            assert (
                ws.dimensions
                == f"A1:{openpyxl.utils.get_column_letter(len(frame.columns))}{len(frame) + 1}"
            )
            grid = calamine.get_sheet_by_name(sheet).to_python()
            assert grid[0] == list(frame.columns) and len(grid) == len(frame) + 1
            for i in (0, len(frame) // 2, len(frame) - 1):
                for j, c in enumerate(frame.columns):
                    want, got, cal = frame[c].iloc[i], rows[i + 1][j], grid[i + 1][j]
                    if pd.isna(want):
                        assert got is None and cal == "", (sheet, i, c)
                    elif isinstance(want, str):
                        assert got == want == cal, (sheet, i, c)
                    else:
                        assert isinstance(got, (int, float)) and not isinstance(got, bool)
                        assert got == pytest.approx(float(want)) == cal, (sheet, i, c)
        assert rows[1][0] == f"BE{code}"


def test_workbooks_are_the_same_bytes_for_the_same_inputs(dl, built_site, tmp_path):
    """Fixed zip dates and document date: a workbook made again is identical."""
    from barometer.xlsx import write_workbook

    with zipfile.ZipFile(dl / "entities/44021.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2026-12-01T00:00:00Z' in core
    about = [("Title", "", "title"), ("Area", "Gent", "")]
    from barometer.downloads import Layout, key_columns

    layout = Layout("totals", (), key_columns())
    rows = '<row r="2"><c r="A2" t="inlineStr"><is><t>BE44021</t></is></c><c><v>2026</v></c></row>'
    made = [
        write_workbook(
            about, [("Totals", layout.names, rows)], title="t", created="2026-11-02", warning=None
        )
        for _ in range(2)
    ]
    assert made[0] == made[1]
    (tmp_path / "x.xlsx").write_bytes(made[0])
    assert openpyxl.load_workbook(tmp_path / "x.xlsx")["Totals"]["B2"].value == 2026


# --- the data package ---------------------------------------------------------------------------


def _validate(path: Path):  # noqa: ANN202 - frictionless.Report
    import frictionless

    return frictionless.validate(str(path))


# frictionless 5 leaves the file of a gzipped resource open (closed when collected)
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_datapackage_is_small_and_valid_and_its_resources_validate(dl, tmp_path):
    import frictionless

    raw = (dl / "datapackage.json").read_bytes()
    assert len(raw) < 100_000  # one resource per kind of file, schemas by path
    package = json.loads(raw)
    assert package["title"].startswith("SYNTHETIC DATA")
    assert package["extract_date"] == "2026-12-01" and package["synthetic"] is True
    assert package["previous_vintage"] == "2026-11-02"
    # its own licence first (data: CC BY 4.0; code: MIT), then the inputs' licences
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and len(package["licenses"]) >= 3
    assert package["code_license"]["name"] == "MIT"
    report = frictionless.Package.validate_descriptor(str(dl / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    by_name = {r["name"]: r for r in package["resources"]}
    assert len(by_name["area-totals"]["path"]) == 621
    for r in package["resources"]:
        if "bytes" in r:
            assert (dl / r["path"]).stat().st_size == r["bytes"], r["name"]
    # a sample, validated row by row: three areas' parts, one measure's bulk files, the areas
    sample = []
    for r in package["resources"]:
        if isinstance(r["path"], list):
            sample.append(r | {"path": [p for p in r["path"] if p.split("/")[1][:5] in AREAS[2:5]]})
        elif r["name"] in ("gpmi-breakdowns-csv", "areas"):
            sample.append(r)
    for r in sample:
        for p in r["path"] if isinstance(r["path"], list) else [r["path"], r.get("schema")]:
            if isinstance(p, str):
                (tmp_path / p).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(dl / p, tmp_path / p)
    shutil.copytree(dl / "schemas", tmp_path / "schemas", dirs_exist_ok=True)
    (tmp_path / "datapackage.json").write_text(json.dumps(package | {"resources": sample}))
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])[
        :5
    ]
    assert sum(t.stats["rows"] for t in report.tasks) > 20_000
    # a broken part fails: a code without its prefix
    part = tmp_path / "entities/44021.csv.gz"
    text = gzip.decompress(part.read_bytes()).replace(b'"BE44021"', b'"44021"', 1)
    part.write_bytes(gzip.compress(text))
    broken = package | {"resources": [r for r in sample if r["name"] == "area-totals"]}
    (tmp_path / "datapackage.json").write_text(json.dumps(broken))
    assert not _validate(tmp_path / "datapackage.json").valid
    gc.collect()  # the files frictionless left open, while their warning is ignored


# --- budget ------------------------------------------------------------------------------------


def _sizes(dl: Path) -> dict[str, tuple[int, int]]:
    kinds: dict[str, list[int]] = {}
    for p in dl.rglob("*"):
        if p.is_file():
            name = p.relative_to(dl).as_posix()
            if name.startswith("entities/"):
                kind = "area " + (
                    "breakdowns csv"
                    if name.endswith("-breakdowns.csv.gz")
                    else "csv"
                    if name.endswith(".csv.gz")
                    else p.suffix[1:]
                )
            elif name.endswith(".parquet"):
                kind = "bulk parquet"
            elif name.endswith(".csv.gz"):
                kind = "bulk csv.gz"
            else:
                kind = "other"
            k = kinds.setdefault(kind, [0, 0])
            k[0] += 1
            k[1] += p.stat().st_size
    return {k: (n, b) for k, (n, b) in kinds.items()}


def test_downloads_within_budget(dl):
    """Bytes and file counts are deterministic: the budget is checked exactly, not timed."""
    sizes = _sizes(dl)
    total = sum(b for _, b in sizes.values())
    files = sum(n for n, _ in sizes.values())
    report = {k: (n, round(b / MB, 1)) for k, (n, b) in sorted(sizes.items())}
    assert total <= BUDGET_BYTES, report
    assert files <= BUDGET_FILES, report
    assert sizes["area csv"][0] == sizes["area xlsx"][0] == sizes["area breakdowns csv"][0] == 621
    assert sizes["bulk csv.gz"][0] == 2 * (1 + len(MEASURES))
    assert sizes["bulk parquet"][0] == 2  # every measure at once: a reader takes one's columns
    # no kind takes more than its share: per-area text (gzipped) at most a quarter, workbooks at
    # most 40 % (they are the files for spreadsheets; the text is for scripts)
    assert sizes["area csv"][1] + sizes["area breakdowns csv"][1] <= 0.25 * total, report
    assert sizes["area xlsx"][1] <= 0.4 * total, report


def test_bulk_file_names_keep_the_links_of_the_pages():
    from barometer import urls

    for m in MEASURES:
        assert urls.bulk_file(m, "totals", "csv") == urls.measure_csv(m) == f"downloads/{m}.csv.gz"
    assert urls.bulk_file(None, "breakdowns", "parquet") == "downloads/barometer-breakdowns.parquet"


def test_readme_explains_the_layout_and_the_warning(dl):
    text = (dl / "README.txt").read_text(encoding="utf-8")
    assert text.splitlines()[2] == SYNTHETIC_WARNING
    for term in (
        "geo_id",
        "period_type",
        "data_status",
        "<measure>_change_flag",
        "flag months=N",
        "areas.csv",
    ):
        assert term in text, term
    areas = pd.read_csv(io.StringIO((dl / "areas.csv").read_text(encoding="utf-8")))
    assert len(areas) == 622 and areas.geo_id.iloc[0] == "BE01000"
    gent = areas[areas.geo_id == "BE44021"].iloc[0]
    assert gent.geo_level == "municipality" and gent.province_id == "BE40000"
