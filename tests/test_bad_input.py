"""Bad input never passes silently: `check` exits 2 with `FILE:LINE: COLUMN: expected …, found …`.

Each case writes its own malformed file into a small data directory (searched before the
snapshot), runs the real command line, and checks the exit code, the one-line message (file,
line, column), that what was found is cut to a readable length, that a changed reference file
is also reported against its pinned sha256, and that no traceback is shown (issue 13).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from barometer import paths
from barometer.cli import main
from barometer.sources.registry import load_registry
from tests.conftest import SHARED

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<column>[^:]+): expected .+, found .+$")
EXTRACT = "pod_mi_synthetic_2026-12/extract.csv.gz"
META = "pod_mi_synthetic_2026-12/extract_meta.json"
WORKBOOK = "population/statbel_Population_par_commune_1992-2024.xlsx"
RECENT = "population/statbel_population_1jan_2022-2026_long.csv"
GEOJSON = "geo/belgium_municipalities_565_2025_derived.geojson"
TOTALS = "published_totals/ris_national_regional_provincial_totals.csv"
PINNED = {s.file for s in load_registry(paths.SOURCES_TOML) if s.sha256}


def run_check(data: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(
        main, ["check", "--data", str(data), "--no-cache"], catch_exceptions=False
    )
    return (
        result.exit_code,
        result.stderr.splitlines() if result.stderr else result.output.splitlines(),
    )


def extract_lines(data: Path) -> list[str]:
    with gzip.open(data / EXTRACT, "rt", encoding="utf-8") as fh:
        return fh.read().splitlines()


def write_extract(data: Path, lines: list[str]) -> None:
    with gzip.open(data / EXTRACT, "wt", encoding="utf-8", newline="") as fh:
        fh.write("\n".join(lines) + "\n")


def edit_row(data: Path, index: int, **cells: str) -> int:
    """Change cells of data row ``index`` (0-based) of the extract; return its line number."""
    lines = extract_lines(data)
    header = lines[0].split(",")
    fields = lines[index + 1].split(",")
    for k, v in cells.items():
        fields[header.index(k)] = v
    lines[index + 1] = ",".join(fields)
    write_extract(data, lines)
    return index + 2


def first_row(data: Path, measure: str, nonzero: bool = True) -> int:
    lines = extract_lines(data)
    for i, line in enumerate(lines[1:]):
        f = line.split(",")
        if f[0] == measure and f[4] not in ("", "0") and int(f[4]) > 20:
            return i
    raise AssertionError("no row found")


def copy_from_snapshot(data: Path, rel: str) -> Path:
    dest = data / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(SHARED / rel, dest)
    return dest


def edit_meta(data: Path, change: Callable[[dict], None]) -> None:
    p = data / META
    doc = json.loads(p.read_text(encoding="utf-8"))
    change(doc)
    p.write_text(json.dumps(doc, indent=2), encoding="utf-8")


def meta_line(data: Path, key: str) -> int:
    text = (data / META).read_text(encoding="utf-8")
    return text[: text.index(f'"{key}"')].count("\n") + 1


def write_workbook(data: Path, edit: Callable[[str, list[list]], None] | None = None) -> Path:
    """A copy of the population workbook with its sheets 2019-2024 (enough for the small
    extract), each passed through ``edit(sheet name, rows)`` before it is written."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    src = CalamineWorkbook.from_path(str(SHARED / WORKBOOK))
    out = openpyxl.Workbook(write_only=True)
    for name in src.sheet_names[:6]:  # Population en 2024 … 2019
        rows = src.get_sheet_by_name(name).to_python()
        if edit is not None:
            edit(name, rows)
        sheet = out.create_sheet(name)
        for row in rows:
            sheet.append(row)
    dest = data / WORKBOOK
    dest.parent.mkdir(parents=True, exist_ok=True)
    out.save(dest)
    return dest


