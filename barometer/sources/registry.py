"""The list of inputs (data/sources.toml) and where each file is found.

Inputs: data/sources.toml. Output: a tuple of :class:`Source` and, per run, the resolved path and
sha256 of every file (:class:`Inputs`).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from barometer.config import Config
from barometer.errors import ConfigError, DataError, Problem
from barometer.sources.textio import MAX_BYTES, display_name

FORMATS = (
    "refnis",
    "merger",
    "geojson",
    "population_xlsx",
    "population_csv",
    "income_xlsx",
    "published_totals",
    "pod_mi_extract",
    "pod_mi_meta",
)
REQUIRED_FIELDS = ("id", "file", "format", "publisher", "licence", "page", "url")
OPTIONAL_FIELDS = ("sha256", "archive_member", "url_env", "required")
_SHA = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Source:
    """One input file as declared in sources.toml."""

    id: str
    file: str
    format: str
    publisher: str
    licence: str
    page: str
    url: str
    sha256: str | None = None
    archive_member: str | None = None
    url_env: str | None = None
    required: bool = True
    """False for an input the build can do without (the previous vintage of the extract)."""


@dataclass(frozen=True)
class Inputs:
    """The resolved input files of one run: path and sha256 per source id."""

    sources: tuple[Source, ...]
    paths: dict[str, Path]
    sha256: dict[str, str]
    mismatches: tuple[Problem, ...] = ()
    """Files whose sha256 differs from the pinned one: reported with the content problems."""

    def path(self, source_id: str) -> Path:
        return self.paths[source_id]

    def has(self, source_id: str) -> bool:
        """Whether the input was found (an optional one may be absent)."""
        return source_id in self.paths

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)


def load_registry(path: Path) -> tuple[Source, ...]:
    """Parse sources.toml, reporting every malformed entry (with its line) at once."""
    name = display_name(path)
    try:
        text = path.read_text(encoding="utf-8")
        doc = tomllib.loads(text)
    except FileNotFoundError:
        raise DataError(Problem(name, 0, "-", "the list of inputs", "no such file")) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", 0) or 0
        raise DataError(Problem(name, line, "-", "valid UTF-8 TOML", str(exc))) from None
    lines = _entry_lines(text)
    entries = doc.get("source")
    if not isinstance(entries, list) or not entries:
        raise DataError(Problem(name, 1, "source", "one [[source]] table per input", "none"))
    problems: list[Problem] = []
    sources = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        line = lines[i] if i < len(lines) else 0
        missing = [f for f in REQUIRED_FIELDS if not isinstance(entry.get(f), str)]
        for f in missing:
            problems.append(Problem(name, line, f, f"a text value for '{f}'", "none"))
        unknown = sorted(set(entry) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
        for f in unknown:
            problems.append(Problem(name, line, f, "only known fields", f"an unknown field '{f}'"))
        if missing:
            continue
        if entry["format"] not in FORMATS:
            problems.append(
                Problem(name, line, "format", f"one of {', '.join(FORMATS)}", repr(entry["format"]))
            )
        if not isinstance(entry.get("required", True), bool):
            problems.append(
                Problem(name, line, "required", "true or false", repr(entry["required"]))
            )
            continue
        sha = entry.get("sha256")
        if sha is not None and not (isinstance(sha, str) and _SHA.fullmatch(sha)):
            problems.append(Problem(name, line, "sha256", "64 lowercase hex digits", repr(sha)))
        if entry["id"] in seen:
            problems.append(Problem(name, line, "id", "a unique id", f"'{entry['id']}' again"))
        seen.add(entry["id"])
        sources.append(Source(**entry))
    if problems:
        raise DataError(problems)
    return tuple(sources)


def _entry_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[source]]"]


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def resolve(cfg: Config, registry: tuple[Source, ...] | None = None) -> Inputs:
    """Find every input in the data directories (first match wins) and check pinned hashes.

    A missing file raises at once; a hash mismatch is kept in ``Inputs.mismatches`` so that the
    file's content is still validated and every problem is listed in one run.
    """
    sources = registry if registry is not None else load_registry(cfg.sources_toml)
    if not cfg.data_dirs:
        raise ConfigError(
            "Config value 'data_dirs': expected at least one data directory, found none"
        )
    found: dict[str, Path] = {}
    hashes: dict[str, str] = {}
    problems: list[Problem] = []
    mismatches: list[Problem] = []
    toml_name = display_name(cfg.sources_toml)
    lines = (
        _entry_lines(cfg.sources_toml.read_text(encoding="utf-8"))
        if cfg.sources_toml.exists()
        else []
    )
    for i, src in enumerate(sources):
        candidates = [d / src.file for d in cfg.data_dirs]
        path = next((p for p in candidates if p.is_file()), None)
        if path is None and not src.required:
            continue
        if path is None:
            tried = ", ".join(str(d) for d in cfg.data_dirs)
            problems.append(
                Problem(
                    src.file,
                    0,
                    "-",
                    f"the input '{src.id}' in one of: {tried}",
                    "no such file (run `python build.py fetch`)",
                )
            )
            continue
        line = lines[i] if i < len(lines) else 0
        try:
            size = path.stat().st_size
            digest = sha256_of(path) if size <= MAX_BYTES else ""
        except OSError as exc:
            problems.append(
                Problem(display_name(path), 0, "-", "a readable file", f"{exc.strerror or exc}")
            )
            continue
        if size > MAX_BYTES:  # refused before hashing a gigabyte
            problems.append(
                Problem(
                    display_name(path),
                    0,
                    "-",
                    f"a file of at most {MAX_BYTES:,} bytes",
                    f"{size:,} bytes",
                )
            )
            if src.sha256 is not None:
                mismatches.append(
                    Problem(
                        toml_name,
                        line,
                        "sha256",
                        f"{src.sha256} for {display_name(path)}",
                        "a file too large to be the pinned one (not hashed)",
                    )
                )
            continue
        if src.sha256 is not None and digest != src.sha256:
            mismatches.append(
                Problem(
                    toml_name,
                    line,
                    "sha256",
                    f"{src.sha256} for {display_name(path)}",
                    f"{digest} (the file differs from the pinned version)",
                )
            )
        found[src.id] = path
        hashes[src.id] = digest
    if problems:
        raise DataError(problems + mismatches)
    return Inputs(sources=sources, paths=found, sha256=hashes, mismatches=tuple(mismatches))
