"""What each area's preview image shows (language-neutral: one image for the four languages)."""

from __future__ import annotations

import math

from barometer.i18n import entity_name
from barometer.pages.lookups import Lookups
from barometer.pages.types import Card
from barometer.vocabulary import COUNTRY, ChartKey


def card_models(lk: Lookups) -> dict[str, Card]:
    """Area code → its card: local name, the headline measure's latest rate and sparkline."""
    headline = lk.headline
    m = headline.code
    measure = " · ".join(dict.fromkeys(headline.name[lang] for lang in ("nl", "fr", "de")))
    out = {}
    for code, e in lk.entities.items():
        s = lk.monthly.get((code, m))
        series = (
            tuple(
                v if (code, m, p) not in lk.gaps else math.nan
                for p, v in zip(s.periods, s.per_1000.tolist(), strict=True)
            )
            if s is not None
            else ()
        )
        out[code] = Card(
            name=entity_name(e, "en"),
            level=f"NIS {code}",
            value=plain_number(lk.value(code, m, "per_1000")[0]),
            month=lk.last_month[m],
            measure=measure,
            series=series,
            locator=ChartKey("locator", code).slug if code != COUNTRY else None,
            synthetic=lk.extract.synthetic,
        )
    return out


def plain_number(v: float) -> str:
    """Language-neutral number for a card: 12.3 (one decimal from 10, two below)."""
    if v != v or math.isinf(v):
        return "–"
    return f"{v:.2f}" if v < 10 else f"{v:.1f}"
