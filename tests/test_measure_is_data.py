"""Issue 14, item 1: a measure is data. An invented measure added to the fast fixture's extract,
its metadata and a copy of the catalogue — and nothing else — is published like every other
measure: its page in four languages, its section on area pages, its columns in the downloads,
its series in the compare tool, its maps and charts. No code knows its code."""

from __future__ import annotations

import csv
import dataclasses
import gzip
import io
import json
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barometer import paths
from barometer.beneficiaries import BENEFICIARIES_WIDE, derive
from barometer.pipeline import build
from barometer.vocabulary import COUNT_COLUMNS, GROUPS
from tests import fixture
from tests.conftest import examples

CODE = "xyz"
"""The invented measure: a claim family of its own, without the household group."""
ENTRY = """
[[measure]]
code = "xyz"
right = "das"
family = "invented"
colour = "#123456"
stable_after = 2
groups = ["sex", "age", "nationality"]

[measure.name]
nl = "Uitgevonden hulp"
fr = "Aide inventée"
de = "Erfundene Hilfe"
en = "Invented aid"

[measure.slug]
nl = "uitgevonden-hulp"
fr = "aide-inventee"
de = "erfundene-hilfe"
en = "invented-aid"

[measure.legal_basis]
nl = "Geen"
fr = "Aucune"
de = "Keine"
en = "None"

[measure.definition]
nl = ["Een maatregel die alleen in deze test bestaat."]
fr = ["Une mesure qui n'existe que dans ce test."]
de = ["Eine Maßnahme, die nur in diesem Test existiert."]
en = ["A measure that exists only in this test."]
"""


