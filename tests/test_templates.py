"""Templates against their page models: every template uses only the fields its type declares.

Each page type (``barometer.pages.types``) names its template. A template is read for every
attribute it uses (``page.title``, ``m.figures.month``, …): a field of ``page`` must be declared
by the page type the template renders (or, in the shared layout, by every page), and any other
attribute must be a field of some page-model part. Then every page of every type of the fast
fixture's site is rendered with StrictUndefined, so a field that a type lacks fails the render.
"""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

import pytest
from jinja2 import nodes

from barometer import paths
from barometer.pages import types as t
from barometer.render import environment

TEMPLATES = paths.TEMPLATES
LAYOUT = {"base.html", "partials/header.html", "partials/notice.html", "partials/footer.html"}
"""Templates shared by every page that extends base.html: ``page`` is any :class:`Page`."""
GLOBALS = {
    "nav": t.Nav,
    "meta": ("synthetic", "extract_date"),
}
"""Attributes of the shared context (render.Renderer.use)."""
ALLOWED_METHODS = {"items"}


def _fields(cls: type) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


MODEL_TYPES = [
    obj
    for obj in vars(t).values()
    if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == t.__name__
]
ALL_FIELDS = set().union(*(_fields(c) for c in MODEL_TYPES))


def _parse(name: str, root: Path = TEMPLATES) -> nodes.Template:
    source = (root / name).read_text(encoding="utf-8")
    return environment().parse(source, name=name)


def _uses(name: str, root: Path = TEMPLATES) -> tuple[set[str], set[str]]:
    """The fields of ``page`` and every other attribute name a template uses."""
    page, other = set(), set()
    for node in _parse(name, root).find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name == "loop":
            continue  # Jinja's loop variable (loop.first, …)
        if isinstance(node.node, nodes.Name) and node.node.name == "page":
            page.add(node.attr)
        elif isinstance(node.node, nodes.Name) and node.node.name in GLOBALS:
            declared = GLOBALS[node.node.name]
            allowed = _fields(declared) if isinstance(declared, type) else set(declared)
            assert node.attr in allowed, f"{name}: {node.node.name}.{node.attr} is not declared"
        else:
            other.add(node.attr)
    return page, other


def _templates() -> list[str]:
    return sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))


def test_every_template_belongs_to_a_page_type_or_is_shared():
    own = {cls.template for cls in t.PAGE_TYPES}
    shared = LAYOUT | {
        "partials/csp.html",
        "partials/kit.html",
        "macros/figures.html",
        "root.html",
        "embed.html",
    }
    assert set(_templates()) == own | shared
    for name in own | shared:
        assert (TEMPLATES / name).is_file(), name


@pytest.mark.parametrize("cls", t.PAGE_TYPES, ids=lambda c: c.__name__)
def test_a_template_uses_only_the_fields_of_its_page_type(cls):
    page, other = _uses(cls.template)
    undeclared = page - _fields(cls)
    assert not undeclared, f"{cls.template} uses page.{sorted(undeclared)}, not in {cls.__name__}"
    unknown = other - ALL_FIELDS - ALLOWED_METHODS
    assert not unknown, f"{cls.template} uses attributes no page model declares: {unknown}"


@pytest.mark.parametrize("name", sorted(LAYOUT | {"macros/figures.html"}))
def test_shared_templates_use_only_declared_fields(name):
    page, other = _uses(name)
    assert page <= _fields(t.Page), f"{name} uses page.{sorted(page - _fields(t.Page))}"
    unknown = other - ALL_FIELDS - ALLOWED_METHODS
    assert not unknown, f"{name} uses attributes no page model declares: {unknown}"


def test_the_checks_catch_an_undeclared_field(tmp_path):
    """The static check is not vacuous: a template that reads an undeclared field fails it."""
    (tmp_path / "search.html").write_text("{{ page.title }}{{ page.no_such_field }}{{ x.nope }}")
    page, other = _uses("search.html", tmp_path)
    assert page - _fields(t.SearchPage) == {"no_such_field"}
    assert other - ALL_FIELDS == {"nope"}


def test_no_template_guards_with_is_defined():
    """A declared field is always there: optional parts are None, tested with ``if``."""
    for name in _templates():
        tests = [n.name for n in _parse(name).find_all(nodes.Test)]
        assert "defined" not in tests and "undefined" not in tests, name


def test_page_models_are_frozen_and_typed():
    for cls in MODEL_TYPES:
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen, cls
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            assert f.name in hints, (cls, f.name)


def test_every_page_type_renders_from_the_fast_site(fast_site):
    """Every page of the fast fixture's site was rendered from its type (the build renders with
    StrictUndefined: a field a type lacks fails the build) — and every type occurs."""
    site = fast_site.root
    markers = {
        t.HomePage: "nl/index.html",
        t.EntityPage: "nl/gemeente/44021-gent/index.html",
        t.MeasurePage: "nl/leefloon/index.html",
        t.MethodologyPage: "nl/methodologie/index.html",
        t.DataPage: "nl/data/index.html",
        t.SearchPage: "nl/zoeken/index.html",
        t.ScatterPage: "nl/inkomen/index.html",
        t.ComparePage: "nl/vergelijken/index.html",
        t.NotesPage: "nl/analyses/index.html",
        t.NotePage: "nl/analyses/fixture-note/index.html",
        t.NotFoundPage: "404.html",
        t.RedirectPage: "nl/gemeente/11007-borsbeek/index.html",
    }
    assert set(markers) == set(t.PAGE_TYPES)
    for cls, rel in markers.items():
        assert Path(site / rel).is_file(), (cls.__name__, rel)


def test_compaction_drops_indentation_and_optional_end_tags_only():
    """Optional end tags go (the HTML standard's rules), indentation goes, but a <pre> block and
    non-breaking spaces (French thousands) keep every character."""
    from barometer.render import compact

    html = (
        "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n<table><tbody><tr><th>x</th><td>1</td></tr>"
        "\n<tr><td>2</td></tr></tbody></table>\n<dl><div><dt>t</dt><dd>d</dd></div></dl>"
        "\n<p>\n\u202f1\u202f234</p>\n<pre><code>  keep\n    this</code></pre>"
    )
    assert compact(html) == (
        "<ul>\n<li>a\n<li>b\n</ul>\n<table><tbody><tr><th>x<td>1\n<tr><td>2</tbody></table>"
        "\n<dl><div><dt>t<dd>d</div></dl>\n<p>\n\u202f1\u202f234</p>"
        "\n<pre><code>  keep\n    this</code></pre>"
    )
