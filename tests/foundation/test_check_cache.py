"""`kb check` on a knowledge base large enough to be parsed in two processes: the same output
with a cold, a warm or no record cache, and the cache a cold check writes (the second process
writes it while the first cross-checks) is complete and right for the next command, also
after a kill -9 or when the cache is corrupt."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from crmkb import knowledge_base, record_cache

from .conftest import TODAY_ENV
from .test_parallel_load import ISSUE

if TYPE_CHECKING:
    from conftest import Repo

KB = Path(sys.executable).parent / "kb"
# Problems on both sides of the split (the files are split by name): each kind of
# refusal the loader makes, a duplicate id, and records the cross-record rules reject.
BROKEN = {
    "ISS-0005": ("severity: low", "severity: low\nseverity: high"),
    "ISS-0300": ("title:", "extra: &x [a]\nmore: *x\ntitle:"),
    "ISS-0700": ("title:", "title: !!python/object:collections.OrderedDict {}\nname:"),
    "ISS-1200": ("reported: 2026-10-12", "reported: 2026-13-01"),
    "ISS-1500": ("id: ISS-1500", "id: ISS-0002"),
    "ISS-1800": ("reporter: P002", "reporter: P404"),
    "ISS-2000": ("severity: low", "severity: urgent"),
    "ISS-2050": ("title:", "<<: {a: 1}\ntitle:"),
}
FILES = 2100  # above knowledge_base.PARALLEL_MIN_FILES


@pytest.fixture
def big(repo: Repo) -> Repo:
    assert FILES > knowledge_base.PARALLEL_MIN_FILES
    for n in range(2, FILES):
        record_id = f"ISS-{n:04d}"
        text = ISSUE.format(id=record_id, n=n)
        if record_id in BROKEN:
            old, new = BROKEN[record_id]
            text = text.replace(old, new, 1)
        # A valid title with '*' and '&' takes the loader's checked path, not the fast one.
        if n == 1000:
            text = text.replace("title: ", 'title: "*星号* & 和" # ', 1)
        repo.write(f"records/issues/{record_id}.md", text)
    return repo


def _kb_check(root: Path, *args: str, cache: bool = True) -> tuple[int, str, str]:
    env = {**os.environ, "CRMKB_TODAY": TODAY_ENV}
    env.pop("CRMKB_ROOT", None)
    env.pop("CRMKB_NO_CACHE", None)
    if not cache:
        env["CRMKB_NO_CACHE"] = "1"
    argv = [str(KB), "check", "--root", str(root), *args]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def _entries(root: Path) -> dict[str, tuple[object, ...]]:
    """Every cache entry but the moment it was taken, by path."""
    with sqlite3.connect(root / record_cache.FOLDER / record_cache.DATABASE) as db:
        rows = db.execute(
            "SELECT f.path, kind, size, mtime, ctime, ino, taken, f.digest, fields, yaml_text, "
            "yaml_line, body, body_line FROM files f JOIN texts t ON t.path = f.path"
        ).fetchall()
    return {row[0]: tuple(v for i, v in enumerate(row) if i != 6) for row in rows}


def _cold(root: Path) -> None:
    subprocess.run(["rm", "-rf", str(root / record_cache.FOLDER)], check=True)


def test_cold_warm_and_uncached_checks_print_the_same(big: Repo) -> None:
    uncached = _kb_check(big.root, "--format", "json", cache=False)
    _cold(big.root)
    cold = _kb_check(big.root, "--format", "json")
    warm = _kb_check(big.root, "--format", "json")
    assert cold == warm == uncached
    assert uncached[0] == 1
    for record_id in BROKEN:
        assert f"records/issues/{record_id}.md" in uncached[1], record_id
    human = [_kb_check(big.root, cache=False), _kb_check(big.root)]
    _cold(big.root)
    human.append(_kb_check(big.root))
    assert human[0] == human[1] == human[2]
    assert "duplicate key 'severity'" in human[0][1]
    assert "YAML anchors and aliases are not allowed" in human[0][1]


def test_a_cold_check_writes_every_valid_file_s_entry(big: Repo) -> None:
    _cold(big.root)
    _kb_check(big.root)
    written = _entries(big.root)
    # ISS-1800 loads; only a cross-record rule rejects it (an unknown reporter).
    broken = {f"records/issues/{record_id}.md" for record_id in BROKEN if record_id != "ISS-1800"}
    issues = {p.relative_to(big.root).as_posix() for p in big.root.glob("records/issues/*.md")}
    # Every file that loads, from both halves of the split; no file with a load error.
    assert issues - broken <= set(written)
    assert broken & set(written) == set()
    # The same entries a load in one process writes, stat fields included.
    _cold(big.root)
    env = {**os.environ, "CRMKB_TODAY": TODAY_ENV}
    code = (
        "import sys; from pathlib import Path; from crmkb import knowledge_base as k; "
        "k.PARALLEL_MIN_FILES = 10**9; k.check(Path(sys.argv[1]))"
    )
    subprocess.run([sys.executable, "-c", code, str(big.root)], env=env, check=True)
    assert _entries(big.root) == written


def test_the_next_command_sees_an_edit_after_a_cold_check(big: Repo) -> None:
    _cold(big.root)
    _kb_check(big.root)
    big.replace("records/issues/ISS-1900.md", "severity: low", "severity: urgent")
    code, out, _ = _kb_check(big.root)
    assert code == 1 and "ISS-1900.md:7:11: error: severity" in out
    assert (code, out) == _kb_check(big.root, cache=False)[:2]


def test_a_corrupt_cache_is_replaced_by_a_cold_check(big: Repo) -> None:
    folder = big.root / record_cache.FOLDER
    folder.mkdir(exist_ok=True)
    (folder / record_cache.DATABASE).write_bytes(b"not a database" * 1000)
    assert _kb_check(big.root) == _kb_check(big.root, cache=False)
    assert len(_entries(big.root)) >= FILES - len(BROKEN) - 1


def test_a_check_killed_mid_run_leaves_a_usable_cache(big: Repo) -> None:
    env = {**os.environ, "CRMKB_TODAY": TODAY_ENV}
    expected = _kb_check(big.root, cache=False)
    for delay in (0.4, 0.8):  # while parsing, then about when the cache is written
        _cold(big.root)
        argv = [str(KB), "check", "--root", str(big.root)]
        run = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(run.pid, signal.SIGKILL)  # the command and its second process
        run.wait()
        assert _kb_check(big.root) == expected  # reads what the killed run left


def test_a_check_beside_another_command_writing_the_cache(big: Repo) -> None:
    expected = _kb_check(big.root, cache=False)
    env = {**os.environ, "CRMKB_TODAY": TODAY_ENV, "CRMKB_ROOT": str(big.root)}
    env.pop("CRMKB_NO_CACHE", None)
    _cold(big.root)
    listing = [str(KB), "list", "issue", "--status", "reported"]
    alone = subprocess.run(listing, env=env, capture_output=True, text=True, check=False)
    _cold(big.root)
    other = subprocess.Popen(listing, env=env, stdout=subprocess.PIPE, text=True)
    assert _kb_check(big.root) == expected
    assert other.communicate(timeout=120)[0] == alone.stdout
    assert _kb_check(big.root) == expected  # the cache both left behind
    written = _entries(big.root)
    _cold(big.root)
    _kb_check(big.root)
    assert _entries(big.root) == written


@pytest.mark.parametrize("worker_writes", [True, False])
def test_either_process_may_write_the_entries(
    big: Repo, monkeypatch: pytest.MonkeyPatch, worker_writes: bool
) -> None:
    """In a process with other cache connections or threads (kb serve, a build) the forked
    process must not touch SQLite: it sends its entries and this process writes them."""
    monkeypatch.setattr(record_cache, "_OPEN", {})
    _cold(big.root)
    serial = knowledge_base.check(big.root, today=knowledge_base.dt.date(2026, 11, 23))
    expected = _entries(big.root)
    _cold(big.root)
    monkeypatch.setattr(knowledge_base, "PARALLEL_MIN_FILES", 1)
    released: list[bool] = []
    release = record_cache.RecordCache.release_for_fork

    def spy(cache: record_cache.RecordCache) -> bool:
        released.append(release(cache) if worker_writes else False)
        return released[-1]

    monkeypatch.setattr(record_cache.RecordCache, "release_for_fork", spy)
    monkeypatch.setattr(record_cache, "_OPEN", {})
    split = knowledge_base.check(big.root, today=knowledge_base.dt.date(2026, 11, 23))
    assert released == [worker_writes]
    assert [str(e) for e in split[1]] == [str(e) for e in serial[1]]
    assert _entries(big.root) == expected
