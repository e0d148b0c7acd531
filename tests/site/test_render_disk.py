"""`kb render` on a full or read-only disk: one line naming the folder and what to do, no
traceback, and nothing a later render or build would take for a finished site."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from serve_kit import ENV, KB, kb

from site_kit import copy_site_inputs

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="mounting a read-only or small folder needs root (CI runs as root)"
)


@contextmanager
def _mounted(folder: Path, options: str) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def _render(root: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return kb("--lang", "en", "render", "--root", str(root), str(out))


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _says_so(done: subprocess.CompletedProcess[str], out: Path) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"cannot write the site into {out}" in lines[0]
    assert "free space there or choose a writable folder" in lines[0]


@pytest.mark.parametrize("options", ["ro,size=1m", "size=64k"], ids=["read-only", "full"])
def test_render_into_a_read_only_or_full_folder_says_so(tmp_path: Path, options: str) -> None:
    root = copy_site_inputs(tmp_path / "repo")
    with _mounted(tmp_path / "out", options) as out:
        done = _render(root, out)
        _says_so(done, out)
        assert not (out / "mkdocs.yml").exists()  # no builder takes it for a site
        assert not [p for p in out.rglob("*.tmp")]  # no half-written file left behind


def test_a_render_the_disk_stopped_is_never_built_and_the_next_one_completes_it(
    tmp_path: Path,
) -> None:
    root = copy_site_inputs(tmp_path / "repo")
    fresh = tmp_path / "fresh"
    assert _render(root, fresh).returncode == 0
    with _mounted(tmp_path / "out", "size=8m") as out:
        assert _render(root, out).returncode == 0
        # Every issue's page grows, then the disk fills up: the render stops part way.
        for record in (root / "records" / "issues").glob("*.md"):
            text = record.read_text(encoding="utf-8")
            text = text.replace('title: "', 'title: "磁盘写满', 1) + "\n补充说明。" * 2000
            record.write_text(text, encoding="utf-8")
        free = os.statvfs(out).f_bavail * os.statvfs(out).f_frsize
        filler = out / "filler"
        filler.write_bytes(b"\0" * (free - 16 * 1024))
        done = _render(root, out)
        _says_so(done, out)
        assert not (out / "mkdocs.yml").exists()
        build = subprocess.run(
            [str(KB.parent / "mkdocs"), "build", "-f", str(out / "mkdocs.yml")],
            capture_output=True,
            text=True,
            env=ENV,
        )
        assert build.returncode != 0  # nothing to build from half a render
        # Space again: the next render completes it, the same as a render from scratch.
        filler.unlink()
        assert _render(root, out).returncode == 0
        assert _render(root, fresh).returncode == 0
        assert _files(out) == _files(fresh)
