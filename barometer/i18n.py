"""Languages: gettext catalogues, Babel number and date formats, localised URLs and names.

UI strings live in ``barometer/locale/<lang>/LC_MESSAGES/messages.po`` (msgids in English),
compiled in memory at build time; templates use the Jinja i18n extension, Python code a
:class:`Lang` object's ``gettext``. ``python -m barometer.i18n check`` lists untranslated or unused
messages (the tests run the same check).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from gettext import GNUTranslations
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_percent

from barometer.vocabulary import LANGS, LOCALES

LOCALE_DIR = Path(__file__).parent / "locale"

ENGLISH_NAMES = {
    "01000": "Belgium",
    "02000": "Flemish Region",
    "03000": "Walloon Region",
    "04000": "Brussels-Capital Region",
    "10000": "Province of Antwerp",
    "20001": "Province of Flemish Brabant",
    "20002": "Province of Walloon Brabant",
    "30000": "Province of West Flanders",
    "40000": "Province of East Flanders",
    "50000": "Province of Hainaut",
    "60000": "Province of Liège",
    "70000": "Province of Limburg",
    "80000": "Province of Luxembourg",
    "90000": "Province of Namur",
    "21000": "Arrondissement of Brussels-Capital",
}
#: the nine municipalities of the German-speaking Community: their official name is German
GERMAN_SPEAKING = {"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"}

_PREFIXES = re.compile(
    r"^(Arrondissement( de la | de | d'| du | of )?|Bezirk |Provincie |Province (de la |de |d'|du |of )?|Provinz |Arrondissement )",
)


@dataclass(frozen=True)
class Lang:
    """Everything language-specific a page needs: gettext, number and date formats."""

    code: str
    translations: GNUTranslations

    @property
    def locale(self) -> str:
        return LOCALES[self.code]

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def number(self, value: float | None, decimals: int = 0) -> str:
        """140678 → 140.678 (nl, de), 140 678 (fr), 140,678 (en); None → '–'.

        Babel's symbols for the locale, applied to Python's own formatting: the same result as
        ``babel.numbers.format_decimal`` (checked in the tests) at a hundredth of the cost, which
        matters for the ~10^5 numbers of a build.
        """
        if value is None or value != value:
            return "–"
        return _formatted(self.locale, float(value), decimals)

    def percent(self, value: float | None, decimals: int = 1, signed: bool = False) -> str:
        """0.123 → 12,3% (nl), 12,3 % (fr), 12,3 % (de), 12.3% (en); signed adds + or −."""
        if value is None or value != value:
            return "–"
        scaled = 100 * float(value)
        if signed:
            number = self.signed(scaled, decimals)
        else:
            number = ("−" if scaled < 0 else "") + self.number(abs(scaled), decimals)
        return _percent_pattern(self.locale).format(number)

    def signed(self, value: float | None, decimals: int = 1) -> str:
        """0.94 → +0,9 (nl); −0.31 → −0,3; a value that rounds to zero has no sign."""
        if value is None or value != value:
            return "–"
        number = self.number(abs(float(value)), decimals)
        if number.strip("0,. \u202f\u00a0") == "":
            return number
        return ("+" if value > 0 else "−") + number

    def month(self, period: str, short: bool = False) -> str:
        """'2026-07' → 'juli 2026' / 'juillet 2026' / 'Juli 2026' / 'July 2026'."""
        return _month(self.locale, period, short)

    def date(self, iso: str) -> str:
        d = dt.date.fromisoformat(iso)
        return format_date(d, "d MMMM y", locale=self.locale)

    def language_name(self, code: str) -> str:
        name = Locale.parse(LOCALES[code]).get_language_name(LOCALES[code]) or code
        return name.capitalize()


@cache
def _month(locale: str, period: str, short: bool) -> str:
    d = dt.date(int(period[:4]), int(period[5:7]), 1)
    return format_date(d, "MMM y" if short else "MMMM y", locale=locale)


@lru_cache(maxsize=1 << 16)
def _formatted(locale: str, value: float, decimals: int) -> str:
    """A number in a locale's symbols (cached: Belgium's figures recur on every page)."""
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    return text.translate(_symbols(locale))


@cache
def _symbols(locale: str) -> dict[int, str]:
    sym = Locale.parse(locale).number_symbols["latn"]
    return str.maketrans({",": sym["group"], ".": sym["decimal"]})


@cache
def _percent_pattern(locale: str) -> str:
    """'{}%' or '{} %' (with the locale's own space), from Babel's percent format."""
    sample = format_percent(0.5, locale=locale)
    return sample.replace("50", "{}", 1)


@cache
def load_lang(code: str) -> Lang:
    """Compile ``messages.po`` of a language in memory; raise if the catalogue is missing."""
    po = LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=LOCALES[code])
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Lang(code=code, translations=GNUTranslations(buf))


def slugify(text: str) -> str:
    """'Sint-Jans-Molenbeek' → 'sint-jans-molenbeek', 'Liège' → 'liege', 'Lüttich' → 'luttich'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def entity_name(entity: dict | object, lang: str) -> str:
    """The name of an entity in a language (REFNIS has NL, FR, DE; English uses the local name)."""
    get = entity.get if isinstance(entity, dict) else lambda k: getattr(entity, k)
    code = get("code")
    if lang in ("nl", "fr", "de"):
        return str(get(f"name_{lang}"))
    if code in ENGLISH_NAMES:
        return ENGLISH_NAMES[code]
    nl, fr, de = get("name_nl"), get("name_fr"), get("name_de")
    region = get("region")
    if region == "02000":
        name = nl
    elif code in GERMAN_SPEAKING:
        name = de
    elif region == "03000":
        name = fr
    else:  # Brussels: bilingual
        name = fr if fr == nl else f"{fr} / {nl}"
    level = get("level")
    if level == "arrondissement":
        return "Arrondissement of " + short_name(str(name))
    return str(name)


def short_name(name: str) -> str:
    """Drop 'Arrondissement', 'Provincie', 'Bezirk', … from a REFNIS name."""
    return _PREFIXES.sub("", name).strip()


# --- catalogue maintenance (python -m barometer.i18n check) -----------------------------------------


def extract_messages() -> list[str]:
    """Every msgid used by templates and the package (Babel's extractors, as babel.cfg says)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import CommandLineInterface  # noqa: F401 - ensures Babel is complete

    from barometer import paths

    ids: dict[str, None] = {}
    method_map = [("barometer/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {
        "templates/**.html": {
            "extensions": "jinja2.ext.i18n",
            "trim_blocks": "True",
            "lstrip_blocks": "True",
        }
    }
    for _fn, _line, msg, _comments, _ctx in extract_from_dir(
        paths.ROOT,
        method_map=method_map,
        options_map=options,
        keywords={"_": None, "N_": None},
        comment_tags=(),
    ):
        ids[str(msg if isinstance(msg, str) else msg[0])] = None
    return sorted(ids)


def catalogue_problems() -> list[str]:
    """Untranslated, missing or unused messages in any language (empty list = complete)."""
    wanted = set(extract_messages())
    problems = []
    for code in LANGS:
        po = LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=LOCALES[code])
        have = {str(m.id): m.string for m in catalog if m.id}
        for msg in sorted(wanted - set(have)):
            problems.append(f"{po}: missing msgid {msg!r}")
        for msg in sorted(set(have) - wanted):
            problems.append(f"{po}: unused msgid {msg!r}")
        for msg in sorted(wanted & set(have)):
            if not have[msg]:
                problems.append(f"{po}: untranslated {msg!r}")
    return problems


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    import sys

    found = catalogue_problems()
    sys.stdout.write("\n".join(found) + ("\n" if found else "catalogues complete\n"))
    sys.exit(1 if found else 0)
