"""The exception hierarchy. The CLI turns these into one-line messages and exit codes.

BarometerError
├── ConfigError   a setting or command-line option is wrong         (exit 2)
├── DataError     one or more inputs are invalid: a list of Problems (exit 2)
└── BuildError    the build itself failed (a bug or an I/O failure)  (exit 1)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FOUND_MAX = 80
"""What a message shows of a value found in an input, at most (characters): a hostile file
cannot flood the terminal or the CI log through one cell."""
COLUMN_MAX = 60
"""The same for the column (or key) named in a message, which may come from the input too."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def readable(text: object, limit: int) -> str:
    """``text`` on one line (control characters escaped) and cut to ``limit`` characters."""
    out = _CONTROL.sub(lambda m: repr(m.group())[1:-1], str(text))
    out = out.encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    if len(out) > limit:
        out = out[: limit - 1] + "…"
    return out


@dataclass(frozen=True, order=True)
class Problem:
    """One defect in one input, located as precisely as the format allows.

    Rendered as ``FILE:LINE: COLUMN: expected …, found …``. ``line`` is 1-based (the header of a
    CSV is line 1; in a workbook it is the sheet row); 0 means the whole file. The column and what
    was found come from the input: they are put on one line and cut to a readable length here, in
    one place, whoever builds the problem (issue 13).
    """

    file: str
    line: int
    column: str
    expected: str
    found: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "line", int(self.line))
        object.__setattr__(self, "column", readable(self.column, COLUMN_MAX).replace(":", ";"))
        object.__setattr__(self, "found", readable(self.found, FOUND_MAX))
        object.__setattr__(self, "expected", readable(self.expected, 400))

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.column}: expected {self.expected}, found {self.found}"
        )


class BarometerError(Exception):
    """Base class of every error the barometer reports to a user."""

    exit_code = 1


class ConfigError(BarometerError):
    """A configuration value or command-line option is invalid."""

    exit_code = 2


class DataError(BarometerError):
    """Inputs are invalid. Carries every problem found, not just the first."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem, omitted: int = 0) -> None:
        self.problems = sorted([problems] if isinstance(problems, Problem) else problems)
        self.omitted = omitted
        super().__init__(self.message())

    def message(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.omitted:
            lines.append(f"… and {self.omitted} more problems of the same kinds (not listed)")
        return "\n".join(lines)


class BuildError(BarometerError):
    """The build failed for a reason that is not bad input."""

    exit_code = 1
