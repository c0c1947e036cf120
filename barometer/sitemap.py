"""sitemap.xml (absolute URLs with hreflang alternates) and robots.txt."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from barometer.pages.types import SiteModel
from barometer.urls import absolute, is_absolute


def sitemap_xml(site: SiteModel, base_url: str) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for lang in sorted(site.pages):
        for page in site.pages[lang]:
            lines.append(f"<url><loc>{escape(absolute(base_url, page.path))}</loc>")
            for alt, path in sorted(page.alternates.items()):
                lines.append(
                    f'<xhtml:link rel="alternate" hreflang="{alt}" href={quoteattr(absolute(base_url, path))}/>'
                )
            lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(base_url: str) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if is_absolute(base_url):
        lines.append(f"Sitemap: {absolute(base_url, 'sitemap.xml')}")
    return "\n".join(lines) + "\n"
