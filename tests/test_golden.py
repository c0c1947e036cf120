"""The fast fixture's whole site, file by file, against the golden tree in tests/golden/site.

Any change of what readers get shows up here as a diff to review. After an intended change,
regenerate the tree and review it in the commit's diff:

    .venv/bin/python -m pytest tests/test_golden.py --update-golden      (or: make golden)

Not compared byte for byte (binary or vendored; their presence is): the preview images
(``og/*.png``, rasterised by resvg: their size is checked) and the vendored Vega runtime
(``assets/vega.js``, the same bytes as ``barometer/static/vendor``), and the other assets copied
from ``barometer/static`` (checked equal to their source). ``.barometer-build`` holds a
hash of the code: not content.
"""

from __future__ import annotations

import difflib
import shutil
import struct
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden" / "site"
OPAQUE = ("og/", "assets/vega.js", "assets/app.js", "assets/nojs.css", "favicon.svg")
"""Listed, not kept: the preview PNGs, and the assets copied byte for byte from barometer/static
(the golden tree would hold a second copy of the source); compared by presence, and the copies
with their source."""
SKIPPED = (".barometer-build",)


def _files(root: Path) -> dict[str, Path]:
    return {
        p.relative_to(root).as_posix(): p
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root).as_posix() not in SKIPPED
    }


def _kept(rel: str) -> bool:
    """Whether a file's bytes live in the golden tree (opaque files are listed, not kept)."""
    return not rel.startswith(OPAQUE)


def _update(built: dict[str, Path]) -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for rel, path in built.items():
        dest = GOLDEN / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if _kept(rel):
            shutil.copyfile(path, dest)
    (GOLDEN.parent / "opaque.txt").write_text(
        "".join(f"{rel}\n" for rel in built if not _kept(rel)), encoding="utf-8"
    )


def test_site_matches_the_golden_tree(fast_site, request):
    built = _files(fast_site.root)
    if request.config.getoption("--update-golden"):
        _update(built)
        pytest.skip("golden tree rewritten: review `git diff tests/golden`")
    assert GOLDEN.is_dir(), "no golden tree yet: run pytest tests/test_golden.py --update-golden"
    golden = _files(GOLDEN)
    opaque = (GOLDEN.parent / "opaque.txt").read_text(encoding="utf-8").split()
    kept_built = {rel for rel in built if _kept(rel)}
    assert sorted(kept_built - set(golden)) == [], "new files (not in the golden tree)"
    assert sorted(set(golden) - kept_built) == [], "files the build no longer makes"
    assert sorted(rel for rel in built if not _kept(rel)) == opaque
    static = Path(__file__).parents[1] / "barometer" / "static"
    for rel, source in (
        ("assets/app.js", "app.js"),
        ("assets/nojs.css", "nojs.css"),
        ("favicon.svg", "favicon.svg"),
    ):
        assert built[rel].read_bytes() == (static / source).read_bytes(), rel
    differ = [rel for rel in sorted(golden) if golden[rel].read_bytes() != built[rel].read_bytes()]
    if differ:
        shown = []
        for rel in differ[:3]:
            try:
                a = golden[rel].read_text(encoding="utf-8").splitlines()
                b = built[rel].read_text(encoding="utf-8").splitlines()
            except UnicodeDecodeError:
                shown.append(f"{rel}: binary files differ")
                continue
            shown += list(difflib.unified_diff(a, b, f"golden/{rel}", f"built/{rel}", n=1))[:40]
        pytest.fail(f"{len(differ)} file(s) differ from the golden tree:\n" + "\n".join(shown))


def test_opaque_files_are_what_they_claim(fast_site):
    root = fast_site.root
    pngs = sorted(root.glob("og/*.png"))
    assert len(pngs) == 21  # every area: 7 municipalities, 6 arrondissements, 4 provinces, …
    for png in pngs:
        head = png.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n", png
        assert struct.unpack(">II", head[16:24]) == (600, 315), png
    vendored = Path(__file__).parent.parent / "barometer/static/vendor/vega-bundle.js"
    assert (root / "assets/vega.js").read_bytes().startswith(vendored.read_bytes())
