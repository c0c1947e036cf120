"""Stage 5: render the page models with Jinja into HTML.

Jinja runs with autoescape, StrictUndefined, trim_blocks and lstrip_blocks, and the i18n
extension bound to the page's language catalogue. Templates only loop, test and fill in: every
number arrives formatted in the page model. Chart SVGs are inserted by key (``chart`` global),
localised for the page's language.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from barometer import paths, urls
from barometer.chartrender import ChartImage, localise_svg
from barometer.i18n import load_lang
from barometer.pages.types import NotFoundPage, Page, RedirectPage, SiteModel
from barometer.vocabulary import LANGS

_INDENT = re.compile(r"\n[ \t\n]+")
_PRE = re.compile(r"(<pre[\s>].*?</pre>)", re.S)
_OPTIONAL_END = re.compile(
    r"</(?:td|th)>(?=\s*<(?:td|th|/tr)\b)"
    r"|</tr>(?=\s*<(?:tr|/tbody|/thead|/tfoot|/table)\b)"
    r"|</li>(?=\s*<(?:li|/ul|/ol)\b)"
    r"|</dt>(?=\s*<(?:dt|dd)\b)"
    r"|</dd>(?=\s*<(?:dd|dt|/dl|/div)\b)"
)
"""End tags HTML lets a page omit where the next tag closes the element anyway (the HTML
standard, "Optional tags"): a cell before the next cell or the row's end, a row before the next
row or the table section's end, a list item before the next or the list's end, a term or
description before the next or the list's end (a ``dd`` before ``</div>`` is the last of a
``div`` group inside a ``dl``). The whitespace after them stays, so inline lists keep their
spaces. About 15 % of the site's HTML."""


def compact(html: str) -> str:
    """Drop the templates' indentation and blank lines (a line break with the spaces and tabs
    after it is one line break; inline whitespace and non-breaking spaces stay) and the end tags
    the HTML standard makes optional — outside ``<pre>`` blocks, which keep every character."""
    parts = _PRE.split(html)  # odd parts are <pre> blocks (a note's code), kept as they are
    return "".join(
        part if i % 2 else _OPTIONAL_END.sub("", _INDENT.sub("\n", part))
        for i, part in enumerate(parts)
    )


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(paths.TEMPLATES),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    return env


def _install_translations(env: Environment, translations) -> None:  # noqa: ANN001 - gettext.NullTranslations
    """Template messages, escaped: Jinja's newstyle gettext treats a translation as safe markup,
    so a translated "“< 5”" would reach the page as a raw '<'. Escaping the translation first
    (its %(name)s variables are escaped by autoescape as usual) keeps every page valid HTML."""

    def gettext(message: str) -> str:
        return str(escape(translations.gettext(message)))

    def ngettext(singular: str, plural: str, n: int) -> str:
        return str(escape(translations.ngettext(singular, plural, n)))

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]  # added by the i18n extension


def _absolute(base_url: str, base: str):  # noqa: ANN202 - a template function
    """URL of a site path for canonical/hreflang/Open Graph: full with an absolute base URL,
    otherwise relative to the page (so it never breaks under a sub-path)."""
    if urls.is_absolute(base_url):
        return lambda p: urls.absolute(base_url, p)
    return lambda p: base + p


