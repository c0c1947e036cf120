"""The words of one language over the lookups: names, links and number formats for page models.

A :class:`PageBuilder` reads its inputs and never writes into them; every page function takes one
and returns a page model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from barometer import urls
from barometer.i18n import Lang, entity_name, short_name
from barometer.pages.inputs import PageInputs
from barometer.pages.lookups import Cell, Lookups
from barometer.pages.types import EventItem, Link
from barometer.vocabulary import LANGS, Measure


def nan(v: float | None) -> bool:
    """Missing or not published (NaN)."""
    return v is None or v != v


@dataclass(frozen=True)
class PageBuilder:
    """Builds the page models of one language from the page stage's inputs."""

    inputs: PageInputs
    t: Lang

    @property
    def lk(self) -> Lookups:
        return self.inputs.lookups

    @property
    def lang(self) -> str:
        return self.t.code

    def _(self, message: str) -> str:
        """Translate a message of the catalogue."""
        return self.t.gettext(message)

    # names and links
    def name(self, code: str) -> str:
        return entity_name(self.lk.entities[code], self.lang)

    def short(self, code: str) -> str:
        return short_name(self.name(code))

    def url(self, code: str) -> str:
        return urls.entity(self.lk.entities[code], self.lang)

    def link(self, code: str) -> Link:
        return Link(name=self.name(code), url=self.url(code), code=code)

    def measure_name(self, m: Measure) -> str:
        return m.name[self.lang]

    def measure_url(self, m: Measure) -> str:
        return urls.measure(m, self.lang)

    def value(
        self, code: str, measure: str, ind: str, dim: str = "total", cat: str = "total"
    ) -> Cell:
        return self.lk.value(code, measure, ind, dim, cat)

    def events(self) -> tuple[EventItem, ...]:
        """The dated events the evolution charts mark, in this language."""
        return tuple(
            EventItem(
                number=e.number,
                when=self.t.month(e.day[:7]),
                name=e.name[self.lang],
                source=e.source,
                url=e.url,
            )
            for e in self.lk.events
        )

    # numbers
    def count(self, v: float) -> str:
        return self.t.number(v, 0)

    def rate(self, v: float) -> str:
        if nan(v):
            return "–"
        return self.t.number(v, 2 if v < 10 else 1)

    def flag_note(self, flag: str) -> str:
        """Why a published figure is incomplete, missing or uses another year's population."""
        _ = self._
        notes = []
        for part in flag.split(";") if flag else []:
            if part == "incomplete":
                notes.append(_("incomplete: some municipalities did not report"))
            elif part == "missing":
                notes.append(_("no claim received"))
            elif part.startswith("population_year="):
                notes.append(_("population of {year}").format(year=part.split("=")[1]))
            elif part.startswith("population_years="):
                notes.append(
                    _("populations of {years}").format(years=part.split("=")[1].replace("-", "–"))
                )
            elif part == "no_base":
                notes.append(_("no base to compare with"))
        return "; ".join(notes)


def secure(address: str) -> str | None:
    """The address as a link target if it is https, else None: pages link only to https (a
    plain-http source is shown as text)."""
    return address if address.startswith("https://") else None


def alternates(path_of: Callable[[str], str]) -> dict[str, str]:
    """Language → path of the same page."""
    return {lang: path_of(lang) for lang in LANGS}


def page_alternates(name: str) -> dict[str, str]:
    """Language alternates of a page that exists once per language (methodology, data, search,
    scatter, compare, notes)."""
    return alternates(lambda lang: urls.page(name, lang))