def add_invented_measure(root: Path) -> None:
    """Rows of xyz (half of eris, household empty: not collected) in the current vintage, its
    labels and stable-after months in the metadata."""
    path = root / "data" / fixture.CURRENT / "extract.csv.gz"
    rows = list(csv.reader(io.StringIO(gzip.decompress(path.read_bytes()).decode())))
    header, body = rows[0], rows[1:]
    hh = [i for i, c in enumerate(header) if c.startswith("hh_")]
    extra = []
    for r in body:
        if r[0] != "eris":
            continue
        new = [CODE, *r[1:4]]
        if r[4]:
            total = int(r[4]) // 2
            new.append(str(total))
            for group in ("sex", "age", "nationality"):
                new += [str(v) for v in fixture._split(total, fixture.SHARES[group])]
            new += [""] * len(hh)
        else:
            new += [""] * (len(header) - 4)
        extra.append(new)
    body = sorted(body + extra, key=lambda r: (r[0], r[1], r[2]))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *body])
    path.write_bytes(gzip.compress(buf.getvalue().encode(), mtime=0))
    meta_path = root / "data" / fixture.CURRENT / "extract_meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["measures"][CODE] = {"nl": "X", "fr": "X", "de": "X", "en": "X"}
    meta["stable_after_months"][CODE] = 2
    meta["not_collected"] = {CODE: ["hh_cohabiting", "hh_single", "hh_family"]}
    meta_path.write_text(json.dumps(meta, indent=2), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("invented")
    cfg = fixture.write(root)
    add_invented_measure(root)
    catalogue = root / "measures.toml"
    catalogue.write_text(paths.MEASURES_TOML.read_text(encoding="utf-8") + ENTRY, "utf-8")
    build(dataclasses.replace(cfg, measures_toml=catalogue))
    return cfg.site_dir


def test_the_catalogue_copy_is_the_only_change():
    """The invented code appears in no file of the package or the templates."""
    for folder in (paths.PACKAGE, paths.ROOT / "templates"):
        for f in folder.rglob("*"):
            if f.is_file() and f.suffix in (".py", ".html", ".js", ".toml", ".css"):
                assert CODE not in f.read_text(encoding="utf-8", errors="ignore").split(), f


def test_an_invented_measure_is_published_like_the_others(site: Path):
    for lang, slug in (("nl", "uitgevonden-hulp"), ("fr", "aide-inventee"),
                       ("de", "erfundene-hilfe"), ("en", "invented-aid")):  # fmt: skip
        page = (site / lang / slug / "index.html").read_text(encoding="utf-8")
        assert (
            "Invented aid" in page
            or "inventée" in page
            or "Erfundene" in page
            or "Uitgevonden" in page
        )
    home = (site / "en/index.html").read_text(encoding="utf-8")
    assert "invented-aid/" in home  # listed under its right
    gent = (site / "en/municipality/44021-gent/index.html").read_text(encoding="utf-8")
    assert 'id="m-xyz"' in gent
    section = gent[gent.index('id="m-xyz"') :]
    assert "Age" in section and "Household category" not in section  # not collected
    assert (site / "charts/evo-44021-xyz.svg").is_file()
    assert (site / "charts/map-municipalities-xyz.svg").is_file()
    with gzip.open(site / "downloads/entities/44021.csv.gz", "rt", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert {"xyz_count", "xyz_per_1000", "xyz_flag"} <= set(header)
    with gzip.open(
        site / "downloads/entities/44021-breakdowns.csv.gz", "rt", encoding="utf-8"
    ) as fh:
        columns = next(csv.reader(fh))
    assert "xyz_age_lt25_count" in columns or any(
        c.startswith("xyz_") and "age" in c for c in columns
    )
    assert not any(c.startswith("xyz_") and "household" in c for c in columns)
    assert (site / "downloads/xyz.csv.gz").is_file()
    compare = json.loads((site / "data/compare.json").read_text(encoding="utf-8"))
    assert CODE in json.dumps(compare)
    package = json.loads((site / "downloads/datapackage.json").read_text(encoding="utf-8"))
    assert any("xyz" in r["path"] for r in package["resources"])


def test_the_fixture_catalogue_keeps_its_measures():
    """The project catalogue parses and the copy adds exactly one measure."""
    doc = tomllib.loads(paths.MEASURES_TOML.read_text(encoding="utf-8") + ENTRY)
    assert [m["code"] for m in doc["measure"]][-1] == CODE


# --- the catalogue's relations as properties --------------------------------------------------

cell = st.one_of(st.none(), st.integers(0, 50))


@settings(max_examples=examples(150), deadline=None)
@given(
    st.lists(st.tuples(cell, cell), min_size=1, max_size=12),
    st.sets(st.sampled_from(list(GROUPS)), min_size=1),
)
def test_a_derived_measure_is_the_cell_by_cell_sum_or_missing(pairs, groups):
    """For any counts (None = no claim) and any groups kept: the derived total is the sum of its
    components' where both are known and missing otherwise; a group it does not keep is empty."""
    rows = []
    for k, (a, b) in enumerate(pairs):
        for measure, v in (("a", a), ("b", b)):
            rows.append(
                {
                    "measure": measure,
                    "month": f"2026-{k % 12 + 1:02d}",
                    "municipality_2025": f"{11000 + k // 12:05d}",
                    **dict.fromkeys(COUNT_COLUMNS, v),
                }
            )
    wide = pd.DataFrame(rows)
    for c in COUNT_COLUMNS:
        wide[c] = wide[c].astype("Int64")
    wide = BENEFICIARIES_WIDE.conform(wide)
    out = derive(wide, {"ab": ("a", "b")}, {"ab": tuple(sorted(groups))})
    ab = out[out.measure == "ab"].reset_index(drop=True)
    assert len(ab) == len(pairs)
    kept = {c for g in groups for c in GROUPS[g]} | {"total"}
    for k, (a, b) in enumerate(pairs):
        r = ab[
            (ab.month == f"2026-{k % 12 + 1:02d}")
            & (ab.municipality_2025 == f"{11000 + k // 12:05d}")
        ].iloc[0]
        want = None if a is None or b is None else a + b
        for c in COUNT_COLUMNS:
            got = r[c]
            if c not in kept or want is None:
                assert pd.isna(got), (c, a, b)
            else:
                assert got == want, (c, a, b)


def test_a_derived_measure_needs_every_component():
    """An extract without empl_dis has no DIS (the fast fixture: ris and eris only)."""
    wide = BENEFICIARIES_WIDE.conform(
        pd.DataFrame(
            {
                "measure": ["ris"],
                "month": ["2026-01"],
                "municipality_2025": ["11002"],
                **{c: pd.array([3], dtype="Int64") for c in COUNT_COLUMNS},
            }
        )
    )
    assert derive(wide, {"dis": ("ris", "empl_dis")}, {"dis": tuple(GROUPS)}) is wide
