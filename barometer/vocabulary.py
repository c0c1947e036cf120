"""The barometer's vocabulary: the words every stage shares, and nothing else.

Languages, the levels of the geography and its fixed codes, the breakdown groups of the extract
and their categories, the words of URLs, the shape of a measure (the measures themselves are
data: ``data/measures.toml``, read by :mod:`barometer.catalogue`) and the keys of charts.

This module imports nothing from the package (a leaf that every module may use), so a word
is defined once and read everywhere. Labels shown to readers are gettext message ids, marked
with :func:`N_` and translated where they are shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


# --- languages ---------------------------------------------------------------------------------

LANGS: tuple[str, ...] = ("nl", "fr", "de", "en")
LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "de": "de_BE", "en": "en"}

# --- geography ---------------------------------------------------------------------------------

COUNTRY = "01000"
HERSTAPPE = "73028"
"""Herstappe has no OCMW/CPAS of its own: it never appears in the extract."""
REGIONS = ("02000", "03000", "04000")
"""Flemish, Walloon and Brussels-Capital Region (in this order in charts and legends)."""

Level = Literal["country", "region", "province", "arrondissement", "municipality"]
LEVELS: tuple[Level, ...] = ("country", "region", "province", "arrondissement", "municipality")
RANKED_LEVELS: tuple[Level, ...] = ("municipality", "arrondissement", "province")
"""Levels ranked by rate (in their region and in the country)."""
LAYERS: dict[str, str] = {
    "region": "regions",
    "province": "provinces",
    "arrondissement": "arrondissements",
    "municipality": "municipalities",
}
"""Level → the TopoJSON object (map layer) holding its shapes."""
LEVEL_LABELS = {
    "country": N_("Country"),
    "region": N_("Region"),
    "province": N_("Province"),
    "arrondissement": N_("Arrondissement"),
    "municipality": N_("Municipality"),
}

# --- breakdown groups of the extract (SCHEMA.md) --------------------------------------------------

GROUPS: dict[str, tuple[str, ...]] = {
    "sex": ("sex_m", "sex_f"),
    "age": ("age_lt25", "age_25_34", "age_35_44", "age_45_54", "age_55_64", "age_65_plus"),
    "nationality": ("nat_be", "nat_eu", "nat_non_eu"),
    "household": ("hh_cohabiting", "hh_single", "hh_family"),
}
"""Breakdown group → its count columns in the extract (each group sums to ``total``)."""
COUNT_COLUMNS: tuple[str, ...] = ("total", *(c for cols in GROUPS.values() for c in cols))
CELLS: dict[str, tuple[str, str]] = {"total": ("total", "total")} | {
    c: (group, c.split("_", 1)[1]) for group, cols in GROUPS.items() for c in cols
}
"""Extract column → (dimension, category) of the published tables, in publication order."""
DIMENSIONS: tuple[str, ...] = ("total", *GROUPS)
CATEGORIES: tuple[str, ...] = tuple(cat for _, cat in CELLS.values())
GROUP_CATEGORIES: dict[str, tuple[str, ...]] = {
    group: tuple(c.split("_", 1)[1] for c in cols) for group, cols in GROUPS.items()
}
GROUP_LABELS = {
    "sex": N_("Sex"),
    "age": N_("Age"),
    "nationality": N_("Nationality"),
    "household": N_("Household category"),
}
CATEGORY_LABELS = {
    "m": N_("Men"),
    "f": N_("Women"),
    "lt25": N_("Under 25"),
    "25_34": N_("25 to 34"),
    "35_44": N_("35 to 44"),
    "45_54": N_("45 to 54"),
    "55_64": N_("55 to 64"),
    "65_plus": N_("65 and over"),
    "be": N_("Belgian"),
    "eu": N_("Other EU"),
    "non_eu": N_("Non-EU"),
    "cohabiting": N_("Cohabiting"),
    "single": N_("Single"),
    "family": N_("With family responsibility"),
}

# --- measures (the catalogue's shape; the measures are in data/measures.toml) -----------------------


@dataclass(frozen=True)
class Measure:
    """One measure of the catalogue (``data/measures.toml``)."""

    code: str
    """As in the extract's ``measure`` column: ``ris``, ``gpmi``, …"""
    name: Mapping[str, str]
    """Language → short name, as the public knows it."""
    slug: Mapping[str, str]
    """Language → the URL word of the measure's page."""
    definition: Mapping[str, tuple[str, ...]]
    """Language → paragraphs that define the measure."""
    subset_of: str | None = None
    """Code of the measure this one is a subset of (gpmi and spi: ris), or None."""
    headline: bool = False
    """The measure of the headlines (home page, preview images, neighbours, income scatter)."""
    right: str = ""
    """Code of the right it belongs to (``dis``: social integration, ``das``: social aid)."""
    family: str = ""
    """The claim it is reported on (measures of one claim are missing together)."""
    legal_basis: Mapping[str, str] = field(default_factory=dict)
    """Language → the law and article it rests on."""
    groups: tuple[str, ...] = tuple(GROUPS)
    """The breakdown groups collected for it (dmh: no household)."""
    colour: str = "#0b3c8c"
    """Its colour in charts that show several measures."""
    stable_after: int = 0
    """Months after which a month is stable (the extract's metadata overrides it)."""
    components: tuple[str, ...] = ()
    """A derived measure: the measures it is the cell-by-cell sum of (else empty)."""

    @property
    def derived(self) -> bool:
        return bool(self.components)


