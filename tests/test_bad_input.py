"""Bad input never passes silently: `check` exits 2 with `FILE:LINE: COLUMN: expected …, found …`.

Each case writes its own malformed file into a small data directory (searched before the
snapshot), runs the real command line, and checks the exit code, the one-line message (file,
line, column) and that no traceback is shown.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from barometer.cli import main
from tests.conftest import SHARED

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<column>[^:]+): expected .+, found .+$")
EXTRACT = "pod_mi_synthetic/extract.csv.gz"


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
    line = edit_row(data, 4, month="2026-11")
    return "extract.csv.gz", line, "month"


def partly_empty_row(data: Path):
    line = edit_row(data, 9, nat_eu="")
    return "extract.csv.gz", line, "-"


def gpmi_above_ris(data: Path):
    lines = extract_lines(data)
    header = lines[0].split(",")
    i = next(k for k, line in enumerate(lines) if line.startswith("gpmi,2019-01,44021,"))
    f = lines[i].split(",")
    ris = next(line for line in lines if line.startswith("ris,2019-01,44021,")).split(",")
    bump = int(ris[4]) - int(f[4]) + 1
    for c in ("total", "sex_m", "age_lt25", "nat_be", "hh_single"):
        f[header.index(c)] = str(int(f[header.index(c)]) + bump)
    lines[i] = ",".join(f)
    write_extract(data, lines)
    return "extract.csv.gz", i + 1, "-"


def not_utf8(data: Path):
    dest = copy_from_snapshot(data, "population/brussels_population_1jan_2025_by_sex.csv")
    text = dest.read_text(encoding="utf-8").replace("Oudergem", "Auderghem-Ölé")
    dest.write_bytes(text.encode("latin-1"))
    return "brussels_population_1jan_2025_by_sex.csv", 3, "name_nl"


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


def population_missing_years(data: Path):
    """Without 1992-2018 in the long file, Wallonia has no denominator for the extract's first year."""
    dest = copy_from_snapshot(data, "population/statbel_population_1jan_1992-2021_by_sex_long.csv")
    lines = dest.read_text(encoding="utf-8").splitlines()
    keep = [lines[0]] + [line for line in lines[1:] if int(line[:4]) >= 2019]
    dest.write_text("\n".join(keep) + "\n", encoding="utf-8")
    return "statbel_population_1jan_1992-2021_by_sex_long.csv", 0, "year_1jan"


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
    p = data / "pod_mi_synthetic/extract_meta.json"
    p.write_text(
        p.read_text(encoding="utf-8").replace('"synthetic": true,', '"synthetic": true'),
        encoding="utf-8",
    )
    return "extract_meta.json", 3, "-"


def meta_bad_stable_months(data: Path):
    p = data / "pod_mi_synthetic/extract_meta.json"
    doc = json.loads(p.read_text(encoding="utf-8"))
    doc["stable_after_months"]["eris"] = "seven"
    p.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return "extract_meta.json", None, "stable_after_months.eris"


def population_sexes_do_not_add_up(data: Path):
    dest = copy_from_snapshot(data, "population/brussels_population_1jan_2025_by_sex.csv")
    lines = dest.read_text(encoding="utf-8").splitlines()
    f = lines[4].split(",")
    f[2] = str(int(f[2]) + 1)
    lines[4] = ",".join(f)
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "brussels_population_1jan_2025_by_sex.csv", 5, "total"


CASES: list[Callable[[Path], tuple[str, int | None, str]]] = [
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
    population_missing_years,
    sha256_mismatch,
    income_not_a_number,
    meta_bad_json,
    meta_bad_stable_months,
    population_sexes_do_not_add_up,
]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_bad_input_is_reported_in_one_line(case, small_data):
    file, line, column = case(small_data)
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


def test_the_small_data_directory_itself_is_valid(small_data):
    code, out = run_check(small_data)
    assert code == 0, "\n".join(out)
