"""Issue 18 item 6: `kill -9` at each step of `kb intake` leaves the new issues and their
evidence all written or none, never a file outside the journal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Kb
from .test_intake import PNG, mail


@pytest.mark.parametrize("point", ["prepared", "temp-1", "temp-2", "committed", "renamed-1"])
def test_kill_during_intake_leaves_nothing_outside_the_journal(
    kb: Kb, sample: Path, tmp_path: Path, point: str
) -> None:
    path = mail(tmp_path, "问题1：订单保存报错\n模块：order\n订单保存报错。\n", **{"a.png": PNG})
    env = {**os.environ, "CRMKB_TODAY": "2026-11-23", "CRMKB_FAULT": point}
    kb_bin = str(Path(sys.executable).parent / "kb")
    done = subprocess.run(
        [kb_bin, "intake", str(path), "--root", str(sample)],
        env=env,
        check=False,
        capture_output=True,
    )
    assert done.returncode == -9, done.stderr
    kb("list", "issue")  # finishes or undoes the interrupted change
    check = kb("check")
    assert check.exit_code == 0 and "evidence" not in check.stdout, check.stdout
    issue = sample / "records/issues/ISS-0050.md"
    folder = sample / "records/evidence/ISS-0050"
    shots = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    written = point not in ("prepared", "temp-1", "temp-2")
    assert issue.exists() == written
    assert shots == (["a.png"] if written else [])
