"""A full disk, a read-only mount and an unwritable folder: refused, reported, nothing written."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import KB, changed, copy_sample, git, kb_env

NEEDS_ROOT = "mounting a tmpfs needs root (CI runs the tests as root)"


@contextlib.contextmanager
def mounted(folder: Path, *options: str) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.fail(NEEDS_ROOT)
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(folder)], check=True
    )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def _fill(folder: Path, leave: int) -> None:
    """Fill the file system holding `folder` until only about `leave` bytes are free."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * 4096)
    os.truncate(filler, max(0, filler.stat().st_size - leave))


def _kb(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KB), *args], env=kb_env(root), capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("leave", [0, 4096, 8192])
def test_a_full_disk_refuses_the_two_file_write_and_keeps_both(tmp_path: Path, leave: int) -> None:
    with mounted(tmp_path / "disk", "size=8m") as disk:
        root = copy_sample(disk / "kb")
        assert _kb(root, "investigate", "ISS-0040").returncode == 0
        git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "step")
        _fill(disk, leave)
        result = _kb(root, "resolve", "ISS-0040", "--solution", "SOL-0001", "--cause", "process")
        assert result.returncode == 1
        assert "the disk is full (no space left on device); nothing was written\n" in result.stderr
        assert "Traceback" not in result.stderr
        assert not (root / ".kb-journal.json").exists()
        (disk / "filler").unlink()
        assert changed(root) == []  # git needs a little space itself
        assert _kb(root, "check").returncode == 0


WRITES = [
    ("investigate", "ISS-0040"),
    ("resolve", "ISS-0021", "--new-solution", "--title", "新方案"),
    ("new", "issue", "--title", "x", "--set", "reporter=P002", "--set", "module=receivable",
     "--set", "severity=low"),
    ("cr", "rollout", "CR-0003"),
]  # fmt: skip


def test_a_read_only_folder_is_reported_as_such(tmp_path: Path, sample: Path) -> None:
    view = tmp_path / "ro"
    view.mkdir()
    if os.geteuid() != 0:
        pytest.fail(NEEDS_ROOT)
    subprocess.run(["mount", "--bind", str(sample), str(view)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
        for args in WRITES:
            result = _kb(view, *args)
            assert (result.returncode, result.stderr) == (
                1,
                "error: cannot write .kb.lock: the folder is on a read-only file system; "
                "nothing was written\n",
            ), args
        report = _kb(view, "report", "weekly", "--period", "2026-W47", "--out", "w47.md")
        assert report.returncode == 1
        assert "read-only file system" in report.stderr
    finally:
        subprocess.run(["umount", str(view)], check=True)
    assert changed(sample) == []


def test_an_unwritable_folder_is_reported_for_another_user(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.fail("switching to an unprivileged user needs root (CI runs as root)")
    shared = Path(tempfile.mkdtemp(prefix="kb-ro-", dir="/tmp"))
    try:
        root = copy_sample(shared / "kb")
        subprocess.run(["chmod", "-R", "a+rX", str(shared)], check=True)
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        for args in [*WRITES, ("report", "weekly", "--period", "2026-W47", "--out", "w.md")]:
            result = subprocess.run(
                [*nobody, str(KB), *args],
                env=kb_env(root, HOME="/tmp"),
                cwd="/tmp",
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert result.returncode == 1, (args, result.stderr)
            assert "permission denied: the folder is not writable" in result.stderr, args
            assert "Traceback" not in result.stderr
        assert changed(root) == []
    finally:
        shutil.rmtree(shared)
