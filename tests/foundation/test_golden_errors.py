"""Golden error messages: each golden/*.txt writes files into the minimal repo and holds the
exact `kb check` output; one parametrized test runs them all.

Format: `# comment` lines, then sections opened by `=== write PATH`, `=== exit CODE` and
`=== stdout`. Set CRMKB_REGEN_GOLDEN=1 to rewrite the expected output after a deliberate change.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import Kb

if TYPE_CHECKING:
    from conftest import Repo

GOLDEN = Path(__file__).parent / "golden"
_SECTION = re.compile(r"^=== (write|exit|stdout)\s*(.*)$")


@dataclass
class Case:
    writes: dict[str, str] = field(default_factory=dict)
    exit_code: int = 1
    stdout: str = ""


def parse(text: str) -> Case:
    case = Case()
    current: tuple[str, str] | None = None
    lines: list[str] = []

    def flush() -> None:
        if current is None:
            return
        kind, arg = current
        body = "".join(lines)
        if kind == "write":
            case.writes[arg] = body
        elif kind == "stdout":
            case.stdout = body

    for line in text.splitlines(keepends=True):
        match = _SECTION.match(line.rstrip("\n"))
        if match:
            flush()
            lines = []
            current = (match.group(1), match.group(2).strip())
            if current[0] == "exit":
                case.exit_code = int(current[1])
            continue
        if current is None and line.startswith("#"):
            continue
        lines.append(line)
    flush()
    return case


def regenerate(path: Path, stdout: str) -> None:
    text = path.read_text(encoding="utf-8")
    head = text[: text.index("=== stdout\n") + len("=== stdout\n")]
    path.write_text(head + stdout, encoding="utf-8")


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.txt")), ids=lambda p: p.stem)
def test_golden(path: Path, repo: Repo, kb: Kb) -> None:
    case = parse(path.read_text(encoding="utf-8"))
    for relpath, content in case.writes.items():
        repo.write(relpath, content)
    before = repo.snapshot()

    result = kb("check")

    if os.environ.get("CRMKB_REGEN_GOLDEN"):
        regenerate(path, result.stdout)
        return
    assert (result.exit_code, result.stdout) == (case.exit_code, case.stdout)
    assert repo.snapshot() == before, "kb check must not write anything"
