"""Large knowledge bases are parsed in two processes; the result must equal a serial load."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from crmkb import knowledge_base

if TYPE_CHECKING:
    from conftest import Repo

ISSUE = """\
---
id: {id}
title: 第{n}个问题
reporter: P002
reported: 2026-10-12
module: customer
severity: low
---

## 现象

第{n}个
"""


def _load(repo: Repo) -> tuple[dict[str, list[str]], list[str], set[str]]:
    kb, errors = knowledge_base.check(repo.root, today=knowledge_base.dt.date(2026, 11, 23))
    ids = {kind: sorted(records) for kind, records in kb.records.items()}
    return ids, [str(e) for e in errors], kb.invalid


def test_two_processes_give_the_same_records_and_errors(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(2, 41):
        repo.write(f"records/issues/ISS-{n:04d}.md", ISSUE.format(id=f"ISS-{n:04d}", n=n))
    # Problems on both sides of the split: a duplicate id, an invalid record, a bad file name.
    repo.write("records/issues/ISS-0041.md", ISSUE.format(id="ISS-0002", n=41))
    repo.write("records/issues/ISS-0042.md", ISSUE.format(id="ISS-0042", n=42) + "\x00")
    repo.replace("records/issues/ISS-0003.md", "severity: low", "severity: urgent")
    serial = _load(repo)
    monkeypatch.setattr(knowledge_base, "PARALLEL_MIN_FILES", 1)
    progress: list[int] = []
    parallel = _load(repo)
    knowledge_base.load_records(repo.root, progress=progress.append)
    assert parallel == serial
    assert "ISS-0003" in parallel[2]
    assert sum(progress) == knowledge_base.count_files(repo.root)
    assert any("duplicate id 'ISS-0002'" in e for e in parallel[1])
