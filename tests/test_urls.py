"""urls: stable, localised paths that work under any sub-path."""

from __future__ import annotations

import pytest

from barometer import paths, urls
from barometer.catalogue import load_catalogue

GENT = {"code": "44021", "level": "municipality", "name_nl": "Gent", "name_fr": "Gand",
        "name_de": "Gent", "region": "02000"}  # fmt: skip
LIEGE = {"code": "62063", "level": "municipality", "name_nl": "Luik", "name_fr": "Liège",
         "name_de": "Lüttich", "region": "03000"}  # fmt: skip
BELGIUM = {"code": "01000", "level": "country", "name_nl": "België", "name_fr": "Belgique",
           "name_de": "Belgien", "region": ""}  # fmt: skip
ARRONDISSEMENT = {"code": "44000", "level": "arrondissement", "name_nl": "Arrondissement Gent",
                  "name_fr": "Arrondissement de Gand", "name_de": "Bezirk Gent", "region": "02000"}  # fmt: skip


@pytest.mark.parametrize(
    ("entity", "lang", "path"),
    [
        (GENT, "nl", "nl/gemeente/44021-gent/"),
        (GENT, "fr", "fr/commune/44021-gand/"),
        (LIEGE, "de", "de/gemeinde/62063-luttich/"),
        (LIEGE, "en", "en/municipality/62063-liege/"),
        (BELGIUM, "fr", "fr/belgique/"),
        (ARRONDISSEMENT, "fr", "fr/arrondissement/44000-gand/"),
        (ARRONDISSEMENT, "de", "de/bezirk/44000-gent/"),
    ],
)
def test_entity_paths_are_localised(entity, lang, path):
    assert urls.entity(entity, lang) == path


def test_measure_and_fixed_pages_and_files():
    ris = load_catalogue(paths.MEASURES_TOML).get("ris")
    assert urls.measure(ris, "nl") == "nl/leefloon/"
    assert urls.measure(ris, "en") == "en/integration-income/"
    assert urls.page("methodology", "de") == "de/methodik/"
    assert urls.home("fr") == "fr/"
    assert urls.entity_csv("44021") == "downloads/entities/44021.csv.gz"
    assert urls.measure_csv("eris") == "downloads/eris.csv.gz"
    assert urls.former("12030", "Puurs", "nl") == "nl/gemeente/12030-puurs/"


@pytest.mark.parametrize(
    ("path", "root"),
    [("nl/gemeente/44021-gent/", "../../../"), ("nl/", "../"), ("index.html", ""), ("", "")],
)
def test_relative_root_leads_back_to_the_site_root(path, root):
    assert urls.relative_root(path) == root


def test_base_urls():
    assert urls.is_absolute("https://example.github.io/barometer/")
    assert not urls.is_absolute("/barometer/")
    assert urls.base_path("https://example.github.io/barometer/") == "/barometer/"
    assert urls.base_path("https://example.github.io") == "/"
    assert urls.base_path("/") == "/"
    assert (
        urls.absolute("https://example.github.io/barometer/", "nl/")
        == "https://example.github.io/barometer/nl/"
    )
    assert urls.absolute("/", "nl/") == "/nl/"
