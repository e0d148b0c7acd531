"""Hostile or broken input that golden text files cannot hold: bytes, size, symlinks, side effects.

Each test asserts the exact message and that `kb check` wrote or changed nothing.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .conftest import Kb

if TYPE_CHECKING:
    from conftest import Repo

ISSUE = """\
---
id: ISS-0002
title: 报价单折扣无法保存
reporter: P002
reported: 2026-11-23
module: customer
severity: medium
status: reported
---

## 现象

"""


def check_fails_with(repo: Repo, kb: Kb, expected: str) -> None:
    before = repo.snapshot()
    result = kb("check")
    assert (result.exit_code, result.stdout) == (1, expected)
    assert repo.snapshot() == before


def test_invalid_utf8_is_located(repo: Repo, kb: Kb) -> None:
    repo.write("records/issues/ISS-0002.md", ISSUE.encode() + "保存失".encode() + b"\xe8\xb4\n")
    check_fails_with(
        repo,
        kb,
        "records/issues/ISS-0002.md:13:4: error: invalid UTF-8 byte 0xe8; save the file as UTF-8\n",
    )


def test_latin1_front_matter_is_refused(repo: Repo, kb: Kb) -> None:
    repo.write(
        "records/issues/ISS-0002.md",
        ISSUE.replace("报价单折扣无法保存", "caf\xe9").replace("现象", "Symptom").encode("latin-1"),
    )
    check_fails_with(
        repo,
        kb,
        "records/issues/ISS-0002.md:3:11: error: invalid UTF-8 byte 0xe9; save the file as UTF-8\n",
    )


def test_fifty_megabyte_file_is_refused_unread(repo: Repo, kb: Kb) -> None:
    path = repo.write("records/issues/ISS-0002.md", ISSUE)
    with path.open("r+b") as handle:  # sparse: instant, and no 50 MB on disk
        handle.truncate(50 * 1024 * 1024)
    check_fails_with(
        repo,
        kb,
        "records/issues/ISS-0002.md:1:1: error: file is 52,428,800 bytes; records are limited to "
        "1,048,576 bytes (keep screenshots and attachments as separate evidence files)\n",
    )


def test_python_apply_tag_runs_nothing(repo: Repo, kb: Kb, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    repo.write(
        "records/issues/ISS-0002.md",
        f'---\nid: !!python/object/apply:os.system ["touch {marker}"]\n---\n',
    )
    check_fails_with(
        repo,
        kb,
        "records/issues/ISS-0002.md:2:5: error: YAML tag !!python/object/apply:os.system is not "
        "allowed; records hold plain values only\n",
    )
    assert not marker.exists()


def test_evidence_symlink_out_of_repository(repo: Repo, kb: Kb, tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("secret\n")
    os.symlink(outside, repo.root / "records/evidence/ISS-0001/link.svg")
    repo.replace("records/issues/ISS-0001.md", "shot.svg", "link.svg")
    check_fails_with(
        repo,
        kb,
        "records/evidence/ISS-0001/link.svg:1:1: error: is a symbolic link; commit the file "
        "itself, not a link\n"
        "records/issues/ISS-0001.md:14:12: error: evidence path "
        "'records/evidence/ISS-0001/link.svg' points outside the repository (symlink); "
        "copy the file in\n",
    )


def test_evidence_symlink_inside_repository_is_refused_too(repo: Repo, kb: Kb) -> None:
    # A link inside the attachment folders could still point at the exam pool.
    os.symlink("shot.svg", repo.root / "records/evidence/ISS-0001/link.svg")
    repo.replace("records/issues/ISS-0001.md", "shot.svg", "link.svg")
    check_fails_with(
        repo,
        kb,
        "records/evidence/ISS-0001/link.svg:1:1: error: is a symbolic link; commit the file "
        "itself, not a link\n",
    )


def test_record_symlink_out_of_repository(repo: Repo, kb: Kb, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(ISSUE, encoding="utf-8")
    os.symlink(outside, repo.root / "records/issues/ISS-0002.md")
    check_fails_with(
        repo,
        kb,
        "records/issues/ISS-0002.md:1:1: error: this file is a symlink to a file outside the "
        "repository; replace the link with the file itself\n",
    )


def test_records_folder_symlinked_out_of_repository(repo: Repo, kb: Kb, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "FB-0002.md").write_text("---\nid: FB-0002\n---\n", encoding="utf-8")
    feedback = repo.root / "records/feedback"
    (feedback / "FB-0001.md").rename(outside / "FB-0001.md")
    feedback.rmdir()
    os.symlink(outside, feedback)
    check_fails_with(
        repo,
        kb,
        "records/feedback:1:1: error: this folder is a symlink to a folder outside the "
        "repository; replace the link with the folder itself\n",
    )


def test_fifo_among_records_does_not_hang(repo: Repo, kb: Kb) -> None:
    os.mkfifo(repo.root / "records/issues/ISS-0002.md")
    check_fails_with(
        repo,
        kb,
        "records/issues/ISS-0002.md:1:1: error: not a regular file; records are plain text files\n",
    )
