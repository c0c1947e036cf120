"""sources.toml: every input declared with provenance, pinned where fixed, and documented."""

from __future__ import annotations

from barometer import paths
from barometer.sources.registry import FORMATS, load_registry


def test_every_source_is_declared_with_provenance():
    sources = load_registry(paths.SOURCES_TOML)
    assert {s.format for s in sources} == set(FORMATS)
    for s in sources:
        assert s.publisher and s.licence and s.page.startswith("https://")
        if s.format not in ("pod_mi_extract", "pod_mi_meta"):
            assert s.sha256, f"{s.id}: a fixed reference file must pin its sha256"
        else:
            assert s.url_env, f"{s.id}: the monthly extract needs a configurable URL"


def test_every_source_is_described_in_the_data_readme():
    readme = (paths.DATA / "README.md").read_text(encoding="utf-8")
    for s in load_registry(paths.SOURCES_TOML):
        assert f"`{s.file}`" in readme, s.file


def test_statbel_download_urls_where_they_exist():
    by_id = {s.id: s for s in load_registry(paths.SOURCES_TOML)}
    assert by_id["refnis"].url.startswith("https://statbel.fgov.be/")
    assert by_id["income"].url.startswith("https://statbel.fgov.be/")
