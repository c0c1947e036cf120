"""Dated events: ``data/events.toml``, read and validated.

Every evolution chart draws them as numbered dotted lines and the pages list them; the
methodology page gives their sources. An event names the day it took effect, a short line in
each language and what establishes it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from barometer.errors import DataError, Problem
from barometer.vocabulary import LANGS

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Event:
    number: int
    """Its place in date order, from 1: the label on the charts."""
    day: str
    """YYYY-MM-DD."""
    name: dict[str, str]
    source: str
    url: str


def _real_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def load_events(path: Path) -> tuple[Event, ...]:
    """The events of ``path`` in date order; every problem at once (:class:`~barometer.errors.DataError`)."""
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    # tomllib gives no line numbers: a problem names the line of its event's [[event]] header
    headers = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[event]]"]
    problems: list[Problem] = []
    found = []
    for i, e in enumerate(data.get("event", [])):
        line = headers[i] if i < len(headers) else 0

        def bad(column: str, expected: str, got: object, line: int = line) -> None:
            problems.append(Problem(str(path), line, f"event {column}", expected, repr(got)))

        day = e.get("date")
        if not (isinstance(day, str) and _DAY.match(day) and _real_day(day)):
            bad("date", "a day YYYY-MM-DD", day)
        name = e.get("name", {})
        if (
            not isinstance(name, dict)
            or sorted(name) != sorted(LANGS)
            or not all(isinstance(v, str) and v.strip() for v in name.values())
        ):
            bad("name", f"a line in each of {', '.join(LANGS)}", name)
        if not isinstance(e.get("source"), str) or not e["source"].strip():
            bad("source", "what establishes it", e.get("source"))
        url = e.get("url", "")
        if not isinstance(url, str) or (url and not url.startswith("https://")):
            bad("url", "an address starting with https://", url)
        unknown = set(e) - {"date", "name", "source", "url"}
        if unknown:
            bad("key", "date, name, source, url", sorted(unknown))
        found.append(e)
    if problems:
        raise DataError(problems)
    ordered = sorted(found, key=lambda e: e["date"])
    return tuple(
        Event(n, e["date"], dict(e["name"]), e["source"], e.get("url", ""))
        for n, e in enumerate(ordered, start=1)
    )
