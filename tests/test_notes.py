"""Focus notes: the numbers equal the published totals, Markdown is sanitised, bad notes fail."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from babel import Locale
from babel.numbers import format_decimal, format_percent

from barometer.errors import DataError
from barometer.i18n import load_lang
from barometer.notes import load_notes, published_figures, render_note
from barometer.vocabulary import LANGS

pytestmark = pytest.mark.xdist_group("site")

DATA = re.compile(r'<data value="([^"]+)" data-lines?="([^"]+)">([^<]+)</data>')
LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "de": "de_BE", "en": "en_GB"}
SLUG = "integration-income-since-2003"
NOTE_PATHS = {"nl": "nl/analyses", "fr": "fr/analyses", "de": "de/analysen", "en": "en/notes"}


@pytest.fixture(scope="module")
def totals_rows(snapshot):
    """The published totals file read with the csv module (line numbers as in the file)."""
    path = snapshot / "published_totals/ris_national_regional_provincial_totals.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {i + 2: r for i, r in enumerate(rows)}


def test_every_number_of_the_note_is_a_published_total(built_site, totals_rows):
    site = built_site[0]
    values_by_lang = {}
    for lang in LANGS:
        html = (site / NOTE_PATHS[lang] / SLUG / "index.html").read_text(encoding="utf-8")
        found = DATA.findall(html)
        assert len(found) >= 25, lang
        for value, lines, shown in found:
            shown = unescape(shown)
            rows = [totals_rows[int(n)] for n in lines.split()]
            for r in rows:  # annual averages of monthly counts, Belgium or a region
                assert r["period_type"] == "annual_average_of_monthly_counts"
                assert r["geo_nis"] in ("01000", "02000", "03000", "04000")
                assert r["source_url"].split()[0] in html  # cited under the note
            if len(rows) == 2:  # a change between two years
                a, b = (float(r["value"]) for r in rows)
                assert float(value) == pytest.approx(b / a - 1, abs=1e-6)
                expected = ("+" if b >= a else "-") + format_percent(
                    abs(b / a - 1), locale=LOCALES[lang]
                )
            elif rows[0]["unit"] == "percent":
                assert float(value) == float(rows[0]["value"])
                pattern = Locale.parse(LOCALES[lang]).percent_formats[None].pattern
                expected = format_percent(
                    float(value) / 100, pattern.replace("#,##0", "#,##0.0"), locale=LOCALES[lang]
                )
            else:
                factor = 1000 if rows[0]["unit"] == "thousand persons" else 1
                assert float(value) == pytest.approx(float(rows[0]["value"]) * factor)
                expected = format_decimal(float(value), "#,##0", locale=LOCALES[lang])
            norm = lambda s: re.sub(r"\s", " ", s)  # noqa: E731 - narrow and plain spaces alike
            assert norm(shown) == norm(expected), (lang, shown, expected)
        values_by_lang[lang] = [(v, ln) for v, ln, _s in found]
    # the four language versions quote the same figures, in the same order
    assert len({tuple(v) for v in values_by_lang.values()}) == 1
    en = (site / "en/notes" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "74,100" in en and "152,900" in en  # Belgium 2003 and 2022, as indicators.be prints them


def test_notes_are_listed_linked_and_have_a_table_of_contents(built_site):
    site = built_site[0]
    for lang in LANGS:
        index = (site / NOTE_PATHS[lang] / "index.html").read_text(encoding="utf-8")
        assert f'href="{SLUG}/"' in index or f"{SLUG}/" in index
        home = (site / lang / "index.html").read_text(encoding="utf-8")
        assert f"{SLUG}/" in home
        note = (site / NOTE_PATHS[lang] / SLUG / "index.html").read_text(encoding="utf-8")
        assert 'class="toc"' in note and note.count('<li><a href="#') >= 3
        # the embedded chart, pre-rendered: an image of the site's chart files
        charts = re.findall(r'<img src="((?:\.\./)+charts/[^"]+\.svg)"', note)
        assert charts, "no pre-rendered chart in the note"
        for src in charts:
            assert (site / NOTE_PATHS[lang] / SLUG / src).resolve().is_file(), src
        for code in ("nl", "fr", "de", "en"):
            assert f'hreflang="{code}"' in note


def _note(tmp_path: Path, text: str, lang: str = "en", name: str = "x.md") -> Path:
    d = tmp_path / "content" / lang
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(text, encoding="utf-8")
    return tmp_path / "content"


HEAD = '---\ntitle: "T"\ndate: 2026-01-01\nsummary: "S"\nauthor: "A"\n---\n'


def test_markdown_is_sanitised(tmp_path, canon):
    body = (
        "Hello <script>alert(1)</script> and <img src=x onerror=alert(2)>\n\n"
        '[click](javascript:alert(3)) " onmouseover="alert(4)\n\n{{total 01000 2003}}\n'
    )
    notes = load_notes(_note(tmp_path, HEAD + body))
    r = render_note(notes[0], published_figures(canon.published_totals), set(), load_lang("en"))
    html = "".join(p["html"] for p in r.parts if "html" in p)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert 'onmouseover="' not in html
    assert '<data value="74100" data-line="2">74,100</data>' in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\ntitle: T\n---\nbody", "x.md:1: date: expected a non-empty text, found None"),
        (HEAD + "[[chart no-such-chart | c]]\n", "x.md:7: chart: expected the key of a site chart"),
        (HEAD + "\nIn 1999: {{total 01000 1999}}\n", "x.md:8: total: expected a published annual"),
        (HEAD + "{{change 01000 2003}}\n", "x.md:7: change: expected 3 arguments"),
        ('---\ntitle: "T\n---\n', "x.md:"),
    ],
)
def test_a_bad_note_is_reported_with_file_and_line(tmp_path, canon, text, message):
    with pytest.raises(DataError) as err:
        for n in load_notes(_note(tmp_path, text)):
            render_note(n, published_figures(canon.published_totals), set(), load_lang("en"))
    assert message in str(err.value)


def test_a_bad_note_stops_the_build_with_exit_2(tmp_path, small_data):
    content = _note(tmp_path, HEAD + "{{total 99999 2003}}\n")
    done = subprocess.run(
        [
            sys.executable,
            "build.py",
            "build",
            "--data",
            str(small_data),
            "--site",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "BAROMETER_CONTENT_DIR": str(content)},
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "content/en/x.md:7: total: expected a published annual average" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "site").exists()


def test_a_figure_in_a_link_title_or_alt_text_is_plain_text():
    """A directive inside an attribute (a link's title, an image's alt text) or a heading of the
    contents becomes the figure as text: markup there would break the attribute."""
    from barometer.notes import Figure, Note

    body = (
        'Total {{total 01000 2024}} — [see](https://example.org/a "in 2024: {{total 01000 2024}}")'
        " and ![chart of {{percent 01000 2024}}](https://example.org/i.png)\n\n"
        "## Heading {{total 01000 2024}}\n\n## Two\n\n## Three\n"
    )
    note = Note(lang="en", slug="x", file="content/en/x.md", title="T", date="2026-01-01",
                summary="S", author="A", body=body, body_line=6)  # fmt: skip
    figures = {
        ("total", "01000", "2024"): Figure(12345.0, 3, "https://example.org/t", "P"),
        ("percent", "01000", "2024"): Figure(1.4, 4, "http://example.org/p", "P"),
    }
    r = render_note(note, figures, None, load_lang("en"))
    html = "".join(part["html"] for part in r.parts)
    assert '<data value="12345" data-line="3">12,345</data>' in html  # in text: a <data> element
    assert 'title="in 2024: 12,345"' in html  # in attributes: the figure as text
    assert 'alt="chart of 1.4%"' in html
    assert r.toc[0]["title"] == "Heading 12,345"
    # every attribute is well formed: no tag inside a quoted value
    for value in re.findall(r'="([^"]*)"', html):
        assert "<" not in value and ">" not in value, value
    assert {s["url"] for s in r.sources} == {"https://example.org/t", "http://example.org/p"}


def test_table_alignment_is_a_class_not_a_style_attribute():
    """The CSP forbids style attributes: a right-aligned column of a note's table gets the
    class of the site's numbers, a centred one a class too, a left-aligned one nothing."""
    from barometer.notes import _align_by_class, _markdown

    md = _markdown()
    tokens = _align_by_class(md.parse("|a|b|c|\n|:--|--:|:-:|\n|x|1|y|\n"))
    html = md.renderer.render(tokens, md.options, {})
    assert "style=" not in html
    assert '<th class="num">b</th>' in html and '<td class="num">1</td>' in html
    assert '<th class="center">c</th>' in html and "<td>x</td>" in html
