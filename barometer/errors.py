"""The exception hierarchy. The CLI turns these into one-line messages and exit codes.

BarometerError
├── ConfigError   a setting or command-line option is wrong         (exit 2)
├── DataError     one or more inputs are invalid: a list of Problems (exit 2)
└── BuildError    the build itself failed (a bug or an I/O failure)  (exit 1)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One defect in one input, located as precisely as the format allows.

    Rendered as ``FILE:LINE: COLUMN: expected …, found …``. ``line`` is 1-based (the header of a
    CSV is line 1; in a workbook it is the sheet row); 0 means the whole file.
    """

    file: str
    line: int
    column: str
    expected: str
    found: str

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
