"""Implausible but well-formed counts are warnings naming file and line; `--strict` stops on them.

Issue 13, item 4: a count above its municipality's population (a rate above 1000 per 1000) or a
month-on-month jump of more than ten times above 100 is never a silently published figure.
"""

from __future__ import annotations

import re

import pandas as pd
from click.testing import CliRunner

from barometer.cli import main
from barometer.plausibility import plausibility_warnings
from tests.test_bad_input import extract_lines, write_extract

WARNING = re.compile(r"^WARNING (?P<file>[^:]+):(?P<line>\d+): total: implausible (?P<what>\w+)")


def _raise(data, measure: str, month: str, code: str, to: int) -> int:
    """Set a row's total to ``to``, moving the breakdowns with it; return its line."""
    lines = extract_lines(data)
    header = lines[0].split(",")
    i = next(k for k, x in enumerate(lines) if x.startswith(f"{measure},{month},{code},"))
    f = lines[i].split(",")
    delta = to - int(f[header.index("total")])
    for c in ("total", "sex_m", "age_35_44", "nat_be", "hh_single"):
        f[header.index(c)] = str(int(f[header.index(c)]) + delta)
    lines[i] = ",".join(f)
    write_extract(data, lines)
    return i + 1


def _check(data, *extra, env=None):
    r = CliRunner().invoke(main, ["check", "--data", str(data), *extra], env=env)
    return r.exit_code, (r.stderr or r.output).splitlines()


def test_a_count_above_the_population_is_a_warning_and_strict_stops(small_data, tmp_path):
    # Bastogne (82039) had 20,940 inhabitants on 1 January 2025
    line = _raise(small_data, "ris", "2025-01", "82039", 25_000)
    code, out = _check(small_data, "--no-cache")
    assert code == 0, out
    hits = [m for m in map(WARNING.match, out) if m]
    count = [m for m in hits if m["what"] == "count"]
    assert len(count) == 1 and count[0]["file"].endswith("extract.csv.gz"), out
    assert int(count[0]["line"]) == line
    assert "20,940 inhabitants on 1 January 2025, a rate of 1,194 per 1000" in count[0].string
    code, out = _check(small_data, "--no-cache", "--strict")
    assert code == 1 and any("warning(s) in strict mode" in x for x in out), out
    # from the cache as well: the warnings are kept with the validated tables
    env = {"BAROMETER_CACHE_DIR": str(tmp_path / "cache")}
    first = _check(small_data, "--strict", env=env)
    again = _check(small_data, "--strict", env=env)
    assert any("(from cache)" in x or "from cache" in x for x in again[1]), again
    assert first[0] == again[0] == 1
    assert [x for x in again[1] if WARNING.match(x)] == [x for x in first[1] if WARNING.match(x)]


def test_a_jump_of_more_than_ten_times_is_a_warning(small_data):
    rows = {tuple(x.split(",")[:3]): x.split(",") for x in extract_lines(small_data)}
    # a municipality with a few dozen ris every month around the change (and a population far
    # above 450: the only warnings are jumps)
    row = next(
        f
        for (m, month, code), f in rows.items()
        if (m, month) == ("ris", "2024-12")
        and all(
            rows.get(("ris", mo, code), ["", "", "", "", ""])[4].isdigit()
            and 20 <= int(rows[("ris", mo, code)][4]) <= 40
            for mo in ("2024-12", "2025-01", "2025-02")
        )
    )
    line = _raise(small_data, "ris", "2025-01", row[2], 450)
    code, out = _check(small_data, "--no-cache", "--strict")
    assert code == 1, out
    jumps = [m for m in map(WARNING.match, out) if m and m["what"] == "jump"]
    # up in 2025-01 and down again in 2025-02: two lines, the first the raised row
    assert [int(m["line"]) for m in jumps][:1] == [line], out
    assert f"ris {row[2]} from {int(row[4]):,} in 2024-12 to 450 in 2025-01" in jumps[0].string


def test_the_real_extract_has_nothing_implausible(canon):
    """The snapshot passes (the largest month-on-month step is ×2.4, no rate near 1000)."""
    assert canon.warnings == ()


def test_the_rules_on_a_small_frame():
    raw = pd.DataFrame(
        {
            "measure": ["ris"] * 5,
            "month": ["2020-01", "2020-02", "2020-03", "2020-05", "2020-06"],
            "code": ["11001"] * 5,
            "total": pd.array([10, 101, 9, 5, 60], dtype="Int64"),
            "line": [2, 3, 4, 5, 6],
        }
    )
    pop = pd.DataFrame({"year": [2019], "code": ["11001"], "total": [100]})
    out = plausibility_warnings(raw, pop, "x.csv")
    # 101 > 100 inhabitants (2019, the latest earlier year); 10 → 101 and 101 → 9 are jumps of
    # more than ten times above 100; 5 → 60 is not above 100; 9 (March) → 5 (May) not consecutive
    assert [w.split(": ")[0] for w in out] == ["x.csv:3", "x.csv:3", "x.csv:4"]
    assert "above 1000" in out[0] and "jump" in out[1] and "from 101 in 2020-02 to 9" in out[2]
