"""Pages of former municipality codes: each sends the reader to its successor."""

from __future__ import annotations

from barometer import urls
from barometer.pages.builder import PageBuilder
from barometer.pages.entity import former_record_name
from barometer.pages.types import RedirectPage


def redirect_pages(b: PageBuilder) -> tuple[RedirectPage, ...]:
    out = []
    for f in b.lk.former:
        name = former_record_name(b, f)
        out.append(
            RedirectPage(
                path=urls.former(f["code"], name, b.lang),
                title=name,
                target=b.url(f["code_2025"]),
                target_name=b.name(f["code_2025"]),
                code=f["code"],
                until=f["valid_to"],
            )
        )
    return tuple(out)
