"""Stage 3: everything the site is made from, gathered before anything is written.

Input:  the canonical tables (:class:`~barometer.canonical.Canonical`) and the focus notes.
Output: :class:`Model`: the indicator table, neighbours and peers, the reconciliation with
        published totals, and the notes — plus warnings for what a reader must know (a
        reconciliation gap beyond the strict tolerance).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pandas as pd

from barometer.canonical import Canonical
from barometer.indicators import IndicatorResult, compute_indicators, stable_after
from barometer.neighbours import neighbours_and_peers
from barometer.notes import Note
from barometer.reconcile import STRICT_TOLERANCE, reconcile, strict_failures
from barometer.releases import Release
from barometer.vintages import Vintages, compare_vintages

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Model:
    """Everything the site is made from (gathered before anything is written)."""

    canon: Canonical
    indicators: IndicatorResult
    neighbours: pd.DataFrame
    reconciliation: pd.DataFrame
    vintages: Vintages
    """Revisions against the previous vintage and the usual completeness of recent months."""
    notes: tuple[Note, ...] = field(default=())
    """Focus notes, validated against the published totals."""
    releases: tuple[Release, ...] = field(default=())
    """Past editions archived as releases (the data page lists them)."""


def gather(
    canon: Canonical,
    notes: tuple[Note, ...] | list[Note] = (),
    releases: tuple[Release, ...] = (),
) -> Model:
    """Indicators, neighbours and reconciliation; warnings for what a reader must know."""
    ind = compute_indicators(canon)
    rec = reconcile(canon.published_totals, ind.table)
    for r in strict_failures(rec).itertuples():
        log.warning(
            "reconciliation: %s %s computed %.0f vs published %.0f (%+.2f%%, beyond %.0f%%)",
            r.geo_name,
            r.period,
            r.computed,
            r.published,
            100 * r.relative_difference,
            100 * STRICT_TOLERANCE,
        )
    for measure, month in ind.last_month.items():
        log.info("last published month of %s: %s", measure, month)
    nb = neighbours_and_peers(canon.topology, canon.entities, canon.population, canon.income)
    vintages = compare_vintages(
        canon.beneficiaries_wide,
        canon.meta,
        canon.previous_totals,
        canon.previous_meta,
        canon.catalogue,
        ind.last_month,
        stable_after(canon.meta, canon.catalogue),
    )
    return Model(
        canon=canon,
        indicators=ind,
        neighbours=nb,
        reconciliation=rec,
        vintages=vintages,
        notes=tuple(notes),
        releases=releases,
    )


def build_report(model: Model) -> dict:
    """The build report (``data/build-report.json``): what the extract held and what was checked."""
    canon, ind = model.canon, model.indicators
    rec = model.reconciliation
    checked = rec[rec.checked]
    return {
        "extract_date": canon.meta.extract_date,
        "synthetic": canon.meta.synthetic,
        "stable_after_months": canon.meta.stable_after_months,
        **ind.report,
        "reconciliation": {
            "compared": len(rec),
            "checked_annual_averages": len(checked),
            "max_abs_relative_difference_checked": float(checked.relative_difference.abs().max())
            if len(checked)
            else None,
            "strict_tolerance": STRICT_TOLERANCE,
        },
        "population_years": {
            str(region): sorted(int(y) for y in years)
            for region, years in canon.population.assign(
                region=canon.population.code.map(canon.entities.set_index("code").region)
            )
            .groupby("region")
            .year.unique()
            .items()
        },
        "inputs": canon.inputs.sha256 if canon.inputs else {},
    }