@dataclass(frozen=True)
class Right:
    """A right of the OCMW/CPAS law (the catalogue's ``[[right]]``): its measures are grouped by it."""

    code: str
    name: Mapping[str, str]
    definition: Mapping[str, tuple[str, ...]]


# --- URL words ---------------------------------------------------------------------------------

LEVEL_WORDS = {
    "municipality": {"nl": "gemeente", "fr": "commune", "de": "gemeinde", "en": "municipality"},
    "arrondissement": {
        "nl": "arrondissement",
        "fr": "arrondissement",
        "de": "bezirk",
        "en": "arrondissement",
    },
    "province": {"nl": "provincie", "fr": "province", "de": "provinz", "en": "province"},
    "region": {"nl": "gewest", "fr": "region", "de": "region", "en": "region"},
}
COUNTRY_SLUG = {"nl": "belgie", "fr": "belgique", "de": "belgien", "en": "belgium"}
PAGE_SLUGS = {
    "methodology": {
        "nl": "methodologie",
        "fr": "methodologie",
        "de": "methodik",
        "en": "methodology",
    },
    "data": {"nl": "data", "fr": "donnees", "de": "daten", "en": "data"},
    "scatter": {"nl": "inkomen", "fr": "revenus", "de": "einkommen", "en": "income"},
    "compare": {"nl": "vergelijken", "fr": "comparer", "de": "vergleichen", "en": "compare"},
    "notes": {"nl": "analyses", "fr": "analyses", "de": "analysen", "en": "notes"},
    "search": {"nl": "zoeken", "fr": "recherche", "de": "suche", "en": "search"},
}


# --- chart keys --------------------------------------------------------------------------------

ChartKind = Literal["evo", "map", "locator", "scatter", "published", "strip"]
CHART_KINDS: tuple[ChartKind, ...] = ("evo", "map", "locator", "scatter", "published", "strip")
OVERVIEW = "regions"
"""The ``area`` of the evolution chart of Belgium and its regions (a measure page's chart)."""


@dataclass(frozen=True, order=True)
class ChartKey:
    """Which chart: a typed value instead of a string protocol.

    ``kind`` says what is drawn; ``area`` is an area code (evolution: the area and its larger
    areas; locator: the area), ``OVERVIEW`` (Belgium and its regions), a map layer
    (``municipalities``, ``regions``, …) or a scatter (``income``, ``growth``); ``measure`` the
    measure code; ``lang`` is set for the maps whose areas link to pages of one language.
    :attr:`slug` is the key as text: file names, ``data-chart`` attributes and the
    ``[[chart …]]`` directive of notes.
    """

    kind: ChartKind
    area: str = ""
    measure: str = ""
    lang: str = ""

    @property
    def slug(self) -> str:
        parts = {
            "evo": (self.area, self.measure),
            "map": (self.area, self.measure, self.lang),
            "locator": (self.area,),
            "scatter": (self.area, self.measure),
            "published": (self.measure,),
            "strip": (self.measure,),
        }[self.kind]
        return "-".join((self.kind, *(p for p in parts if p)))

    @property
    def interactive(self) -> bool:
        """Whether the browser re-renders it with tooltips (its spec is published as JSON): the
        overview line charts and the maps of every municipality."""
        return (self.kind == "evo" and self.area == OVERVIEW) or (
            self.kind == "map" and self.area == "municipalities" and not self.lang
        )

    @property
    def inline(self) -> bool:
        """Whether pages carry the chart's SVG inline: the maps whose areas are links (an image
        cannot link) and the scatters; every other chart is an image file shared by the pages
        and languages that show it."""
        return self.kind == "scatter" or (self.kind == "map" and bool(self.lang))

    @classmethod
    def parse(cls, text: str) -> ChartKey | None:
        """The key a slug names (``evo-regions-ris``, ``published-ris``, …), or None."""
        kind, _, rest = text.partition("-")
        parts = rest.split("-") if rest else []
        if kind == "evo" and len(parts) == 2:
            return cls("evo", parts[0], parts[1])
        if kind == "map" and len(parts) in (2, 3):
            return cls("map", parts[0], parts[1], parts[2] if len(parts) == 3 else "")
        if kind == "locator" and len(parts) == 1:
            return cls("locator", parts[0])
        if kind == "scatter" and len(parts) == 2:
            return cls("scatter", parts[0], parts[1])
        if kind == "published" and len(parts) == 1:
            return cls("published", measure=parts[0])
        if kind == "strip" and len(parts) == 1:
            return cls("strip", measure=parts[0])
        return None
