"""The shape of the house: no import cycles, a vocabulary without imports, pages without pandas,
and the stages in their order (as pelican pins the order of its generators)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from barometer import paths

PACKAGE = paths.PACKAGE


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every barometer module a module imports, at the top or inside functions."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("barometer")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            if not base.startswith("barometer"):
                continue
            for alias in node.names:  # `from barometer import charts` imports a module
                candidate = f"{base}.{alias.name}"
                found.add(candidate if _exists(candidate) else base)
    return found - {name}


def _exists(module: str) -> bool:
    rel = Path(*module.split("."))
    return (PACKAGE.parent / rel).with_suffix(".py").is_file() or (
        PACKAGE.parent / rel / "__init__.py"
    ).is_file()


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycles_in_the_package():
    graph = {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}
    cycle = _cycle(graph)
    assert cycle is None, " → ".join(cycle or [])


def test_the_cycle_check_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_vocabulary_imports_nothing_of_the_package():
    assert _imports(PACKAGE / "vocabulary.py") == set()


def test_page_code_does_not_reach_pandas():
    """Only the lookups pivot the tables; page functions read dicts and arrays."""
    for path in (PACKAGE / "pages").glob("*.py"):
        if path.name == "lookups.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not {m for m in names if m.split(".")[0] == "pandas"}, path.name
        assert "barometer.model" not in names or path.name in ("__init__.py",), path.name


def test_the_page_stage_runs_in_one_order(fast_site, monkeypatch):
    """lookups → scatters and chart specs → data files → page models → (downloads) → data pages."""
    from barometer import pages
    from barometer.canonical import load_canonical
    from barometer.model import gather
    from barometer.notes import load_notes

    model = gather(load_canonical(fast_site.cfg), load_notes(fast_site.cfg.content_dir))
    calls: list[str] = []
    for name in (
        "build_lookups",
        "scatter_model",
        "chart_specs",
        "compare_files",
        "language_pages",
        "data_page",
        "redirect_pages",
        "navigation",
        "card_models",
    ):
        original = getattr(pages, name)

        def recorder(*args, __name=name, __original=original, **kwargs):  # noqa: ANN002, ANN003
            calls.append(__name)
            return __original(*args, **kwargs)

        monkeypatch.setattr(pages, name, recorder)

    def sizes() -> dict[str, int]:
        calls.append("download sizes")
        downloads = fast_site.root / "downloads"
        return {
            f"downloads/{p.relative_to(downloads).as_posix()}": p.stat().st_size
            for p in downloads.rglob("*")
            if p.is_file()
        }

    stage = pages.build_site_model(model, sizes)
    assert calls == [
        "build_lookups",
        "scatter_model",
        "chart_specs",
        "compare_files",
        *["language_pages"] * 4,
        "download sizes",
        *["data_page"] * 4,
        *["redirect_pages"] * 4,
        *["navigation"] * 4,
        "card_models",
    ]
    # the data page stands where readers and the sitemap expect it, after home and methodology
    assert [type(p).__name__ for p in stage.site.pages["nl"][:3]] == [
        "HomePage",
        "MethodologyPage",
        "DataPage",
    ]


def test_the_build_runs_its_stages_in_order(fast_site):
    report = json.loads((fast_site.root.parent / "report.json").read_text(encoding="utf-8"))
    assert report == [
        "load",
        "indicators",
        "downloads",
        "pages",
        "charts",
        "html",
        "other",
        "write",
    ]


@pytest.mark.parametrize("module", ["pipeline"])
def test_the_pipeline_holds_the_stage_order_only(module):
    """No caches, products or HTML sharding in pipeline.py: it calls the modules named for them."""
    source = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    functions = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert functions == ["check", "strict_gate", "products", "build"]
