"""The income scatters' page: every municipality's headline rate against its average income."""

from __future__ import annotations

import math

from barometer import urls
from barometer.pages.builder import PageBuilder, nan, page_alternates
from barometer.pages.entity import region_legend
from barometer.pages.types import ScatterFigure, ScatterOption, ScatterPage, ScatterRow


def scatter_page(b: PageBuilder) -> ScatterPage:
    _ = b._
    sm = b.inputs.scatter
    title = _("Integration income and taxable income")
    path, alternates = urls.page("scatter", b.lang), page_alternates("scatter")
    if sm is None:
        return ScatterPage(
            path=path,
            alternates=alternates,
            title=title,
            description=_("No year has both integration income figures and fiscal income yet."),
            year="",
            measure_label=b.measure_name(b.lk.headline),
            legend=(),
            rate=None,
            growth=None,
            options=(),
            rows=(),
        )
    rate_fit = sm.rate.fit
    # exp(slope · 1000) − 1: the relative difference in the rate for 1000 EUR more income
    per_1000_eur = math.exp(rate_fit.slope * 1000) - 1
    by_name = sorted(sm.rows, key=lambda r: b.name(r.code).casefold())
    year = str(sm.year)
    growth_from, growth_to = (b.t.month(p) for p in sm.growth_period)
    options = []
    for r in by_name:
        p1 = sm.rate.positions.get(r.code)
        p2 = sm.growth.positions.get(r.code) if sm.growth else None
        options.append(
            ScatterOption(
                code=r.code,
                name=b.name(r.code),
                rate_xy=f"{p1[0]:.1f},{p1[1]:.1f}" if p1 else "",
                growth_xy=f"{p2[0]:.1f},{p2[1]:.1f}" if p2 else "",
                text=_("{name}: {income} € average income, {rate} per 1000 inhabitants").format(
                    name=b.name(r.code), income=b.count(r.income), rate=b.rate(r.rate)
                ),
            )
        )
    method = (
        _(
            "Vertical axis on a logarithmic scale. Dashed line: least-squares fit of the natural logarithm of the rate on income, a straight line on this axis: for each 1,000 € more income, the rate is {pct} lower. r is Pearson's correlation coefficient between income and the logarithm of the rate."
        )
        if per_1000_eur < 0
        else _(
            "Vertical axis on a logarithmic scale. Dashed line: least-squares fit of the natural logarithm of the rate on income, a straight line on this axis: for each 1,000 € more income, the rate is {pct} higher. r is Pearson's correlation coefficient between income and the logarithm of the rate."
        )
    )
    return ScatterPage(
        path=path,
        alternates=alternates,
        title=title,
        description=_(
            "Every municipality's integration income beneficiaries per 1000 inhabitants against the average net taxable income per declaration, {year}."
        ).format(year=year),
        year=year,
        measure_label=b.measure_name(b.lk.headline),
        legend=region_legend(b),
        rate=ScatterFigure(
            key=sm.rate.key.slug,
            size=sm.rate.size,
            summary=_(
                "{n} municipalities, {year}: correlation r = {r} between income and the logarithm of the rate (a negative r: fewer beneficiaries per 1000 inhabitants where incomes are higher)."
            ).format(n=rate_fit.n, year=year, r=b.t.number(rate_fit.r, 2)),
            method=method.format(pct=b.t.percent(abs(per_1000_eur), 1)),
            r=b.t.number(rate_fit.r, 2),
        ),
        growth=ScatterFigure(
            key=sm.growth.key.slug,
            size=sm.growth.size,
            summary=_(
                "Average monthly growth from {start} to {end} against the average income of {year} (correlation r = {r})."
            ).format(start=growth_from, end=growth_to, year=year, r=b.t.number(sm.growth.fit.r, 2)),
            method=_(
                "Both axes linear. Dashed line: least-squares fit; r is Pearson's correlation coefficient."
            ),
            r=b.t.number(sm.growth.fit.r, 2),
        )
        if sm.growth
        else None,
        options=tuple(options),
        rows=tuple(
            ScatterRow(
                name=b.name(r.code),
                url=b.url(r.code),
                code=r.code,
                region=b.short(b.lk.entities[r.code]["region"]),
                income=b.count(r.income),
                rate=b.rate(r.rate),
                growth="–" if nan(r.growth) else b.t.percent(r.growth, 2, signed=True),
            )
            for r in by_name
        ),
    )
