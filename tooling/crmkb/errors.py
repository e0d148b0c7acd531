"""The exception tree: domain code raises these; the CLI and the MkDocs plugin report them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


class KbError(Exception):
    """Base of every error crmkb reports to a user; its text says what to change."""

    exit_code = 1


class UsageError(KbError):
    """The command line or the environment is wrong (exit code 2)."""

    exit_code = 2


@dataclass(frozen=True, order=True)
class RecordError:
    """One located problem in one file."""

    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def order(self) -> tuple[str, int, int, str, str]:
        """The dataclass order as one tuple: sorting thousands of warnings by this key
        compares in C, where the generated `__lt__` builds two tuples a comparison."""
        return (self.path, self.line, self.col, self.message, self.severity)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
        }


class RecordErrors(KbError):
    """One or more located problems; raised when records cannot be trusted."""

    def __init__(self, errors: list[RecordError]) -> None:
        self.errors = sorted(errors, key=RecordError.order)
        super().__init__("\n".join(str(e) for e in self.errors))


def located(path: Path | str, line: int, col: int, message: str) -> RecordErrors:
    """Shorthand for raising a single located error."""
    return RecordErrors([RecordError(str(path), line, col, message)])
