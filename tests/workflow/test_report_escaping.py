"""`kb report --out` and the leaderboard print record text, never record markup."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from crmkb.knowledge_base import load
from crmkb.points import leaderboard

from .conftest import TODAY, Kb

HOSTILE = "<img src=x onerror=alert(1)>[x](javascript:alert(2)) {: #__config } |"


def _poison(path: Path, key: str, after: str = "") -> None:
    """Put HOSTILE in front of the first `key:` value after the line holding `after`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if after in line)
    at = next(i for i in range(start, len(lines)) if lines[i].strip().startswith(f"{key}: "))
    indent, value = lines[at].split(f"{key}: ", 1)
    lines[at] = f"{indent}{key}: {json.dumps(HOSTILE + value.strip(chr(34)))}"
    path.write_text("\n".join(lines), encoding="utf-8")


def test_report_out_escapes_titles_feedback_and_names(kb: Kb, sample: Path, tmp_path: Path) -> None:
    records = sample / "records"
    _poison(records / "issues/ISS-0042.md", "title")
    _poison(records / "feedback/FB-0001.md", "response")
    out = tmp_path / "m.md"
    result = kb("report", "monthly", "--period", "2026-11", "--out", str(out))
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    assert r"&lt;img src=x onerror=alert\(1\)&gt;\[x\]\(javascript:alert\(2\)\)" in written
    assert r"\{: \#\_\_config \} \|" in written
    assert "<img" not in written and "](javascript" not in written


def test_leaderboard_escapes_peoples_names(sample: Path) -> None:
    _poison(sample / "records" / "people.yml", "name", after="id: P009")
    board = leaderboard(load(sample, today=dt.date.fromisoformat(TODAY)), "2026-10")
    assert r"| 1 | &lt;img src=x onerror=alert\(1\)&gt;\[x\]" in board
    assert "<img" not in board


FORMULAS = ['=HYPERLINK("http://x.example/","a")', "+1+1", "-2+3", "@SUM(A1)", "＝1+1", " =1"]


def test_every_csv_cell_is_kept_from_running_as_a_formula(kb: Kb, sample: Path) -> None:
    """Issue 18 item 10: a module name (not only a title) reached the CSV raw."""
    import csv
    import io

    modules = sample / "records/modules.yml"
    lines = modules.read_text(encoding="utf-8").split("\n")
    names = iter(i for i, line in enumerate(lines) if line.startswith("    name: "))
    for formula, at in zip(FORMULAS, names, strict=False):
        lines[at] = f"    name: {json.dumps(formula)}"
    modules.write_text("\n".join(lines), encoding="utf-8")
    assert kb("check").exit_code == 0
    result = kb("report", "monthly", "--period", "2026-11", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("\ufeffperiod,")  # Excel on Chinese Windows reads UTF-8
    cells = [c for row in csv.reader(io.StringIO(result.output[1:])) for c in row]
    labels = [c for c in cells if any(f in c for f in FORMULAS)]
    assert len(labels) >= 3, cells
    for cell in cells:
        assert cell.lstrip(" ")[:1] not in ("=", "+", "-", "@", "\t", "\r", "＝"), cell
    assert all(c.startswith("'") for c in labels)
