"""A finished sitting whose result cannot go to records/exam-results/ (full disk, read-only
folder) is saved whole to a fallback file, the score is still shown, and `kb exam import`
files it later. Run in a real pty, with a real small or read-only tmpfs mounted (as root)."""

from __future__ import annotations

import contextlib
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from pty_kit import Terminal, current_question, exam_results, questions_by_text
from test_exam_cli import kb, result

RESULTS = "records/exam-results"


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@contextlib.contextmanager
def mount(target: Path, options: str) -> Iterator[Path]:
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"these tests mount a tmpfs and need root: {done.stderr}"
    try:
        yield target
    finally:
        subprocess.run(["umount", str(target)], check=True)


@contextlib.contextmanager
def small_disk(target: Path, tmp: Path) -> Iterator[Path]:
    """`target` on a 64 KiB tmpfs; yields the tmpfs root, which holds `target`'s files under
    `results/` and room for a filler outside any record folder (kb reports stray files)."""
    with mount(tmp / "small-disk", "size=64k") as disk:
        (disk / "results").mkdir()
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "--bind", str(disk / "results"), str(target)], check=True)
        try:
            yield disk
        finally:
            subprocess.run(["umount", str(target)], check=True)


def fill(folder: Path) -> None:
    """Write a filler file until the small tmpfs is full."""
    filler = (folder / ".filler").open("wb")
    with contextlib.suppress(OSError):
        while True:
            filler.write(b"\0" * 4096)
            filler.flush()
    with contextlib.suppress(OSError):
        filler.close()


@pytest.fixture()
def full_disk(kb_root: Path, tmp_path: Path) -> Iterator[Path]:
    with small_disk(kb_root / RESULTS, tmp_path) as disk:
        fill(disk)
        yield disk


@pytest.fixture()
def read_only(kb_root: Path) -> Iterator[Path]:
    with mount(kb_root / RESULTS, "ro,size=1m") as folder:
        yield folder


def sit_skipping_everything(root: Path, home: Path) -> Terminal:
    bank = questions_by_text(root)
    term = Terminal(root, ("HOME", str(home)))
    term.expect("开始考试？")
    term.send("y")
    for number in range(1, 5):
        current_question(term, number, bank)
        term.send("")
    assert term.wait() == 1, term.text
    return term


def saved_file(term: Terminal, problem: str) -> Path:
    assert "EXR-0001：得分 0（及格线 75），未通过" in term.text  # the score is still shown
    found = re.search(
        rf"无法写入 records/exam-results/: {problem}。完整的考试记录（已签名）保存在 (\S+)。"
        r"请项目负责人在问题解决后运行：kb exam import (\S+)",
        term.text.replace("\n", ""),
    )
    assert found, term.text
    assert found.group(1) == found.group(2)
    return Path(found.group(1))


def file_it(root: Path, saved: Path) -> None:
    run = kb(root, "exam", "import", str(saved))
    assert run.exit_code == 0, run.output
    assert run.stdout.startswith("EXR-0001: filed as ")
    assert result(root, "EXR-0001")["status"] == "complete"
    assert kb(root, "check").exit_code == 0


def test_a_full_disk_leaves_a_fallback_file(kb_root: Path, home: Path, full_disk: Path) -> None:
    term = sit_skipping_everything(kb_root, home)
    saved = saved_file(term, "No space left on device")
    assert saved.parent == home
    assert list((kb_root / RESULTS).iterdir()) == []  # no partial result
    (full_disk / ".filler").unlink()
    file_it(kb_root, saved)


def test_a_read_only_folder_leaves_a_fallback_file(
    kb_root: Path, home: Path, read_only: Path
) -> None:
    term = sit_skipping_everything(kb_root, home)
    saved = saved_file(term, "Read-only file system")
    subprocess.run(["umount", str(read_only)], check=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(read_only)], check=True)
    file_it(kb_root, saved)
    assert exam_results(kb_root) == ["EXR-0001.yml"]


def test_an_edited_fallback_file_is_refused(kb_root: Path, home: Path, read_only: Path) -> None:
    saved = saved_file(sit_skipping_everything(kb_root, home), "Read-only file system")
    saved.write_text(saved.read_text("utf-8").replace("score: 0", "score: 100"), "utf-8")
    run = kb(kb_root, "exam", "import", str(saved))
    assert run.exit_code == 1
    assert "the signature does not verify" in run.stderr


def test_a_disk_that_fills_during_the_sitting(kb_root: Path, home: Path, tmp_path: Path) -> None:
    """The provisional result got in; the final one goes to a fallback file, and importing
    it replaces the provisional one (same id), so the attempt is recorded once."""
    with small_disk(kb_root / RESULTS, tmp_path) as folder:
        bank = questions_by_text(kb_root)
        term = Terminal(kb_root, ("HOME", str(home)))
        term.expect("开始考试？")
        term.send("y")
        current_question(term, 1, bank)
        assert exam_results(kb_root) == ["EXR-0001.yml"]  # the provisional result
        fill(folder)
        for number in range(1, 5):
            current_question(term, number, bank)
            term.send("")
        assert term.wait() == 1, term.text
        saved = saved_file(term, "No space left on device")
        assert result(kb_root, "EXR-0001")["status"] == "incomplete"
        (folder / ".filler").unlink()
        file_it(kb_root, saved)
        assert exam_results(kb_root) == ["EXR-0001.yml"]
