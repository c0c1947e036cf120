"""Path constants of the project. No internal imports."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "barometer"
DATA = ROOT / "data"
RAW = DATA / "raw"
CACHE = DATA / "cache"
SOURCES_TOML = DATA / "sources.toml"
MEASURES_TOML = DATA / "measures.toml"
EVENTS_TOML = DATA / "events.toml"
SHARED_DATA = ROOT.parent / "shared" / "data"
TEMPLATES = ROOT / "templates"
CONTENT = ROOT / "content"
SITE = ROOT / "site"
