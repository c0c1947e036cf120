"""What every page function receives: the inputs of the page stage, complete before any page."""

from __future__ import annotations

from dataclasses import dataclass

from barometer.notes import Note
from barometer.pages.chartspecs import ChartSet
from barometer.pages.lookups import Lookups
from barometer.pages.scatters import ScatterModel


@dataclass(frozen=True)
class PageInputs:
    lookups: Lookups
    charts: ChartSet
    scatter: ScatterModel | None
    notes: tuple[Note, ...]
