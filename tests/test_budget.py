"""The site's size budgets (issue 17): bytes and files are deterministic, so exact, not timed."""

from __future__ import annotations

import pytest

from barometer import budget, paths
from barometer.budget import MB, FolderSize, SiteSize
from barometer.catalogue import load_catalogue


@pytest.mark.xdist_group("site")
def test_the_built_site_fits_its_budgets_and_its_host_for_ten_more_years(built_site):
    size = budget.site_size(built_site[0])
    table = budget.report(size)
    assert size.measures == len(load_catalogue(paths.MEASURES_TOML))
    assert size.bytes <= size.budget, table
    assert size.files <= budget.FILES_BUDGET, table
    assert size.projected(10) < budget.HOST_LIMIT, table
    # no folder hides in the total: downloads at most half, the four languages alike
    assert size.folders["downloads"].bytes <= 0.5 * size.bytes, table
    langs = [size.folders[lang].bytes for lang in ("nl", "fr", "de", "en")]
    assert max(langs) <= 1.1 * min(langs), table


def test_the_budgets_and_the_projection_are_what_the_issue_asks():
    assert budget.bytes_budget(4) == 200 * MB and budget.bytes_budget(9) == 400 * MB
    size = SiteSize(
        folders={"assets": FolderSize(3, 1 * MB), "nl": FolderSize(10, 100 * MB)},
        months=240,
        measures=4,
    )
    assert size.bytes == 101 * MB and size.files == 13
    assert size.projected(10) == 1 * MB + 150 * MB  # assets fixed, the rest × (240 + 120) / 240
    assert size.projected(0) == size.bytes


def test_the_fast_site_is_measured_folder_by_folder(fast_site):
    size = budget.site_size(fast_site.root)
    assert {"assets", "downloads", "nl", "fr", "de", "en", "data"} <= set(size.folders)
    assert size.files == sum(1 for p in fast_site.root.rglob("*") if p.is_file())
    assert (
        size.months == 33 and size.measures == 2
    )  # the compare index stops before the newest months
    assert "downloads" in budget.report(size) and "more years" in budget.report(size)