def recent_lines(data: Path) -> list[str]:
    return copy_from_snapshot(data, RECENT).read_text(encoding="utf-8").splitlines()


def write_recent(data: Path, lines: list[str]) -> None:
    (data / RECENT).write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- the cases: each returns (file name suffix, line, column) that the message must name ---------


def truncated_gzip(data: Path):
    raw = (data / EXTRACT).read_bytes()
    (data / EXTRACT).write_bytes(raw[: len(raw) // 2])
    return "extract.csv.gz", None, "-"


def missing_column(data: Path):
    lines = [
        ",".join(f for j, f in enumerate(line.split(",")) if j != 6) for line in extract_lines(data)
    ]
    write_extract(data, lines)
    return "extract.csv.gz", 1, "sex_f"


def extra_column(data: Path):
    lines = extract_lines(data)
    lines = [lines[0] + ",note"] + [line + "," for line in lines[1:]]
    write_extract(data, lines)
    return "extract.csv.gz", 1, "note"


def breakdown_not_summing(data: Path):
    i = first_row(data, "ris")
    f = extract_lines(data)[i + 1].split(",")
    line = edit_row(data, i, sex_f=str(int(f[6]) + 1))
    return "extract.csv.gz", line, "sex_f"


def negative_count(data: Path):
    line = edit_row(data, first_row(data, "eris"), total="-3")
    return "extract.csv.gz", line, "total"


def non_integer_count(data: Path):
    line = edit_row(data, first_row(data, "ris"), age_lt25="3.5")
    return "extract.csv.gz", line, "age_lt25"


def unknown_code(data: Path):
    line = edit_row(data, 5, nis="99999")
    return "extract.csv.gz", line, "nis"


def malformed_code(data: Path):
    line = edit_row(data, 7, nis="1102")
    return "extract.csv.gz", line, "nis"


def code_not_valid_in_month(data: Path):
    # Borsbeek (11007) ended on 31/12/2024: a 2025-01 row for it is wrong
    lines = extract_lines(data)
    i = next(k for k, line in enumerate(lines) if ",2025-01,11001," in line)
    lines[i] = lines[i].replace(",2025-01,11001,", ",2025-01,11007,")
    write_extract(data, lines)
    return "extract.csv.gz", i + 1, "nis"


def duplicate_key(data: Path):
    lines = extract_lines(data)
    lines.insert(11, lines[10])
    write_extract(data, lines)
    return "extract.csv.gz", 12, "nis"


def month_outside_extract(data: Path):
    line = edit_row(data, 3, month="2004-12")
    return "extract.csv.gz", line, "month"


def month_after_extract_date(data: Path):
    line = edit_row(data, 4, month="2026-12")
    return "extract.csv.gz", line, "month"


def partly_empty_row(data: Path):
    line = edit_row(data, 9, nat_eu="")
    return "extract.csv.gz", line, "-"


def gpmi_above_ris(data: Path):
    lines = extract_lines(data)
    header = lines[0].split(",")
    i = next(k for k, line in enumerate(lines) if line.startswith("gpmi,2025-01,44021,"))
    f = lines[i].split(",")
    ris = next(line for line in lines if line.startswith("ris,2025-01,44021,")).split(",")
    bump = int(ris[4]) - int(f[4]) + 1
    for c in ("total", "sex_m", "age_lt25", "nat_be", "hh_single"):
        f[header.index(c)] = str(int(f[header.index(c)]) + bump)
    lines[i] = ",".join(f)
    write_extract(data, lines)
    return "extract.csv.gz", i + 1, "-"


def not_utf8(data: Path):
    lines = recent_lines(data)
    i = next(k for k, line in enumerate(lines) if ",Auderghem," in line)
    lines[i] = lines[i].replace("Auderghem", "Auderghem-Ölé")
    (data / RECENT).write_bytes(
        "".join(x + "\n" for x in lines[:i]).encode()
        + (lines[i] + "\n").encode("latin-1")  # one line written by a Latin-1 tool
        + "".join(x + "\n" for x in lines[i + 1 :]).encode()
    )
    return "statbel_population_1jan_2022-2026_long.csv", i + 1, "name_fr"


def empty_file(data: Path):
    dest = data / "published_totals/ris_national_regional_provincial_totals.csv"
    dest.parent.mkdir(parents=True)
    dest.write_bytes(b"")
    return "ris_national_regional_provincial_totals.csv", 0, "-"


def geojson_missing_municipality(data: Path):
    src = json.loads(
        (SHARED / "geo/belgium_municipalities_565_2025_derived.geojson").read_text(encoding="utf-8")
    )
    src["features"] = [f for f in src["features"] if f["properties"]["nis"] != "44021"]
    (data / "geo").mkdir()
    (data / "geo/belgium_municipalities_565_2025_derived.geojson").write_text(
        json.dumps(src), encoding="utf-8"
    )
    return "belgium_municipalities_565_2025_derived.geojson", 1, "features"


def sha256_mismatch(data: Path):
    dest = copy_from_snapshot(data, "refnis/merger_2019_old_to_new_nis.csv")
    dest.write_text(
        dest.read_text(encoding="utf-8").replace("Puurs-Sint-Amands", "Puurs-St-Amands"),
        encoding="utf-8",
    )
    return "sources.toml", None, "sha256"


def income_not_a_number(data: Path):
    df = pd.read_excel(
        SHARED / "income/TF_PSNL_INC_TAX_MUNTY_2005-2020.xlsx", engine="calamine", dtype=str
    )
    df.loc[10, "MS_TOT_NET_TAXABLE_INC"] = "n/a"
    (data / "income").mkdir()
    df.to_excel(
        data / "income/TF_PSNL_INC_TAX_MUNTY_2005-2020.xlsx",
        index=False,
        sheet_name="TF_PSNL_INC_TAX_MUNTY",
    )
    return "TF_PSNL_INC_TAX_MUNTY_2005-2020.xlsx", 12, "MS_TOT_NET_TAXABLE_INC"


def meta_bad_json(data: Path):
    p = data / META
    p.write_text(
        p.read_text(encoding="utf-8").replace('"synthetic": true,', '"synthetic": true'),
        encoding="utf-8",
    )
    return "extract_meta.json", 3, "-"


def meta_bad_stable_months(data: Path):
    p = data / META
    doc = json.loads(p.read_text(encoding="utf-8"))
    doc["stable_after_months"]["eris"] = "seven"
    p.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return "extract_meta.json", None, "stable_after_months.eris"


def population_sexes_do_not_add_up(data: Path):
    lines = recent_lines(data)
    f = lines[4].split(",")
    f[4] = str(int(f[4]) + 1)  # male
    lines[4] = ",".join(f)
    write_recent(data, lines)
    return "statbel_population_1jan_2022-2026_long.csv", 5, "total"


# --- item 2: the extract is complete or refused ---------------------------------------------------


def missing_row(data: Path):
    lines = extract_lines(data)
    del lines[100]
    write_extract(data, lines)
    return "extract.csv.gz", 0, "nis"


def missing_month(data: Path):
    lines = [x for x in extract_lines(data) if not x.startswith("eris,2024-12,")]
    write_extract(data, lines)
    return "extract.csv.gz", 0, "month"


def missing_measure(data: Path):
    lines = [x for x in extract_lines(data) if not x.startswith("spi,")]
    write_extract(data, lines)
    return "extract.csv.gz", 0, "measure"


# --- item 3: the metadata cannot change the contract ------------------------------------------------


def meta_unknown_measure(data: Path):
    def change(doc: dict) -> None:
        doc["measures"]["xyz"] = dict.fromkeys(("nl", "fr", "de", "en"), "X")
        doc["stable_after_months"]["xyz"] = 4

    edit_meta(data, change)
    return "extract_meta.json", meta_line(data, "xyz"), "measures.xyz"


def meta_stable_months_out_of_range(data: Path):
    edit_meta(data, lambda doc: doc["stable_after_months"].update(eris=40))
    return "extract_meta.json", meta_line(data, "stable_after_months"), "stable_after_months.eris"


def meta_not_a_calendar_date(data: Path):
    edit_meta(data, lambda doc: doc.update(extract_date="2026-02-30"))
    return "extract_meta.json", meta_line(data, "extract_date"), "extract_date"


def meta_boolean_as_text(data: Path):
    edit_meta(data, lambda doc: doc.update(synthetic="true"))
    return "extract_meta.json", meta_line(data, "synthetic"), "synthetic"


def meta_unknown_key(data: Path):
    edit_meta(data, lambda doc: doc.update(skip_checks=True))
    return "extract_meta.json", meta_line(data, "skip_checks"), "skip_checks"


def meta_date_after_the_extract(data: Path):
    edit_meta(data, lambda doc: doc.update(previous_vintage="2027-01-01"))
    return "extract_meta.json", meta_line(data, "previous_vintage"), "previous_vintage"


def meta_key_twice(data: Path):
    p = data / META
    text = p.read_text(encoding="utf-8").replace(
        '"synthetic": true,', '"synthetic": true,\n  "synthetic": false,'
    )
    p.write_text(text, encoding="utf-8")
    return "extract_meta.json", 3, "synthetic"


def meta_deeply_nested(data: Path):
    edit_meta(data, lambda doc: doc.update(publisher=[]))
    p = data / META
    p.write_text(
        p.read_text(encoding="utf-8").replace('"publisher": []', '"publisher": ' + "[" * 50_000),
        encoding="utf-8",
    )
    return "extract_meta.json", meta_line(data, "publisher"), "-"


def meta_huge_number(data: Path):
    edit_meta(data, lambda doc: doc["stable_after_months"].update(ris=0))
    p = data / META
    text = p.read_text(encoding="utf-8").replace('"ris": 0', '"ris": ' + "9" * 5000)
    p.write_text(text, encoding="utf-8")
    return "extract_meta.json", None, "-"


# --- item 5: bounded reading --------------------------------------------------------------------


def bomb(head: bytes, megabytes: int = 500) -> bytes:
    """gzip of ``head`` then ``megabytes`` MB of zeros in ~1 KB per MB (one member per MB:
    a reader must inflate every member of a gzip file, and these cost nothing to make)."""
    zeros = gzip.compress(b"0" * (1 << 20), compresslevel=9)
    return gzip.compress(head) + zeros * megabytes


def gzip_bomb(data: Path):
    """~500 KB of gzip that would inflate to 500 MB: refused after at most 100× its size."""
    head = ("\n".join(extract_lines(data)[:3]) + "\n").encode()
    (data / EXTRACT).write_bytes(bomb(head))
    return "extract.csv.gz", None, "-", "gzip data that inflates to at most"


def workbook_bomb(data: Path):
    """A 'workbook' whose archive declares far more than 100× its size."""
    dest = data / WORKBOOK
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z, z.open("xl/x.xml", "w") as fh:
        for _ in range(20):
            fh.write(b"\0" * (1 << 20))
    return "statbel_Population_par_commune_1992-2024.xlsx", 0, "-", "a workbook that inflates"


def huge_file(data: Path):
    """A (sparse) file of over 1 GiB is refused before it is read."""
    dest = data / TOTALS
    dest.parent.mkdir(parents=True)
    with dest.open("wb") as fh:
        fh.truncate((1 << 30) + 1)
    return "ris_national_regional_provincial_totals.csv", 0, "-"


def very_long_value(data: Path):
    line = edit_row(data, 12, nis="1" * 5000)
    return "extract.csv.gz", line, "nis"


# --- item 6: no internal error on malformed files ----------------------------------------------


def cr_only_line_ends(data: Path):
    dest = copy_from_snapshot(data, TOTALS)
    dest.write_bytes(dest.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    return "ris_national_regional_provincial_totals.csv", 1, "-"


def digits_outside_ascii(data: Path):
    line = edit_row(data, first_row(data, "ris"), age_55_64="\u0663")  # Arabic-Indic three
    return "extract.csv.gz", line, "age_55_64"


def count_beyond_64_bits(data: Path):
    line = edit_row(data, first_row(data, "eris"), total="99999999999999999999999")
    return "extract.csv.gz", line, "total"


def quoted_line_break(data: Path):
    dest = copy_from_snapshot(data, TOTALS)
    lines = dest.read_text(encoding="utf-8").splitlines()
    f = lines[6].split(",")
    f[-1] = '"a note\nover two lines"'
    lines[6] = ",".join(f)
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "ris_national_regional_provincial_totals.csv", 7, "-"


def _geojson(data: Path, change: Callable[[list], None]) -> None:
    doc = json.loads((SHARED / GEOJSON).read_text(encoding="utf-8"))
    change(doc["features"])
    (data / "geo").mkdir()
    # one feature per line, as a pretty-printing tool would write it
    features = ",\n".join(json.dumps(f) for f in doc["features"])
    (data / GEOJSON).write_text(
        '{"type": "FeatureCollection", "features": [\n' + features + "\n]}\n", encoding="utf-8"
    )


def geojson_null_feature(data: Path):
    _geojson(data, lambda fs: fs.__setitem__(3, None))
    return "belgium_municipalities_565_2025_derived.geojson", 5, "features[3]"


def geojson_properties_a_list(data: Path):
    _geojson(data, lambda fs: fs[4].__setitem__("properties", ["nis", "11005"]))
    return "belgium_municipalities_565_2025_derived.geojson", 6, "features[4].properties"


def geojson_geometry_a_string(data: Path):
    _geojson(data, lambda fs: fs[7].__setitem__("geometry", "POLYGON ((0 0, 1 0, 1 1, 0 0))"))
    return "belgium_municipalities_565_2025_derived.geojson", 9, "features[7].geometry"


def geojson_deeply_nested(data: Path):
    _geojson(data, lambda fs: fs[2]["geometry"].__setitem__("coordinates", "DEEP"))
    p = data / GEOJSON
    p.write_text(p.read_text(encoding="utf-8").replace('"DEEP"', "[" * 100_000), "utf-8")
    return "belgium_municipalities_565_2025_derived.geojson", 4, "-"


# --- population ---------------------------------------------------------------------------------


def population_year_incomplete(data: Path):
    lines = recent_lines(data)
    i = next(k for k, line in enumerate(lines) if line.startswith("2025,2025-01-01,82039,"))
    del lines[i]
    write_recent(data, lines)
    return "statbel_population_1jan_2022-2026_long.csv", 0, "nis_code"


def population_sources_disagree(data: Path):
    lines = recent_lines(data)
    i = next(k for k, line in enumerate(lines) if line.startswith("2023,2023-01-01,62063,"))
    f = lines[i].split(",")
    f[4], f[6] = str(int(f[4]) + 7), str(int(f[6]) + 7)  # male and total
    lines[i] = ",".join(f)
    write_recent(data, lines)
    return "statbel_population_1jan_2022-2026_long.csv", i + 1, "total"


def population_digits_outside_ascii(data: Path):
    lines = recent_lines(data)
    lines[20] = lines[20].replace(",2022-01-01,", ",\uff12\uff10\uff12\uff12-01-01,")
    write_recent(data, lines)
    return "statbel_population_1jan_2022-2026_long.csv", 21, "ref_date"


def workbook_code_as_number(data: Path):
    def edit(sheet: str, rows: list[list]) -> None:
        if sheet == "Population en 2023":
            rows[20][0] = float(rows[20][0])

    write_workbook(data, edit)
    return "statbel_Population_par_commune_1992-2024.xlsx", 21, "Population en 2023/Code INS"


def workbook_text_for_a_number(data: Path):
    def edit(sheet: str, rows: list[list]) -> None:
        if sheet == "Population en 2022":
            rows[30][4] = "12 345"

    write_workbook(data, edit)
    return "statbel_Population_par_commune_1992-2024.xlsx", 31, "Population en 2022/Total"


def workbook_sum_differs(data: Path):
    def edit(sheet: str, rows: list[list]) -> None:
        if sheet == "Population en 2021":
            rows[40][2] += 5  # men, and the total with it: the arrondissement no longer adds up
            rows[40][4] += 5

    write_workbook(data, edit)
    return "statbel_Population_par_commune_1992-2024.xlsx", None, "Population en 2021/Total"


def workbook_year_missing(data: Path):
    def edit(sheet: str, rows: list[list]) -> None:
        if sheet == "Population en 2021":
            rows[0][0] = rows[0][0].replace("2021", "2012")

    write_workbook(data, edit)
    return "statbel_Population_par_commune_1992-2024.xlsx", 1, "Population en 2021/A"


def workbook_not_a_workbook(data: Path):
    dest = data / WORKBOOK
    dest.parent.mkdir(parents=True)
    dest.write_text("NIS code;Total\n11001;14000\n", encoding="utf-8")
    return "statbel_Population_par_commune_1992-2024.xlsx", 0, "-"


# --- issue 14: measures are the catalogue's ------------------------------------------------------


def dmh_household_filled(data: Path):
    """Urgent medical aid has no household group: a filled hh_* cell is refused."""
    i = first_row(data, "dmh")
    total = extract_lines(data)[i + 1].split(",")[4]
    line = edit_row(data, i, hh_single=total)
    return "extract.csv.gz", line, "hh_single", "not collected for dmh"


def derived_code_in_extract(data: Path):
    """dis = ris + empl_dis is computed by the barometer: an extract row of it is refused."""
    line = edit_row(data, first_row(data, "empl_dis"), measure="dis")
    return "extract.csv.gz", line, "measure", "derived"


def measure_not_in_catalogue(data: Path):
    """A measure neither the metadata nor the catalogue knows."""
    line = edit_row(data, first_row(data, "eris"), measure="rsv")
    return "extract.csv.gz", line, "measure", "rsv"


def meta_names_a_derived_measure(data: Path):
    labels = {"nl": "DIS", "fr": "DIS", "de": "DIS", "en": "DIS"}
    edit_meta(data, lambda d: d["measures"].update(das_fin=labels))
    return "extract_meta.json", meta_line(data, "das_fin"), "measures.das_fin", "derived"


def previous_vintage_is_another(data: Path):
    """The previous vintage's extract date must be the one the current metadata names."""
    p = data / "pod_mi_synthetic/extract_meta.json"
    doc = json.loads(p.read_text(encoding="utf-8"))
    doc["extract_date"] = "2026-10-01"
    p.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return "pod_mi_synthetic/extract_meta.json", 1, "extract_date", "2026-11-02"


CASES: list[Callable[[Path], tuple]] = [
    truncated_gzip,
    missing_column,
    extra_column,
    breakdown_not_summing,
    negative_count,
    non_integer_count,
    unknown_code,
    malformed_code,
    code_not_valid_in_month,
    duplicate_key,
    month_outside_extract,
    month_after_extract_date,
    partly_empty_row,
    gpmi_above_ris,
    not_utf8,
    empty_file,
    geojson_missing_municipality,
    sha256_mismatch,
    income_not_a_number,
    meta_bad_json,
    meta_bad_stable_months,
    population_sexes_do_not_add_up,
    # item 2
    missing_row,
    missing_month,
    missing_measure,
    # item 3
    meta_unknown_measure,
    meta_stable_months_out_of_range,
    meta_not_a_calendar_date,
    meta_boolean_as_text,
    meta_unknown_key,
    meta_date_after_the_extract,
    meta_key_twice,
    meta_deeply_nested,
    meta_huge_number,
    # item 5
    gzip_bomb,
    workbook_bomb,
    huge_file,
    very_long_value,
    # item 6
    cr_only_line_ends,
    digits_outside_ascii,
    count_beyond_64_bits,
    quoted_line_break,
    geojson_null_feature,
    geojson_properties_a_list,
    geojson_geometry_a_string,
    geojson_deeply_nested,
    # population
    population_year_incomplete,
    population_sources_disagree,
    population_digits_outside_ascii,
    workbook_code_as_number,
    workbook_text_for_a_number,
    workbook_sum_differs,
    workbook_year_missing,
    workbook_not_a_workbook,
    # issue 14
    dmh_household_filled,
    derived_code_in_extract,
    measure_not_in_catalogue,
    meta_names_a_derived_measure,
    previous_vintage_is_another,
]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_bad_input_is_reported_in_one_line(case, small_data):
    file, line, column, *contains = case(small_data)
    code, out = run_check(small_data)
    text = "\n".join(out)
    assert code == 2, text
    assert "Traceback" not in text
    assert out[-1].startswith("error: ") and "nothing was written" in out[-1]
    problems = [LINE.match(x) for x in out[:-1]]
    assert problems and all(problems), text
    hits = [m for m in problems if m["file"].endswith(file) and m["column"] == column]
    assert hits, f"no problem naming {file} / {column}:\n{text}"
    if line is not None:
        assert any(int(m["line"]) == line for m in hits), text
    for words in contains:  # what the message must say, where file, line and column are not enough
        assert any(words in m.string for m in hits), text
    for x in out[:-1]:  # what was found is cut to a readable length (item 5)
        assert len(x.rsplit(", found ", 1)[1]) <= 80, x
    # a changed reference file is also named against its pinned sha256 (item 6)
    changed = {rel for rel in PINNED if (small_data / rel).is_file()}
    for rel in changed:
        assert any(
            m["file"].endswith("sources.toml") and m["column"] == "sha256" and rel in m.string
            for m in problems
        ), f"no sha256 line for {rel}:\n{text}"


def test_the_small_data_directory_itself_is_valid(small_data):
    code, out = run_check(small_data)
    assert code == 0, "\n".join(out)


def test_a_gzip_bomb_is_refused_in_seconds_and_little_memory(tmp_path):
    """500 KB that would inflate to 500 MB: refused within the bounds, measured in a process of
    its own (the child's peak resident memory, VmHWM: Linux carries ``ru_maxrss`` across exec,
    so a child of a big test worker would report the worker's peak; wall time)."""
    import subprocess
    import sys
    import time

    path = tmp_path / "extract.csv.gz"
    path.write_bytes(bomb(b"measure,month\n"))
    assert len(path.read_bytes()) < 600_000
    code = (
        "import re, sys\n"
        "from pathlib import Path\n"
        "from barometer.errors import DataError\n"
        "from barometer.sources.textio import read_bytes\n"
        "try:\n"
        f"    read_bytes(Path({str(path)!r}))\n"
        "except DataError as exc:\n"
        "    print(exc)\n"
        "    status = Path('/proc/self/status').read_text()\n"
        "    print(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\n"  # the child's own peak
        "    sys.exit(2)\n"
    )
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    seconds = time.perf_counter() - t0
    assert done.returncode == 2, done.stderr
    message, peak_kb = done.stdout.strip().rsplit("\n", 1)
    peak_mb = int(peak_kb) / 1024
    assert "extract.csv.gz" in message and "gzip data that inflates to at most" in message
    assert seconds < 10, seconds
    assert peak_mb < 500, peak_mb
