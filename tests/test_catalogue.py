"""The measure catalogue (data/measures.toml): read whole and right, or refused line by line."""

from __future__ import annotations

import pytest

from barometer import paths
from barometer.catalogue import load_catalogue
from barometer.errors import DataError

RIGHT = """
[[right]]
code = "dis"

[right.name]
nl = "N"
fr = "F"
de = "D"
en = "E"

[right.definition]
nl = ["n"]
fr = ["f"]
de = ["d"]
en = ["e"]
"""
ENTRY = """
[[measure]]
code = "{code}"
right = "dis"
family = "ri"
colour = "#0b3c8c"
{extra}
[measure.name]
nl = "N"
fr = "F"
de = "D"
en = "E"

[measure.slug]
nl = "{slug}"
fr = "{slug}"
de = "{slug}"
en = "{slug}"

[measure.legal_basis]
nl = "L"
fr = "L"
de = "L"
en = "L"

[measure.definition]
nl = ["n"]
fr = ["f"]
de = ["d"]
en = ["e"]
"""


def entry(code: str, slug: str, extra: str = "") -> str:
    return ENTRY.format(code=code, slug=slug, extra=extra)


def catalogue_text(*entries: str) -> str:
    """A catalogue file: the right, then the measures."""
    return RIGHT + "".join(entries)


def test_the_project_catalogue():
    cat = load_catalogue(paths.MEASURES_TOML)
    assert cat.codes == (
        "dis",
        "ris",
        "empl_dis",
        "gpmi",
        "spi",
        "das_fin",
        "eris",
        "empl_das",
        "dmh",
    )
    assert cat.reported == ("ris", "empl_dis", "gpmi", "spi", "eris", "empl_das", "dmh")
    assert cat.derived() == {"dis": ("ris", "empl_dis"), "das_fin": ("eris", "empl_das")}
    assert cat.not_collected() == {"dmh": ("household",)}
    assert [(r.code, [m.code for m in ms]) for r, ms in cat.by_right()] == [
        ("dis", ["dis", "ris", "empl_dis", "gpmi", "spi"]),
        ("das", ["das_fin", "eris", "empl_das", "dmh"]),
    ]
    assert cat.headline.code == "ris"
    assert cat.subsets() == {"gpmi": "ris", "spi": "ris"}
    assert cat.get("dmh").stable_after == 9 and cat.get("dmh").family == "medical"
    assert "60 §7" in cat.get("empl_das").legal_basis["fr"]
    ris = cat.get("ris")
    assert ris.name["nl"] == "Leefloon" and ris.slug["fr"] == "revenu-integration"
    assert len(ris.definition["de"]) == 2


def test_a_measure_is_data(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(
        catalogue_text(
            entry("ris", "a", "headline = true"),
            entry("new_one", "b", 'subset_of = "ris"'),
            entry("both", "c", 'components = ["ris", "new_one"]\ngroups = ["sex", "age"]'),
        )
    )
    cat = load_catalogue(path)
    assert cat.codes == ("ris", "new_one", "both") and cat.subsets() == {"new_one": "ris"}
    assert cat.derived() == {"both": ("ris", "new_one")} and cat.reported == ("ris", "new_one")
    assert cat.not_collected() == {"both": ("nationality", "household")}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (entry("ris", "a") , "headline: expected exactly one measure with headline = true, found []"),
        (entry("ris", "a", "headline = true") + entry("ris", "b"), "code: expected each code once, found 'ris' again"),
        (entry("ris", "a", "headline = true") + entry("x", "a"), "x.slug.nl: expected a URL word of its own, found that of ris"),
        (entry("ris", "data", "headline = true"), "ris.slug.nl: expected a URL word no other page uses, found data"),
        (entry("ris", "Bad Slug", "headline = true"), "ris.slug.nl: expected lower-case letters, digits and single hyphens"),
        (entry("Ris", "a", "headline = true"), "code: expected a lower-case code like ris or empl_dis, found 'Ris'"),
        (entry("ris", "a", 'headline = true\nsubset_of = "nope"'), "ris.subset_of: expected another measure's code, found nope"),
        (entry("ris", "a", 'headline = "yes"'), "ris.headline: expected true or false, found 'yes'"),
        (entry("ris", "a", "headline = true\nshade = 3"), "shade: expected only the keys"),
        (entry("ris", "a", "headline = true\nstable_after = 40"), "ris.stable_after: expected a whole number of months from 0 to 24"),
        (entry("ris", "a", 'headline = true\ngroups = ["sex", "income"]'), "ris.groups: expected a list of breakdown groups"),
        (entry("ris", "a", "headline = true") + entry("x", "b", 'components = ["ris", "nope"]'), "x.components: expected codes of reported measures, found nope"),
        (entry("ris", "a", 'headline = true').replace('right = "dis"', 'right = "other"'), "ris.right: expected the code of a [[right]], found other"),
        ("[[measure]]\ncode = ", "expected valid UTF-8 TOML"),
    ],
)  # fmt: skip
def test_a_wrong_catalogue_is_refused_line_by_line(tmp_path, text, message):
    path = tmp_path / "measures.toml"
    path.write_text(
        text if text.startswith("[[measure]]\ncode = \n") else RIGHT + text, encoding="utf-8"
    )
    with pytest.raises(DataError) as err:
        load_catalogue(path)
    lines = str(err.value).splitlines()
    assert any(message in line for line in lines), lines
    assert all(line.startswith(f"{path}:") for line in lines), lines


def test_a_missing_translation_is_named(tmp_path):
    path = tmp_path / "measures.toml"
    path.write_text(entry("ris", "a", "headline = true").replace('en = "E"\n', ""))
    with pytest.raises(
        DataError, match=r"measures.toml:2: ris.name: expected a text in each of nl, fr, de, en"
    ):
        load_catalogue(path)
