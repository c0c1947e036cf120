"""Page models: one frozen dataclass per page type, and the parts they are made of.

A template receives exactly one of these as ``page`` and may use only the fields declared here
(``tests/test_templates.py`` renders every template against its type and reads every template
for fields no type declares). Every number arrives formatted, in the page's language; an optional
part is ``None`` (never an absent key), so templates test ``{% if x %}``, never ``is defined``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

# --- parts -------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Link:
    name: str
    url: str
    code: str


@dataclass(frozen=True, kw_only=True)
class NavLink:
    label: str
    url: str


@dataclass(frozen=True, kw_only=True)
class Nav:
    """The site's navigation in one language (header, footer and a few links in pages)."""

    home: str
    belgium: str
    methodology: str
    data: str
    compare: str
    scatter: str
    notes: str
    search: str
    rights: tuple[NavLink, ...]
    """Each right's overview (a section of the home page)."""


@dataclass(frozen=True, kw_only=True)
class KeyFigures:
    """The latest published month of one measure in one area."""

    month: str
    count: str
    per_1000: str
    yoy: str
    yoy_direction: str
    """'up', 'down', 'flat' or 'none' (no base to compare with)."""
    growth: str | None
    """Average monthly growth of the last 12 months; None when it cannot be computed."""
    notes: str
    """Why a figure is incomplete or missing ('' when nothing to say)."""
    share_of_ris: str | None = None
    """A subset measure (gpmi, spi): its persons as a share of the integration income's."""


@dataclass(frozen=True, kw_only=True)
class LegendItem:
    name: str
    swatch: str
    """The class that paints its colour (:func:`barometer.charts.swatch`)."""
    main: bool


