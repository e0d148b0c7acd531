"""Issue 18 item 1: a record missing the date of its step is named with its place, skipped by
read commands and refused by writes; no command stops."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import InProcess

BROKEN = "records/issues/ISS-0025.md"


def _drop_step_date(sample: Path) -> None:
    path = sample / BROKEN
    text = path.read_text(encoding="utf-8")
    assert "status: verifying\n" in text
    path.write_text(text.replace("  verifying: 2026-11-18\n", "", 1), encoding="utf-8")


def test_the_missing_date_is_a_located_error_in_json(sample: Path, kb: InProcess) -> None:
    _drop_step_date(sample)
    found = kb("check", "--format", "json")
    assert found.exit_code == 1
    problems = json.loads(found.stdout)["problems"]
    errors = [e for e in problems if e["path"] == BROKEN and e["severity"] == "error"]
    assert errors == [
        {
            "path": BROKEN,
            "line": 9,
            "col": 9,
            "severity": "error",
            "message": "status is 'verifying' but dates has no verifying: add the day it became "
            "verifying (dates.verifying: YYYY-MM-DD) or correct the status",
        }
    ]


def test_read_commands_skip_it_and_writes_refuse_it(sample: Path, kb: InProcess) -> None:
    _drop_step_date(sample)
    for args in (("show", "ISS-0001"), ("list", "issue"), ("sla",), ("points",)):
        shown = kb(*args)
        assert shown.exit_code == 0, (args, shown.output)
        assert f"warning: skipped {BROKEN}: 9:9: status is 'verifying'" in shown.stderr
        assert "ISS-0025" not in shown.stdout
    assert kb("note", "ISS-0001", "still works").exit_code == 0
    refused = kb("note", "ISS-0025", "on a broken record")
    assert refused.exit_code == 1
    assert f"{BROKEN}:9:9: error: status is 'verifying' but dates has no verifying" in (
        refused.stderr
    )
