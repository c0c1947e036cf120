"""Pages that exist once per language to explain and hand over the data: methodology, data and
downloads, search."""

from __future__ import annotations

from collections.abc import Mapping

from barometer import urls
from barometer.i18n import entity_name, load_lang
from barometer.pages.builder import PageBuilder, page_alternates, secure
from barometer.pages.entity import area_downloads
from barometer.pages.search import index_path
from barometer.pages.types import (
    AreaFiles,
    DataPage,
    Denominators,
    DownloadFile,
    Edition,
    LastMonth,
    MeasureDefinition,
    MeasureFiles,
    MethodologyPage,
    ReconciliationRow,
    RightDefinitions,
    SearchPage,
    SourceRow,
)
from barometer.vocabulary import GROUP_LABELS, GROUPS, HERSTAPPE, LEVELS

FIRST_YEAR = 2005
"""The first year of the extract: population years missing since then are listed."""


def methodology_page(b: PageBuilder) -> MethodologyPage:
    _ = b._
    lk = b.lk
    whats = {
        "ris": next((b.measure_name(m) for m in lk.measures if m.code == "ris"), "ris"),
        "employment": _("Employment through the OCMW/CPAS (both rights)"),
        "ris_share": _("Integration income, % of the population"),
    }
    kinds = {
        "annual_average": _("annual average"),
        "average_of_months": _("average of months"),
        "month": _("single month"),
    }
    return MethodologyPage(
        events=b.events(),
        path=urls.page("methodology", b.lang),
        alternates=page_alternates("methodology"),
        title=_("Methodology"),
        description=_("Sources, definitions and methods of the barometer of social integration."),
        rights=tuple(
            RightDefinitions(
                name=r.name[b.lang],
                measures=tuple(
                    MeasureDefinition(
                        name=b.measure_name(m),
                        definition=m.definition[b.lang][0],
                        legal_basis=m.legal_basis.get(b.lang, ""),
                    )
                    for m in lk.measures
                    if m.right == r.code
                ),
            )
            for r in lk.rights
            if any(m.right == r.code for m in lk.measures)
        ),
        not_collected=tuple(
            _(
                "{measure}: no breakdown by {groups}, which is not recorded for this measure. It appears nowhere on this site or in its downloads; that is not a missing figure, and the other breakdowns are published as for every measure."
            ).format(
                measure=b.measure_name(m),
                groups=", ".join(
                    _(GROUP_LABELS[g]) if b.lang == "de" else _(GROUP_LABELS[g]).lower()
                    for g in GROUPS
                    if g not in m.groups
                ),
            )
            for m in lk.measures
            if set(GROUPS) - set(m.groups)
        ),
        last_months=tuple(
            LastMonth(
                label=b.measure_name(m),
                month=b.t.month(lk.last_month[m.code]),
                stable=lk.extract.stable_after_months[m.code],
            )
            for m in lk.measures
        ),
        extract_date=b.t.date(lk.extract.extract_date),
        synthetic=lk.extract.synthetic,
        reconciliation=tuple(
            ReconciliationRow(
                where=entity_name(lk.entities[r.geo_code], b.lang),
                period=r.period,
                what=whats[r.what],
                kind=kinds[r.kind],
                computed=b.t.number(r.computed, 2) + " %"
                if r.what == "ris_share"
                else b.count(r.computed),
                published=b.t.number(r.published, 2) + " %"
                if r.what == "ris_share"
                else b.count(r.published),
                difference=b.t.percent(r.relative_difference, 2, signed=True),
                within_rounding=r.within_rounding,
                checked=r.checked,
                address=r.url,
                url=secure(r.url),
            )
            for r in lk.reconciliation
        ),
        denominators=tuple(
            Denominators(
                region=b.name(reg),
                last=str(years[-1]),
                gaps=", ".join(str(y) for y in range(FIRST_YEAR, years[-1]) if y not in years)
                or "–",
            )
            for reg, years in lk.population_years.items()
            if years
        ),
        sources=tuple(
            SourceRow(publisher=s.publisher, licence=s.licence, page=s.page, file=s.file)
            for s in lk.sources
        ),
    )


def _size(n: int, lang: str) -> str:
    t = load_lang(lang)
    if n >= 1_000_000:
        return t.number(n / 1_000_000, 1) + " MB"
    return t.number(max(1, round(n / 1000)), 0) + " kB"


def data_page(b: PageBuilder, sizes: Mapping[str, int]) -> DataPage:
    """``sizes``: site path of every download → its bytes (the downloads are made meanwhile)."""
    _ = b._
    lk = b.lk

    def file(label: str, path: str) -> DownloadFile:
        return DownloadFile(label=label, file=path, size=_size(sizes[path], b.lang))

    def bulk(m: str | None) -> tuple[DownloadFile, ...]:
        formats = urls.bulk_formats(m)
        label = {
            ("totals", "csv"): _("totals (CSV, gzip)"),
            ("totals", "parquet"): _("totals (Parquet)"),
            ("breakdowns", "csv"): _("breakdowns (CSV, gzip)"),
            ("breakdowns", "parquet"): _("breakdowns (Parquet)"),
        }
        return tuple(
            file(label[kind, fmt], urls.bulk_file(m, kind, fmt))
            for kind in ("totals", "breakdowns")
            for fmt in formats
        )

    return DataPage(
        path=urls.page("data", b.lang),
        alternates=page_alternates("data"),
        title=_("Data and downloads"),
        description=_(
            "Download every published figure of the barometer as CSV, Excel or Parquet, with a Frictionless data package."
        ),
        edition=b.t.date(lk.extract.extract_date),
        editions=tuple(
            Edition(label=b.t.date(r.date), url=r.url)
            for r in lk.releases
            if r.date != lk.extract.extract_date
        ),
        about=(
            file("README.txt", urls.DOWNLOADS + "README.txt"),
            file("datapackage.json", urls.DOWNLOADS + "datapackage.json"),
            file("areas.csv", urls.DOWNLOADS + "areas.csv"),
        ),
        everything=bulk(None),
        measures=tuple(
            MeasureFiles(label=b.measure_name(m), id=m.code, files=bulk(m.code))
            for m in lk.measures
        ),
        entities=tuple(
            AreaFiles(
                name=b.name(c),
                url=b.url(c),
                code=c,
                files=tuple(file(d.label, d.file) for d in area_downloads(b, c)),
            )
            for c in sorted(
                lk.entities,
                key=lambda c: (LEVELS.index(lk.entities[c]["level"]), b.name(c).casefold()),
            )
            if c != HERSTAPPE
        ),
    )


def search_page(b: PageBuilder) -> SearchPage:
    _ = b._
    return SearchPage(
        path=urls.page("search", b.lang),
        alternates=page_alternates("search"),
        title=_("Search"),
        description=_(
            "Find a municipality, an area, a measure or a focus note of the barometer by its name, in any of the country's languages."
        ),
        index=index_path(b.lang),
        home=urls.home(b.lang),
        one_result=_("1 result"),
        many_results=_("{n} results"),
        no_result=_("No result."),
    )
