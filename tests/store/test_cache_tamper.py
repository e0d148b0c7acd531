"""Issue 18 item 10: a row planted in `.kb-cache` never makes a broken record pass `kb check`
and never stands in for a record file in `kb show` (entries carry an HMAC under a key kept
outside the repository)."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest

from .conftest import InProcess

ISSUE = "records/issues/ISS-0001.md"


@pytest.fixture(autouse=True)
def own_cache_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))


def _plant(sample: Path, **changes: object) -> None:
    """What someone with write access to the folder does: make the entry of ISS-0001 match
    the file on disk now (its stat fields, taken later), and change what it says."""
    info = os.stat(sample / ISSUE)
    db = sqlite3.connect(sample / ".kb-cache/records.sqlite3")
    with db:
        fields = {
            "size": info.st_size,
            "mtime": info.st_mtime_ns,
            "ctime": info.st_ctime_ns,
            "ino": info.st_ino,
            "taken": time.time_ns() + 10**10,
            **changes,
        }
        sets = ", ".join(f"{name} = ?" for name in fields)
        db.execute(f"UPDATE files SET {sets} WHERE path = ?", (*fields.values(), ISSUE))
    db.close()


def test_a_planted_row_never_makes_a_broken_record_pass(sample: Path, kb: InProcess) -> None:
    assert kb("check").exit_code == 0  # the cache now holds the sound ISS-0001
    path = sample / ISSUE
    path.write_text(path.read_text("utf-8").replace("severity: high", "severity: 极高"), "utf-8")
    _plant(sample)
    found = kb("check")
    assert found.exit_code == 1
    assert f"{ISSUE}:7:11: error: severity: Input should be" in found.stdout


def test_a_planted_row_never_stands_in_for_the_record_file(sample: Path, kb: InProcess) -> None:
    assert kb("check").exit_code == 0
    db = sqlite3.connect(sample / ".kb-cache/records.sqlite3")
    (fields,) = db.execute("SELECT fields FROM files WHERE path = ?", (ISSUE,)).fetchone()
    db.close()
    forged = {**json.loads(fields), "title": "伪造的标题", "severity": "low"}
    _plant(sample, fields=json.dumps(forged, ensure_ascii=False))
    shown = kb("show", "ISS-0001", "--format", "json")
    assert shown.exit_code == 0
    record = json.loads(shown.stdout)
    assert record["title"].startswith("9月30日晚到账的回款") and record["severity"] == "high"
    assert kb("check").exit_code == 0
