"""Publishing: the GitHub Pages workflow (linted), the preview server, preview images, search files."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from barometer import paths
from barometer.serve import make_server, watch

WORKFLOW = paths.ROOT / ".github/workflows/pages.yml"


def _tool(name: str) -> str:
    exe = Path(sys.executable).parent / name
    return str(exe) if exe.exists() else name


def test_workflow_is_valid_and_passes_the_security_linter():
    schema = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    lint = subprocess.run(
        [
            _tool("zizmor"),
            "--offline",
            "--config",
            str(paths.ROOT / ".github/zizmor.yml"),
            str(WORKFLOW),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_workflow_rebuilds_on_push_monthly_and_by_hand_and_fetches_the_inputs():
    wf = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    on = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads the key 'on' as true
    assert on["push"]["branches"] == ["main"]
    assert on["schedule"][0]["cron"].split()[2:] == ["5", "*", "*"]
    assert "workflow_dispatch" in on
    steps = wf["jobs"]["build"]["steps"]
    fetch = next(s for s in steps if s.get("name") == "Fetch the inputs")
    assert "python build.py fetch" in fetch["run"]
    assert fetch["env"]["BAROMETER_POD_MI_URL"] == "${{ vars.POD_MI_URL }}"
    build = next(s for s in steps if "build.py build" in s.get("run", ""))
    assert "--strict" in build["run"] and "--base-url" in build["run"]
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact") for s in steps)
    deploy = wf["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_every_edition_is_archived_as_a_release_and_listed_on_the_data_page():
    """The build is told the releases that exist (GitHub's list), archives its own edition's data
    as the release data-<extract date> (once), and only that job may write to the repository."""
    wf = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    build = wf["jobs"]["build"]
    assert build["permissions"] == {"contents": "read"}
    steps = build["steps"]
    listing = next(s for s in steps if "gh api" in s.get("run", ""))
    assert "/releases" in listing["run"] and "releases.json" in listing["run"]
    run = next(s for s in steps if "build.py build" in s.get("run", ""))["run"]
    assert "BAROMETER_RELEASES=" in run
    assert "--paginate --slurp" in listing["run"]  # every page of releases, not the first 100
    release = wf["jobs"]["release"]
    # only from main, once the site is deployed, with the only write permission of the workflow
    assert release["needs"] == ["build", "deploy"] and release["permissions"] == {
        "contents": "write"
    }
    assert release["if"] == "github.ref == 'refs/heads/main'"
    script = release["steps"][-1]["run"]
    assert 'tag="data-${EDITION}"' in script and "gh release view" in script
    assert (
        'gh release create "${tag}" edition/* --repo "${REPO}" --target "${GITHUB_SHA}"' in script
    )
    assert "--clobber" in script  # a rebuilt edition replaces its files


def test_releases_file_lists_past_editions_newest_first(tmp_path):
    import json

    from barometer.errors import DataError
    from barometer.releases import load_releases

    path = tmp_path / "releases.json"
    url = "https://github.com/o/r/releases/tag/"
    path.write_text(
        json.dumps(
            [
                {"tag_name": "data-2026-10-01", "html_url": url + "data-2026-10-01"},
                {"tag_name": "v1.0", "html_url": url + "v1.0"},  # not an edition
                {"tag_name": "data-2026-11-02", "html_url": url + "data-2026-11-02"},
                {"tag_name": "data-2026-12-01", "html_url": url + "x", "draft": True},
            ]
        )
    )
    assert [r.date for r in load_releases(path)] == ["2026-11-02", "2026-10-01"]
    pages = json.loads(path.read_text())
    path.write_text(json.dumps([pages[:2], pages[2:]]))  # gh api --paginate --slurp
    assert [r.date for r in load_releases(path)] == ["2026-11-02", "2026-10-01"]
    assert load_releases(None) == ()
    path.write_text('[{"tag_name": "data-2026-10-01", "html_url": "http://x"}]')
    with pytest.raises(DataError, match=r"releases.json:1: \[0\].html_url: expected an https URL"):
        load_releases(path)


def test_the_data_page_names_its_edition_and_links_the_earlier_ones(fast_site):
    """The fixture's release list holds this edition, an older one, a draft and a non-edition:
    the page names its own edition in text and links only the older one."""
    from tests.fixture import RELEASES

    for lang, path, this, older in (
        ("en", "en/data", "2 November 2026", "1 October 2026"),
        ("fr", "fr/donnees", "2 novembre 2026", "1 octobre 2026"),
    ):
        html = fast_site.page(path)
        assert this in html, lang
        assert f'<a href="{RELEASES}data-2026-10-01">{older}</a>' in html, lang
        assert "data-2026-11-02" not in html and "v1.0" not in html and "2026-12-01" not in html


@pytest.fixture()
def tiny_site(tmp_path):
    site = tmp_path / "site"
    (site / "nl").mkdir(parents=True)
    (site / "nl/index.html").write_text("<p>hallo</p>", encoding="utf-8")
    (site / "404.html").write_text("<p>niet gevonden</p>", encoding="utf-8")
    return site


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - local test server
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_serve_uses_the_base_path_and_the_sites_404_page(tiny_site):
    server = make_server(tiny_site, "/barometer/", 0)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert _get(f"http://127.0.0.1:{port}/barometer/nl/") == (200, "<p>hallo</p>")
        assert _get(f"http://127.0.0.1:{port}/nl/") == (404, "<p>niet gevonden</p>")
        assert _get(f"http://127.0.0.1:{port}/barometer/nowhere/")[0] == 404
        # like GitHub Pages: text compressed for clients that accept gzip
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/barometer/nl/", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(req, timeout=5) as r:  # noqa: S310 - local test server
            assert r.headers["Content-Encoding"] == "gzip"
            assert r.headers["Content-Type"].startswith("text/html")
            assert gzip.decompress(r.read()) == b"<p>hallo</p>"
    finally:
        server.shutdown()
        server.server_close()


def test_serve_rebuilds_when_content_changes(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "a.md").write_text("one", encoding="utf-8")
    calls = []
    stop = threading.Event()
    t = threading.Thread(target=watch, args=([content], lambda: calls.append(1), stop, 0.05))
    t.start()
    time.sleep(0.2)
    (content / "b.md").write_text("two", encoding="utf-8")
    deadline = time.time() + 5
    while not calls and time.time() < deadline:
        time.sleep(0.05)
    stop.set()
    t.join()
    assert calls


@pytest.mark.xdist_group("site")
def test_preview_images_favicon_and_pages_files(built_site):
    site = built_site[0]
    assert (site / ".nojekyll").is_file() and (site / "favicon.svg").is_file()
    pngs = list((site / "og").glob("*.png"))
    assert len(pngs) == 622
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs[:20])
    gent = (site / "nl/gemeente/44021-gent/index.html").read_text(encoding="utf-8")
    assert (
        '<meta property="og:image" content="https://example.github.io/barometer/og/44021.png">'
        in gent
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in gent
    assert (
        '<meta property="og:url" content="https://example.github.io/barometer/nl/gemeente/44021-gent/">'
        in gent
    )


def test_the_search_index_finds_areas_by_every_name_and_former_municipalities(fast_site):
    """One small index per language (data/search-<lang>.json): every area with its names in the
    other languages and its code, the measures, the notes and pages, and former municipalities
    leading to their successor."""
    import json

    for lang in ("nl", "fr", "de", "en"):
        doc = json.loads((fast_site.root / f"data/search-{lang}.json").read_text(encoding="utf-8"))
        kinds = doc["kinds"]
        items = {(it[0], kinds[it[2]]): it for it in doc["items"]}
        paths = {it[1] for it in doc["items"]}
        assert all((fast_site.root / p / "index.html").is_file() for p in paths), lang
        assert len([it for it in doc["items"] if it[2] == 4]) == 7  # municipalities, first
        assert doc["items"][0][2] == 4
        if lang == "nl":
            antwerpen = items[("Antwerpen", "Gemeente")]
            assert "Anvers" in antwerpen[3] and "11002" in antwerpen[3]
            borsbeek = items[("Borsbeek", "Voormalige gemeente, nu deel van")]
            assert borsbeek[1] == "nl/gemeente/11002-antwerpen/" and borsbeek[3] == "Antwerpen"
            assert ("Een testnotitie", "Analyse") in items
            assert ("Leefloon", "Maatregel") in items
    size = sum(p.stat().st_size for p in fast_site.root.glob("data/search-*.json"))
    assert size < 40_000


def test_no_stray_copy_of_shared_data_in_the_repository():
    """No file of the data snapshot is tracked: compared by content, not by name (the golden tree
    holds the fast fixture's own workbooks, which are ours)."""
    assert shutil.which("git")
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], capture_output=True, text=True, cwd=paths.ROOT, check=True
    ).stdout.split("\0")
    snapshot = paths.SHARED_DATA.rglob("*") if paths.SHARED_DATA.is_dir() else []
    snapshot_sizes = {
        p.stat().st_size: p for p in snapshot if p.is_file() and p.stat().st_size > 4096
    }
    for name in filter(None, tracked):
        path = paths.ROOT / name
        if not path.is_file() or path.stat().st_size not in snapshot_sizes:
            continue
        twin = snapshot_sizes[path.stat().st_size]
        assert path.read_bytes() != twin.read_bytes(), f"{name} is a copy of {twin}"
    assert not any(name.endswith("extract.csv.gz") for name in tracked)