@dataclass(frozen=True, kw_only=True)
class LineFigure:
    """A line chart (every month, per 1000 inhabitants) with its legend, summary and table."""

    key: str
    """The chart's key (:class:`barometer.vocabulary.ChartKey` as text)."""
    summary: str
    legend: tuple[LegendItem, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    """The table under the chart: year, then one value per line."""
    spec: str | None = None
    """Site path of the chart's interactive spec (tooltips), or None."""
    partial_table: bool = False
    """Whether the table holds fewer areas than the chart (a municipality and Belgium)."""
    provisional: str = ""
    """What the dashed end of the lines is (the provisional months), or empty."""
    recent: RecentTable | None = None
    """The first line's last 12 stable months with their 12-month moving average and the same
    month a year earlier (the table of the chart without JavaScript)."""


@dataclass(frozen=True, kw_only=True)
class RecentTable:
    caption: str
    rows: tuple[tuple[str, str, str, str], ...]
    """Newest first: month, per 1000, 12-month moving average, the same month a year earlier."""
    compare: str
    """The compare tool showing the area's whole series as its 12-month average."""


@dataclass(frozen=True, kw_only=True)
class ClassItem:
    """One class of a map's legend."""

    swatch: str
    """The class that paints its colour (:func:`barometer.charts.swatch`)."""
    label: str


@dataclass(frozen=True, kw_only=True)
class AreaRate:
    name: str
    per_1000: str


@dataclass(frozen=True, kw_only=True)
class MapFigure:
    key: str
    legend: tuple[ClassItem, ...]
    rows: tuple[AreaRate, ...]
    summary: str
    spec: str | None = None
    level: str = ""
    """The level mapped, for maps shown side by side ('' for the map of municipalities)."""
    table_at: str | None = None
    """The id of the page's table that holds the map's figures, when the page has one (the
    measure page's ranking): the map then carries no table of its own."""


@dataclass(frozen=True, kw_only=True)
class BreakdownRow:
    label: str
    count: str
    share: str
    share_pct: int
    parent_share: str
    parent_pct: int
    suppressed: bool
    points: str = ""
    """Its points of the change on a year ('–': not shown, hidden in one of the two months;
    '' when the table has no such column)."""


@dataclass(frozen=True, kw_only=True)
class BreakdownGroup:
    label: str
    rows: tuple[BreakdownRow, ...]
    rest: str = ""
    """Points of the change of the groups not shown, together ('' when every group is shown)."""
    rest_label: str = ""
    """'Groups not shown, together', or 'Not attributed to a group' when every group is shown
    but their points do not add up to the change."""


@dataclass(frozen=True, kw_only=True)
class ChangeSplit:
    """What changed: the change on a year split by group (:mod:`barometer.contributions`)."""

    sentence: str
    """e.g. '+1,6% from August 2025 to August 2026. Largest parts, in points: …'."""


@dataclass(frozen=True, kw_only=True)
class ComparisonRow:
    name: str
    url: str
    code: str
    level: str
    count: str
    per_1000: str
    yoy: str
    note: str
    current: bool
    """The area of the page (not linked)."""


@dataclass(frozen=True, kw_only=True)
class Ranks:
    region: str
    country: str


@dataclass(frozen=True, kw_only=True)
class Sparkline:
    """A measure's last years in one area as a small line (no axes): path data in pixels of a
    :data:`~barometer.pages.lookups.SPARK_SIZE` box, and its last point."""

    d: str
    x: int
    y: int
    since: str
    """The year it starts."""


@dataclass(frozen=True, kw_only=True)
class OverviewRow:
    """One measure in the overview at the top of an area's page."""

    id: str
    label: str
    count: str
    per_1000: str
    yoy: str
    yoy_direction: str
    month: str | None
    """The measure's latest month when it differs from the overview's (its caption's)."""
    spark: Sparkline | None


@dataclass(frozen=True, kw_only=True)
class OverviewGroup:
    """The measures of one right."""

    name: str
    rows: tuple[OverviewRow, ...]


@dataclass(frozen=True, kw_only=True)
class EventItem:
    """A dated event the evolution charts mark with its number (:mod:`barometer.events`)."""

    number: int
    when: str
    name: str
    source: str
    url: str


@dataclass(frozen=True, kw_only=True)
class StripMark:
    """A municipality on the strip of every municipality's rate (a shared image), with its
    region's median: positions as percentages of the strip's width, and what it shows in words."""

    chart: str
    """The strip's chart key (:class:`barometer.vocabulary.ChartKey` as text)."""
    x: str
    median_x: str
    caption: str
    legend_self: str
    legend_median: str
    text: str
    """Where it stands among all, and against its region given its size (the funnel band)."""


@dataclass(frozen=True, kw_only=True)
class EntityMeasure:
    """One measure's section of an area's page."""

    id: str
    label: str
    url: str
    figures: KeyFigures
    comparison: tuple[ComparisonRow, ...]
    evolution: LineFigure | None
    breakdown: tuple[BreakdownGroup, ...]
    change: ChangeSplit | None
    """The breakdown's split of the change on a year (None: no change or nothing to split)."""
    parent_name: str
    ranks: Ranks | None
    strip: StripMark | None = None
    """The headline measure of a municipality: where it stands among all."""


@dataclass(frozen=True, kw_only=True)
class AreaCount:
    """A neighbouring or peer municipality in the headline measure."""

    name: str
    url: str
    code: str
    count: str
    per_1000: str


@dataclass(frozen=True, kw_only=True)
class ChildRate:
    name: str
    url: str
    code: str
    per_1000: str


@dataclass(frozen=True, kw_only=True)
class EntityScatter:
    """The area's own dot on the pre-rendered income scatter (works without JavaScript)."""

    image: str
    width: int
    height: int
    x: str
    y: str
    anchor: str
    label_dx: str
    year: str
    summary: str
    url: str
    legend: tuple[LegendItem, ...]


@dataclass(frozen=True, kw_only=True)
class MeasureCard:
    label: str
    url: str
    figures: KeyFigures
    swatch: str
    """The class that paints the measure's colour (the catalogue's ``colour``)."""


@dataclass(frozen=True, kw_only=True)
class RightSection:
    """A right and its measures (the first its total, when the catalogue derives one)."""

    id: str
    name: str
    definition: tuple[str, ...]
    measures: tuple[MeasureCard, ...]


@dataclass(frozen=True, kw_only=True)
class IndexEntry:
    """A municipality of the A-to-Z index, with its names in the other languages."""

    name: str
    url: str
    code: str
    also: str


@dataclass(frozen=True, kw_only=True)
class NoteEntry:
    title: str
    url: str
    date: str
    iso_date: str
    summary: str


@dataclass(frozen=True, kw_only=True)
class RankingRow:
    name: str
    url: str
    code: str
    region: str
    count: str
    per_1000: str
    rank: str
    versus: str
    """Against its region's rate given its population: higher or lower beyond chance, or
    within the band chance produces (the funnel band), in words; '' without a figure."""
    versus_class: str
    """'higher', 'lower', 'within' or ''."""


@dataclass(frozen=True, kw_only=True)
class LastMonth:
    label: str
    month: str
    stable: int


@dataclass(frozen=True, kw_only=True)
class ReconciliationRow:
    where: str
    what: str
    period: str
    kind: str
    computed: str
    published: str
    difference: str
    within_rounding: bool
    checked: bool
    address: str
    url: str | None
    """A link to the source; None for a plain-http address (shown as text)."""


@dataclass(frozen=True, kw_only=True)
class Denominators:
    region: str
    last: str
    gaps: str


@dataclass(frozen=True, kw_only=True)
class SourceRow:
    publisher: str
    licence: str
    page: str
    file: str


@dataclass(frozen=True, kw_only=True)
class DownloadFile:
    label: str
    file: str
    """Site path of the file."""
    size: str
    """Its size, formatted (kB, MB)."""


@dataclass(frozen=True, kw_only=True)
class MeasureFiles:
    label: str
    id: str
    files: tuple[DownloadFile, ...]


@dataclass(frozen=True, kw_only=True)
class AreaFiles:
    name: str
    url: str
    code: str
    files: tuple[DownloadFile, ...]


@dataclass(frozen=True, kw_only=True)
class ScatterFigure:
    key: str
    size: tuple[int, int]
    summary: str
    method: str
    r: str


@dataclass(frozen=True, kw_only=True)
class ScatterOption:
    code: str
    name: str
    rate_xy: str
    growth_xy: str
    text: str


@dataclass(frozen=True, kw_only=True)
class ScatterRow:
    name: str
    url: str
    code: str
    region: str
    income: str
    rate: str
    growth: str


@dataclass(frozen=True, kw_only=True)
class Choice:
    id: str
    label: str
    groups: str = ""
    """A measure: its breakdown groups, space-separated (the compare tool offers only those)."""


@dataclass(frozen=True, kw_only=True)
class ChoiceGroup:
    id: str
    """The breakdown group's key (``household``, …)."""
    dimension: str
    options: tuple[Choice, ...]


@dataclass(frozen=True, kw_only=True)
class Download:
    label: str
    file: str


@dataclass(frozen=True, kw_only=True)
class TocEntry:
    id: str
    title: str


@dataclass(frozen=True, kw_only=True)
class NoteSource:
    publisher: str
    address: str
    """Where the figure was published (shown as text)."""
    url: str | None
    """The same address as a link — None for a plain-http address: pages link only to https."""


@dataclass(frozen=True, kw_only=True)
class NotePart:
    """A part of a note: Markdown rendered to HTML, or an embedded chart of the site."""

    html: str | None = None
    """HTML made by markdown-it (raw HTML disabled), or None for a chart."""
    chart: str = ""
    caption: str = ""
    legend: tuple[LegendItem, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] | None = None
    """The table of a line chart (year × lines), or None."""
    map_rows: tuple[AreaRate, ...] | None = None
    """The table of a map, or None."""


# --- pages -------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Page:
    """What every page has."""

    template: ClassVar[str]
    path: str
    """Site path of the page (relative, ending in '/')."""
    title: str
    description: str
    alternates: Mapping[str, str]
    """Language → path of the same page."""
    og_image: str = "og/01000.png"


@dataclass(frozen=True, kw_only=True)
class HomePage(Page):
    template = "home.html"
    figures: KeyFigures
    headline: str
    """The name of the headline measure."""
    map: MapFigure
    evolution: LineFigure
    events: tuple[EventItem, ...]
    """The events its evolution chart marks."""
    rights: tuple[RightSection, ...]
    """Each right's overview: its definition and its measures."""
    regions: tuple[Link, ...]
    provinces: tuple[Link, ...]
    country: Link
    municipalities: tuple[IndexEntry, ...]
    notes: tuple[NoteEntry, ...]
    notes_url: str


@dataclass(frozen=True, kw_only=True)
class EntityPage(Page):
    template = "entity.html"
    code: str
    name: str
    level: str
    level_label: str
    other_names: tuple[str, ...]
    breadcrumbs: tuple[Link, ...]
    measures: tuple[EntityMeasure, ...]
    overview: tuple[OverviewGroup, ...]
    """Every measure's latest figures and last years, by right (empty for Herstappe)."""
    overview_month: str
    events: tuple[EventItem, ...]
    """The events its evolution charts mark (listed once, under the overview)."""
    side_month: str
    """The month of the neighbours' and peers' figures (headline measure)."""
    neighbours: tuple[AreaCount, ...]
    peers: tuple[AreaCount, ...]
    children: tuple[ChildRate, ...]
    children_label: str
    locator: str | None
    merger: str | None
    herstappe: bool
    downloads: tuple[Download, ...]
    """The area's files: totals and breakdowns (CSV), workbook (xlsx); none for Herstappe."""
    scatter: EntityScatter | None
    compare_url: str


@dataclass(frozen=True, kw_only=True)
class MeasurePage(Page):
    template = "measure.html"
    measure: str
    official_name: str
    definition: tuple[str, ...]
    figures: KeyFigures
    map: MapFigure
    level_maps: tuple[MapFigure, ...]
    evolution: LineFigure
    breakdown: tuple[BreakdownGroup, ...]
    change: ChangeSplit | None
    ranking: tuple[RankingRow, ...]
    downloads: tuple[Download, ...]
    right: str
    """The name of the right the measure belongs to."""
    legal_basis: str
    parts: tuple[NavLink, ...]
    """A derived measure: the measures it adds up (else empty)."""
    ratio_map: MapFigure | None
    """A subset of the integration income: its share of it in every municipality."""
    revisions: tuple[RevisionRow, ...]
    """The last months' national count in the previous vintage and in this one."""
    events: tuple[EventItem, ...]
    """The events its evolution chart marks."""
    previous_vintage: str
    """The previous vintage's extract date, formatted ('' without one)."""
    completeness: str
    """How complete the provisional months usually are ('' when not known)."""


@dataclass(frozen=True, kw_only=True)
class RevisionRow:
    month: str
    previous: str
    current: str
    revision: str
    provisional: bool
    """Still provisional in this vintage."""


@dataclass(frozen=True, kw_only=True)
class MeasureDefinition:
    name: str
    definition: str
    legal_basis: str


@dataclass(frozen=True, kw_only=True)
class RightDefinitions:
    name: str
    measures: tuple[MeasureDefinition, ...]


@dataclass(frozen=True, kw_only=True)
class MethodologyPage(Page):
    template = "methodology.html"
    rights: tuple[RightDefinitions, ...]
    not_collected: tuple[str, ...]
    """Why a measure has no breakdown by a group (one sentence per measure)."""
    last_months: tuple[LastMonth, ...]
    extract_date: str
    synthetic: bool
    reconciliation: tuple[ReconciliationRow, ...]
    denominators: tuple[Denominators, ...]
    sources: tuple[SourceRow, ...]
    events: tuple[EventItem, ...]
    """The events the charts mark, with their sources."""


@dataclass(frozen=True, kw_only=True)
class Edition:
    label: str
    url: str


@dataclass(frozen=True, kw_only=True)
class DataPage(Page):
    template = "data.html"
    edition: str
    """The extract date of this edition, formatted."""
    editions: tuple[Edition, ...]
    """Past editions, each archived as a release with all its files (newest first)."""
    about: tuple[DownloadFile, ...]
    """What to read first: the README, the data package, the list of areas."""
    everything: tuple[DownloadFile, ...]
    measures: tuple[MeasureFiles, ...]
    entities: tuple[AreaFiles, ...]


@dataclass(frozen=True, kw_only=True)
class SearchPage(Page):
    template = "search.html"
    index: str
    """Site path of the language's search index (:mod:`barometer.pages.search`)."""
    home: str
    one_result: str
    many_results: str
    """'{n} results' in the language (the page script puts the number in)."""
    no_result: str


@dataclass(frozen=True, kw_only=True)
class ScatterPage(Page):
    template = "scatter.html"
    year: str
    measure_label: str
    legend: tuple[LegendItem, ...]
    rate: ScatterFigure | None
    """None when no year has both income and rates (the page says so)."""
    growth: ScatterFigure | None
    options: tuple[ScatterOption, ...]
    rows: tuple[ScatterRow, ...]


@dataclass(frozen=True, kw_only=True)
class ComparePage(Page):
    template = "compare.html"
    max: int
    measures: tuple[Choice, ...]
    indicators: tuple[Choice, ...]
    categories: tuple[ChoiceGroup, ...]
    levels: Mapping[str, str]
    data: str
    default: str
    downloads: tuple[Download, ...]
    data_page: str


@dataclass(frozen=True, kw_only=True)
class NotesPage(Page):
    template = "notes.html"
    notes: tuple[NoteEntry, ...]


@dataclass(frozen=True, kw_only=True)
class NotePage(Page):
    template = "note.html"
    date: str
    iso_date: str
    author: str
    parts: tuple[NotePart, ...]
    toc: tuple[TocEntry, ...]
    sources: tuple[NoteSource, ...]
    index: str


@dataclass(frozen=True, kw_only=True)
class NotFoundPage(Page):
    template = "404.html"


@dataclass(frozen=True, kw_only=True)
class RedirectPage:
    """The page of a former municipality code: it sends the reader to the successor."""

    template: ClassVar[str] = "redirect.html"
    path: str
    title: str
    target: str
    target_name: str
    code: str
    until: str


PAGE_TYPES: tuple[type[Page] | type[RedirectPage], ...] = (
    HomePage,
    EntityPage,
    MeasurePage,
    MethodologyPage,
    DataPage,
    SearchPage,
    ScatterPage,
    ComparePage,
    NotesPage,
    NotePage,
    NotFoundPage,
    RedirectPage,
)
"""Every page type and, by its ``template``, the template that renders it."""


@dataclass(frozen=True, kw_only=True)
class SiteModel:
    """Every page of every language, and what the renderer shares between pages."""

    pages: Mapping[str, tuple[Page, ...]]
    redirects: Mapping[str, tuple[RedirectPage, ...]]
    nav: Mapping[str, Nav]
    cards: Mapping[str, Card] = field(default_factory=dict)
    """Preview image of each area (code → what the card shows)."""


@dataclass(frozen=True, kw_only=True)
class Card:
    """What an area's preview image shows (language-neutral)."""

    name: str
    level: str
    value: str
    month: str
    measure: str
    series: tuple[float, ...]
    locator: str | None
    """The key of the area's locator map (None for Belgium)."""
    synthetic: bool
