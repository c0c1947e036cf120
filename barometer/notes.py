"""Focus notes: Markdown files under ``content/<lang>/<slug>.md``, rendered in the site's layout.

A note starts with YAML front matter (``title``, ``date`` YYYY-MM-DD, ``summary``, ``author``);
the same ``<slug>`` in several languages makes the language versions of one note. Markdown is
CommonMark plus tables, with raw HTML disabled: ``<script>`` and the like come out as text, and
``javascript:`` links are refused by markdown-it's link validation.

Directives (resolved at build time, so the numbers come from the data, never typed by hand):

* a line ``[[chart KEY | caption]]`` embeds any named chart of the site (the keys of
  ``SiteModel.specs``: ``evo-regions-ris``, ``map-municipalities-ris``, ``published-ris``, …);
* ``{{total CODE YEAR}}`` — the published annual average of monthly integration-income
  beneficiaries (``published_totals``), e.g. ``{{total 04000 2003}}``;
* ``{{percent CODE YEAR}}`` — the same as a share of the population (published, in %);
* ``{{change CODE YEAR1 YEAR2}}`` — the relative change between two published totals.

Each number is written as ``<data value="…" data-line="…">`` (the line of the totals file it comes
from), and the rows' source URLs are listed under the note. Any defect — front matter, an unknown
chart, a total that does not exist — is a DataError naming the file and line (exit 2).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from barometer.errors import DataError, Problem
from barometer.vocabulary import LANGS

REQUIRED = ("title", "date", "summary", "author")
CHART = re.compile(r"^\[\[chart\s+([a-z0-9_-]+)\s*(?:\|\s*(.*?))?\s*\]\]\s*$")
NUMBER = re.compile(r"\{\{\s*(total|percent|change)\s+([^}]*?)\s*\}\}")
PLACEHOLDER = "@@chart:{}@@"
TOC_MIN_HEADINGS = 3
RI_MEASURE = "RI (leefloon) beneficiaries"
RI_PERCENT = "RI beneficiaries as % of (average) population"


@dataclass(frozen=True)
class Note:
    lang: str
    slug: str
    file: str
    title: str
    date: str
    summary: str
    author: str
    body: str
    body_line: int
    """Line of the file where the body starts (for error messages)."""


@dataclass
class RenderedNote:
    parts: list[dict]
    """{"html": str} (already escaped by markdown-it) or {"chart": key, "caption": str}."""
    toc: list[dict]
    sources: list[dict]
    charts: list[str] = field(default_factory=list)


def _markdown() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": False, "typographer": False})
        .enable("table")
        .use(front_matter_plugin)
        .use(anchors_plugin, min_level=2, max_level=3, permalink=False)
    )


ALIGN_CLASSES = {"text-align:right": "num", "text-align:center": "center", "text-align:left": ""}
"""A table column's alignment as a class of site.css: markdown-it writes a style attribute,
which the Content-Security-Policy (style-src 'self', no 'unsafe-inline') refuses."""


def _align_by_class(tokens: list[Token]) -> list[Token]:
    for tok in tokens:
        if tok.type in ("th_open", "td_open") and "style" in tok.attrs:
            cls = ALIGN_CLASSES.get(str(tok.attrs.pop("style")), "")
            if cls:
                tok.attrSet("class", cls)
    return tokens


def load_notes(content_dir: Path) -> list[Note]:
    """Every note of every language, validated; all problems reported at once."""
    notes: list[Note] = []
    problems: list[Problem] = []
    for lang in LANGS:
        folder = content_dir / lang
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.md")):
            name = f"content/{lang}/{path.name}"
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                problems.append(
                    Problem(name, 0, "file", "UTF-8 text", f"byte {exc.start} not UTF-8")
                )
                continue
            note = _parse(name, lang, path.stem, text, problems)
            if note:
                notes.append(note)
    if problems:
        raise DataError(problems)
    return notes


def _parse(name: str, lang: str, slug: str, text: str, problems: list[Problem]) -> Note | None:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        problems.append(Problem(name, 0, "file name", "lower-case letters, digits and -", slug))
        return None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(name, 1, "front matter", "a first line '---'", repr(lines[:1])))
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.append(Problem(name, 1, "front matter", "a closing line '---'", "none"))
        return None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problems.append(Problem(name, line, "front matter", "valid YAML", str(exc).split("\n")[0]))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(name, 2, "front matter", "key: value lines", type(meta).__name__))
        return None
    ok = True
    for key in REQUIRED:
        value = meta.get(key)
        if key == "date" and isinstance(value, dt.date):
            value = meta[key] = value.isoformat()
        if not isinstance(value, str) or not value.strip():
            line = next((i + 1 for i, s in enumerate(lines[:end]) if s.startswith(f"{key}:")), 1)
            problems.append(Problem(name, line, key, "a non-empty text", repr(value)))
            ok = False
    if ok and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["date"]):
        problems.append(Problem(name, 0, "date", "YYYY-MM-DD", meta["date"]))
        ok = False
    if not ok:
        return None
    return Note(
        lang=lang,
        slug=slug,
        file=name,
        title=meta["title"].strip(),
        date=meta["date"],
        summary=meta["summary"].strip(),
        author=meta["author"].strip(),
        body="\n".join(lines[end + 1 :]),
        body_line=end + 2,
    )


# --- published totals: the numbers a note may quote -------------------------------------------


@dataclass(frozen=True)
class Figure:
    value: float
    line: int
    url: str
    publisher: str


def published_figures(totals) -> dict[tuple[str, str, str], Figure]:  # noqa: ANN001 - DataFrame
    """(kind 'total'|'percent', code, year) → the published figure.

    Annual averages of monthly counts only. Where a year has several (a page revised its figure,
    or printed it in persons and in thousands), the Federal Planning Bureau's series in thousands
    — one consistent edition — is preferred, then the earliest line.
    """
    rows = totals[totals.period_type == "annual_average_of_monthly_counts"]
    out: dict[tuple[str, str, str], Figure] = {}
    ranked = sorted(
        rows.itertuples(),
        key=lambda r: (r.unit != "thousand persons", int(r.line)),
    )
    for r in ranked:
        if r.measure == RI_MEASURE and r.persons == r.persons:
            key = ("total", str(r.code), str(r.period))
            value = float(r.persons)
        elif r.measure == RI_PERCENT:
            key = ("percent", str(r.code), str(r.period))
            value = float(r.value)
        else:
            continue
        url = str(r.source_url).split()[0]  # some rows add "(2021 version of the page)"
        out.setdefault(key, Figure(value, int(r.line), url, str(r.publisher)))
    return out


def render_note(note: Note, figures: dict, chart_keys: set[str] | None, t) -> RenderedNote:  # noqa: ANN001 - i18n.Lang
    """HTML parts, table of contents and sources of one note in its language.

    ``chart_keys`` None skips the check of chart keys (:func:`check_notes`, before the charts
    exist)."""
    problems: list[Problem] = []
    charts: list[tuple[str, str]] = []
    body_lines = []
    for i, line in enumerate(note.body.splitlines()):
        m = CHART.match(line.strip())
        if m:
            key = m.group(1)
            if chart_keys is not None and key not in chart_keys:
                problems.append(
                    Problem(note.file, note.body_line + i, "chart", "the key of a site chart", key)
                )
            charts.append((key, m.group(2) or ""))
            body_lines.append("")
            body_lines.append(PLACEHOLDER.format(len(charts) - 1))
            body_lines.append("")
        elif line.lstrip().startswith("[[chart"):
            problems.append(
                Problem(note.file, note.body_line + i, "directive", "[[chart KEY | caption]]", line)
            )
            body_lines.append(line)
        else:
            body_lines.append(line)
    md = _markdown()
    source = "\n".join(body_lines)
    tokens = _align_by_class(md.parse(source))
    used: dict[int, Figure] = {}

    def line_of(text: str) -> int:
        for i, line in enumerate(note.body.splitlines()):
            if text in line:
                return note.body_line + i
        return 0

    def resolve(m: re.Match[str]) -> tuple[str, str] | None:
        """(the figure as text, as a <data> element), or None (a problem is recorded)."""
        kind, args = m.group(1), m.group(2).split()

        def refuse(expected: str) -> None:
            problems.append(Problem(note.file, line_of(m.group(0)), kind, expected, m.group(2)))

        want = 3 if kind == "change" else 2
        if len(args) != want:
            refuse(f"{want} arguments (code and year{'s' if want == 3 else ''})")
            return None
        if kind == "change":
            a = figures.get(("total", args[0], args[1]))
            b = figures.get(("total", args[0], args[2]))
            if a is None or b is None:
                refuse("two published annual averages")
                return None
            used[a.line], used[b.line] = a, b
            change = b.value / a.value - 1
            shown = t.percent(change, 0, signed=True)
            return (
                shown,
                f'<data value="{change:.6f}" data-lines="{a.line} {b.line}">{shown}</data>',
            )
        fig = figures.get((kind, args[0], args[1]))
        if fig is None:
            what = "annual average" if kind == "total" else "share"
            refuse(f"a published {what} for this code and year")
            return None
        used[fig.line] = fig
        shown = t.number(fig.value, 0) if kind == "total" else t.percent(fig.value / 100, 1)
        return shown, f'<data value="{fig.value:g}" data-line="{fig.line}">{shown}</data>'

    def number(m: re.Match[str]) -> str:
        found = resolve(m)
        return found[1] if found else m.group(0)

    def plain(text: str) -> str:
        """Directives in an attribute (a link's title, an image's alt text) or a heading of the
        contents become the figure as plain text: markup there would break the attribute."""
        return NUMBER.sub(lambda m: (resolve(m) or (m.group(0), ""))[0], text)

    for tok in tokens:
        for child in tok.children or []:
            if child.attrs.get("title"):
                child.attrs["title"] = plain(str(child.attrs["title"]))
            if child.type == "image":  # the alt text is rendered from the children's text
                for grand in child.children or []:
                    grand.content = plain(grand.content)
    toc = []
    for k, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h2":
            toc.append({"id": tok.attrs.get("id", ""), "title": plain(tokens[k + 1].content)})
    html = md.renderer.render(tokens, md.options, {})
    html = NUMBER.sub(number, html)
    if problems:
        raise DataError(problems)
    parts: list[dict] = []
    for k, piece in enumerate(re.split(r"<p>@@chart:(\d+)@@</p>\n?", html)):
        if k % 2 == 0:
            if piece.strip():
                parts.append({"html": piece})
        else:
            key, caption = charts[int(piece)]
            parts.append({"chart": key, "caption": caption})
    sources = sorted(
        {(f.publisher, f.url) for f in used.values()},
    )
    return RenderedNote(
        parts=parts,
        toc=toc if len(toc) >= TOC_MIN_HEADINGS else [],
        sources=[{"publisher": p, "url": u} for p, u in sources],
        charts=[k for k, _c in charts],
    )


def check_notes(notes: list[Note], totals) -> None:  # noqa: ANN001 - DataFrame
    """Resolve every note's figures now (seconds into a build), so a wrong figure fails fast."""
    from barometer.i18n import load_lang

    figures = published_figures(totals)
    problems: list[Problem] = []
    for n in notes:
        try:
            render_note(n, figures, None, load_lang(n.lang))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
