# This module holds the one shape every error takes, so that every stage can collect
# problems as data and the CLI can report them all at once, compiler-style.
from __future__ import annotations

from collections.abc import Iterable

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class SourceRef:
    """Where a problem is: a path relative to the project root and a 1-based line (0: whole file)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with the input, saying where, which field, and how to fix it.

    Messages never quote the value of a field that may hold exempt information.
    """

    where: SourceRef
    field: str
    message: str
    severity: Severity = dataclasses.field(default=Severity.ERROR, compare=False)

    def __str__(self) -> str:
        prefix = f"{self.where}: "
        if self.field:
            prefix += f"{self.field}: "
        if self.severity is Severity.WARNING:
            prefix += "warning: "
        return prefix + self.message


def errors(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(p for p in problems if p.severity is Severity.ERROR)


def warnings(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(p for p in problems if p.severity is Severity.WARNING)


class GeneratorError(Exception):
    """Raised at a stage boundary when the input cannot be built; carries every problem found."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__(f"{len(errors(problems))} problem(s) found")
        self.problems = problems


def rel(path: object) -> str:
    """A path as users see it in messages: POSIX separators."""
    return str(PurePosixPath(str(path).replace("\\", "/")))