class Renderer:
    """Renders page models to HTML, one language at a time (:meth:`use`), reusing each chart's
    localised SVG. Used whole (:func:`render_site`) or by worker processes on parts of the site."""

    def __init__(
        self,
        site: SiteModel,
        svgs: dict[str, str],
        *,
        images: dict[str, dict[str, ChartImage]] | None = None,
        base_url: str,
        meta: dict,
        epoch: int | None,
    ) -> None:
        self.site, self.svgs, self.base_url, self.meta = site, svgs, base_url, meta
        self.images = images or {}
        self.env = environment()
        # the edition's date (its extract's), not the build's: a scheduled rebuild on new data
        # shows the new date, a rebuild of old data does not pretend to be new
        self.built = meta["extract_date"]
        self.localised: dict[tuple[str, str], Markup] = {}
        self.lang = ""
        self.common: dict = {}

    def use(self, lang: str) -> None:
        """Switch the catalogue and the shared template context to ``lang``."""
        if lang == self.lang:
            return
        t = load_lang(lang)
        _install_translations(self.env, t.translations)

        def chart(key: str, base: str = "", lang: str = lang) -> Markup:
            """A chart: its image file (most charts), or its SVG inline (maps whose areas are
            links, scatters). ``base``: the page's way back to the site root."""
            image = self.images.get(key, {}).get(lang)
            if image is not None:
                size = f'width="{image.width}" height="{image.height}" alt="" decoding="async"'
                if image.fluid:
                    size += ' class="fluid"'
                under = (
                    f'<img src="{escape(base + image.underlay)}" {size}>' if image.underlay else ""
                )
                return Markup(f'{under}<img src="{escape(base + image.path)}" {size}>')  # noqa: S704 - our own paths, escaped
            if (key, lang) not in self.localised:
                self.localised[(key, lang)] = Markup(localise_svg(self.svgs[key], lang))  # noqa: S704 - SVG drawn from our specs
            return self.localised[(key, lang)]

        self.lang = lang
        self.common = {
            "lang": lang,
            "langs": LANGS,
            "language_names": {code: t.language_name(code) for code in LANGS},
            "base_url": self.base_url,
            "chart": chart,
            "meta": self.meta,
            "built": self.built,
            "nav": self.site.nav[lang],
        }

    def pages(self, lang: str) -> list[Page | RedirectPage]:
        """The pages of one language, in a fixed order (pages, then redirects)."""
        return [*self.site.pages[lang], *self.site.redirects[lang]]

    def page(self, lang: str, page: Page | RedirectPage) -> tuple[PurePosixPath, bytes]:
        self.use(lang)
        base = urls.relative_root(page.path)
        html = self.env.get_template(page.template).render(
            page=page, base=base, absolute=_absolute(self.base_url, base), **self.common
        )
        return PurePosixPath(page.path) / "index.html", compact(html).encode("utf-8")

    def extras(self) -> dict[PurePosixPath, bytes]:
        """The 404 page (English, absolute base path) and the root language chooser."""
        self.use("en")
        root = urls.base_path(self.base_url)
        not_found = NotFoundPage(path="404.html", title="404", description="", alternates={})
        files = {
            PurePosixPath("404.html"): self.env.get_template(not_found.template)
            .render(
                page=not_found,
                base=root,
                absolute=_absolute(self.base_url, root),
                **self.common,
            )
            .encode("utf-8")
        }
        titles = {
            code: load_lang(code).gettext("Barometer of social integration") for code in LANGS
        }
        files[PurePosixPath("embed/index.html")] = (
            self.env.get_template("embed.html")
            .render(base="../", titles=titles, **self.common)
            .encode("utf-8")
        )
        files[PurePosixPath("index.html")] = (
            self.env.get_template("root.html")
            .render(
                base="",
                base_url=self.base_url,
                langs=LANGS,
                meta=self.meta,
                titles=titles,
                absolute=_absolute(self.base_url, ""),
            )
            .encode("utf-8")
        )
        return files


def render_site(
    site: SiteModel,
    svgs: dict[str, str],
    *,
    images: dict[str, dict[str, ChartImage]] | None = None,
    base_url: str,
    meta: dict,
    epoch: int | None,
) -> dict[PurePosixPath, bytes]:
    """Every HTML page (all languages) plus the root language chooser and the 404 page."""
    r = Renderer(site, svgs, images=images, base_url=base_url, meta=meta, epoch=epoch)
    files = dict(r.page(lang, page) for lang in LANGS for page in r.pages(lang))
    files.update(r.extras())
    return files
