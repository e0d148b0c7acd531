"""Concurrent `kb new`: writers racing for the next id never share one, and no file is partial."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from crmkb.records import REGISTRY
from crmkb.store import create_numbered

if TYPE_CHECKING:
    from conftest import Repo

KB = Path(sys.executable).parent / "kb"
WRITERS = 8


def test_parallel_kb_new_processes_get_distinct_ids(repo: Repo) -> None:
    env = {**os.environ, "CRMKB_ROOT": str(repo.root), "CRMKB_TODAY": "2026-11-23"}
    argv = [
        str(KB),
        "new",
        "issue",
        "--set",
        "reporter=P002",
        "--set",
        "module=customer",
        "--set",
        "severity=low",
    ]
    procs = [
        subprocess.Popen(
            [*argv, "--title", f"并发写入 {n}"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    results = [(p.wait(timeout=60), *p.communicate()) for p in procs]

    assert [code for code, _, _ in results] == [0] * WRITERS, results
    printed = sorted(out.strip() for _, out, _ in results)
    expected = [f"records/issues/ISS-{n:04d}.md" for n in range(2, 2 + WRITERS)]
    assert printed == expected
    issues = sorted(p.name for p in (repo.root / "records/issues").iterdir())
    assert issues == ["ISS-0001.md", *(Path(p).name for p in expected)]  # no temporary files left
    titles = set()
    for path in expected:
        text = repo.read(path)
        assert text.startswith(f"---\nid: {Path(path).stem}\n")
        assert text.endswith("## 临时办法\n\n")
        titles.add(text.split("title: ", 1)[1].split("\n", 1)[0])
    assert titles == {f"并发写入 {n}" for n in range(WRITERS)}
    check = subprocess.run([str(KB), "check"], env=env, capture_output=True, text=True)
    assert (check.returncode, check.stdout) == (0, "")


def test_slow_writers_racing_in_threads_never_share_an_id(repo: Repo) -> None:
    # Each render takes a while, so every writer computes the same "next" number before any
    # of them has linked its file into place: only the hard link decides who gets it.
    kind = REGISTRY["issue"]
    start = threading.Barrier(WRITERS)
    taken: list[str] = []

    def render(record_id: str) -> str:
        time.sleep(0.05)
        return f"---\nid: {record_id}\n---\n"

    def write() -> None:
        start.wait()
        record_id, _ = create_numbered(repo.root, kind, render)
        taken.append(record_id)

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(taken) == [f"ISS-{n:04d}" for n in range(2, 2 + WRITERS)]
    for record_id in taken:
        assert repo.read(f"records/issues/{record_id}.md") == f"---\nid: {record_id}\n---\n"
