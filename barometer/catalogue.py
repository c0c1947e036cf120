"""The measure catalogue: ``data/measures.toml``, read and validated.

Input:  the TOML file (one ``[[measure]]`` table per measure, in publication order).
Output: :class:`Catalogue`, a tuple of :class:`~barometer.vocabulary.Measure`.

Adding a measure to the extract and to this file needs no code change: every page, chart,
download and check takes the list of measures from here. Every problem of the file is reported
at once as ``FILE:LINE: KEY: expected …, found …`` (exit 2).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from barometer.errors import DataError, Problem
from barometer.sources.textio import display_name
from barometer.vocabulary import (
    COUNTRY_SLUG,
    GROUPS,
    LANGS,
    LEVEL_WORDS,
    PAGE_SLUGS,
    Measure,
    Right,
)

FIELDS = (
    "code",
    "name",
    "slug",
    "definition",
    "legal_basis",
    "right",
    "family",
    "groups",
    "stable_after",
    "colour",
    "subset_of",
    "components",
    "headline",
)
REQUIRED = ("code", "name", "slug", "definition", "legal_basis", "right", "family", "colour")
RIGHT_FIELDS = ("code", "name", "definition")
_COLOUR = re.compile(r"#[0-9a-f]{6}")
_CODE = re.compile(r"[a-z][a-z0-9_]*")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
RESERVED_SLUGS = {
    lang: {COUNTRY_SLUG[lang]}
    | {words[lang] for words in PAGE_SLUGS.values()}
    | {words[lang] for words in LEVEL_WORDS.values()}
    for lang in LANGS
}
"""URL words other pages use at the top of a language (a measure may not take them)."""


@dataclass(frozen=True)
class Catalogue:
    """Every measure, in publication order, and the rights they belong to."""

    measures: tuple[Measure, ...]
    rights: tuple[Right, ...] = ()

    def __iter__(self) -> Iterator[Measure]:
        return iter(self.measures)

    def __len__(self) -> int:
        return len(self.measures)

    def __contains__(self, code: object) -> bool:
        return any(m.code == code for m in self.measures)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(m.code for m in self.measures)

    def get(self, code: str) -> Measure:
        for m in self.measures:
            if m.code == code:
                return m
        raise KeyError(code)

    @property
    def headline(self) -> Measure:
        """The measure of the headlines (exactly one is marked)."""
        return next(m for m in self.measures if m.headline)

    def subsets(self) -> dict[str, str]:
        """Measure → the measure it is a subset of (gpmi → ris, …)."""
        return {m.code: m.subset_of for m in self.measures if m.subset_of}

    def derived(self) -> dict[str, tuple[str, ...]]:
        """Derived measure → its components (dis → ris, empl_dis), in publication order."""
        return {m.code: m.components for m in self.measures if m.components}

    @property
    def reported(self) -> tuple[str, ...]:
        """The codes an extract may hold (every measure that is not derived)."""
        return tuple(m.code for m in self.measures if not m.components)

    def not_collected(self) -> dict[str, tuple[str, ...]]:
        """Measure → the breakdown groups not collected for it (dmh → household)."""
        out = {}
        for m in self.measures:
            missing = tuple(g for g in GROUPS if g not in m.groups)
            if missing:
                out[m.code] = missing
        return out

    def by_right(self) -> list[tuple[Right, tuple[Measure, ...]]]:
        """Each right with its measures, in publication order."""
        return [(r, tuple(m for m in self.measures if m.right == r.code)) for r in self.rights]


def _entry_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[measure]]"]


def load_catalogue(path: Path) -> Catalogue:
    """Read and validate the catalogue; raise one DataError listing every problem."""
    name = display_name(path)
    try:
        text = path.read_text(encoding="utf-8")
        doc = tomllib.loads(text)
    except FileNotFoundError:
        raise DataError(Problem(name, 0, "-", "the measure catalogue", "no such file")) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", 0) or 0
        raise DataError(Problem(name, line, "-", "valid UTF-8 TOML", str(exc)[:80])) from None
    entries = doc.get("measure")
    if not isinstance(entries, list) or not entries:
        raise DataError(Problem(name, 1, "measure", "one [[measure]] table per measure", "none"))
    unknown_top = sorted(set(doc) - {"measure", "right"})
    problems = [
        Problem(name, 1, key, "only [[right]] and [[measure]] tables", f"a key '{key}'")
        for key in unknown_top
    ]
    lines = _entry_lines(text)
    measures: list[Measure] = []
    seen: set[str] = set()
    slugs: dict[tuple[str, str], str] = {}
    for i, entry in enumerate(entries):
        line = lines[i] if i < len(lines) else 0

        def bad(key: str, expected: str, found: object, line: int = line) -> None:
            problems.append(Problem(name, line, key, expected, str(found)[:80]))

        for key in sorted(set(entry) - set(FIELDS)):
            bad(key, f"only the keys {', '.join(FIELDS)}", f"a key '{key}'")
        missing = [k for k in REQUIRED if k not in entry]
        for key in missing:
            bad(key, f"a value for '{key}'", "none")
        if missing:
            continue
        code = entry["code"]
        if not (isinstance(code, str) and _CODE.fullmatch(code)):
            bad("code", "a lower-case code like ris or empl_dis", repr(code))
            continue
        if code in seen:
            bad("code", "each code once", f"'{code}' again")
        seen.add(code)
        texts = {}
        for key in ("name", "slug"):
            value = entry[key]
            if not (
                isinstance(value, dict)
                and set(value) == set(LANGS)
                and all(isinstance(v, str) and v.strip() for v in value.values())
            ):
                bad(f"{code}.{key}", f"a text in each of {', '.join(LANGS)}", repr(value))
                continue
            texts[key] = {lang: value[lang].strip() for lang in LANGS}
        for lang, slug in texts.get("slug", {}).items():
            if not _SLUG.fullmatch(slug):
                bad(f"{code}.slug.{lang}", "lower-case letters, digits and single hyphens", slug)
            elif slug in RESERVED_SLUGS[lang]:
                bad(f"{code}.slug.{lang}", "a URL word no other page uses", slug)
            elif (lang, slug) in slugs:
                bad(f"{code}.slug.{lang}", "a URL word of its own", f"that of {slugs[lang, slug]}")
            else:
                slugs[(lang, slug)] = code
        definition = entry["definition"]
        if not (
            isinstance(definition, dict)
            and set(definition) == set(LANGS)
            and all(
                isinstance(v, list) and v and all(isinstance(p, str) and p.strip() for p in v)
                for v in definition.values()
            )
        ):
            bad(f"{code}.definition", f"paragraphs in each of {', '.join(LANGS)}", "another shape")
            continue
        subset_of = entry.get("subset_of")
        if subset_of is not None and not isinstance(subset_of, str):
            bad(f"{code}.subset_of", "the code of a measure", repr(subset_of))
            continue
        headline = entry.get("headline", False)
        if not isinstance(headline, bool):
            bad(f"{code}.headline", "true or false", repr(headline))
            continue
        legal = entry["legal_basis"]
        if not (
            isinstance(legal, dict)
            and set(legal) == set(LANGS)
            and all(isinstance(v, str) and v.strip() for v in legal.values())
        ):
            bad(f"{code}.legal_basis", f"a text in each of {', '.join(LANGS)}", repr(legal))
            continue
        for key in ("right", "family"):
            if not (isinstance(entry[key], str) and _CODE.fullmatch(entry[key])):
                bad(f"{code}.{key}", "a lower-case code", repr(entry[key]))
        groups = entry.get("groups", list(GROUPS))
        if not (
            isinstance(groups, list)
            and groups
            and len(set(groups)) == len(groups)
            and set(groups) <= set(GROUPS)
        ):
            bad(f"{code}.groups", f"a list of breakdown groups of {', '.join(GROUPS)}", groups)
            continue
        colour = entry["colour"]
        if not (isinstance(colour, str) and _COLOUR.fullmatch(colour)):
            bad(f"{code}.colour", "a colour #rrggbb (lower case)", repr(colour))
        components = entry.get("components", [])
        if not (
            isinstance(components, list)
            and all(isinstance(c, str) for c in components)
            and len(components) != 1
        ):
            bad(f"{code}.components", "a list of two or more measure codes", repr(components))
            continue
        stable = entry.get("stable_after", 0)
        if not (type(stable) is int and 0 <= stable <= 24):
            bad(f"{code}.stable_after", "a whole number of months from 0 to 24", repr(stable))
            continue
        if len(texts) != 2:
            continue
        measures.append(
            Measure(
                code=code,
                name=texts["name"],
                slug=texts["slug"],
                definition={lang: tuple(p.strip() for p in definition[lang]) for lang in LANGS},
                subset_of=subset_of,
                headline=headline,
                right=entry["right"],
                family=entry["family"],
                legal_basis={lang: legal[lang].strip() for lang in LANGS},
                groups=tuple(g for g in GROUPS if g in groups),
                colour=colour,
                stable_after=stable,
                components=tuple(components),
            )
        )
    codes = {m.code for m in measures}
    for i, m in enumerate(measures):
        if m.subset_of is not None and (m.subset_of not in codes or m.subset_of == m.code):
            line = lines[i] if i < len(lines) else 0
            problems.append(
                Problem(name, line, f"{m.code}.subset_of", "another measure's code", m.subset_of)
            )
        for c in m.components:
            if c not in codes or c == m.code or c in dict.fromkeys(_derived(measures)):
                line = lines[i] if i < len(lines) else 0
                problems.append(
                    Problem(name, line, f"{m.code}.components", "codes of reported measures", c)
                )
    rights, right_problems = _rights(name, text, doc.get("right"))
    problems += right_problems
    known_rights = {r.code for r in rights}
    for i, m in enumerate(measures):
        if m.right not in known_rights:
            line = lines[i] if i < len(lines) else 0
            problems.append(
                Problem(name, line, f"{m.code}.right", "the code of a [[right]]", m.right)
            )
    headlines = [m.code for m in measures if m.headline]
    if len(headlines) != 1 and not problems:
        problems.append(
            Problem(name, 0, "headline", "exactly one measure with headline = true", str(headlines))
        )
    if problems:
        raise DataError(problems)
    return Catalogue(tuple(measures), rights)


def _derived(measures: list[Measure]) -> list[str]:
    return [m.code for m in measures if m.components]


def _rights(name: str, text: str, entries: object) -> tuple[tuple[Right, ...], list[Problem]]:
    """The ``[[right]]`` tables: code, name and definition in each language."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[right]]"]
    if not isinstance(entries, list) or not entries:
        return (), [Problem(name, 1, "right", "one [[right]] table per right", "none")]
    rights, problems = [], []
    for i, entry in enumerate(entries):
        line = lines[i] if i < len(lines) else 0
        code = entry.get("code") if isinstance(entry, dict) else None
        if not (isinstance(code, str) and _CODE.fullmatch(code)):
            problems.append(Problem(name, line, "right.code", "a lower-case code", repr(code)))
            continue
        for key in sorted(set(entry) - set(RIGHT_FIELDS)):
            problems.append(
                Problem(name, line, f"right.{code}", "only code, name, definition", key)
            )
        label, definition = entry.get("name"), entry.get("definition")
        if not (isinstance(label, dict) and set(label) == set(LANGS)) or not (
            isinstance(definition, dict)
            and set(definition) == set(LANGS)
            and all(isinstance(v, list) and v for v in definition.values())
        ):
            problems.append(
                Problem(name, line, f"right.{code}", "a name and definition per language", "-")
            )
            continue
        rights.append(
            Right(
                code=code,
                name={lang: str(label[lang]) for lang in LANGS},
                definition={lang: tuple(map(str, definition[lang])) for lang in LANGS},
            )
        )
    return tuple(rights), problems
