"""The record cache is never stale: edits, a git checkout, a deleted or corrupt cache, two
commands at once and a read-only cache folder all give what a load without the cache gives."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from crmkb import record_cache
from crmkb.cached_records import Records
from crmkb.knowledge_base import as_jsonable, check, load_records

from .conftest import TODAY_ENV, Kb

if TYPE_CHECKING:
    from conftest import Repo

REPO_ROOT = Path(__file__).resolve().parents[2]
ISSUE = "records/issues/ISS-0001.md"
TITLE = "节后入账的回款显示逾期"


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust stat fields at once: in a test every file was changed within the racy window,
    so without this every entry would be checked by its content hash instead."""
    monkeypatch.setattr(record_cache, "RACY_NS", 0)


def _title(kb: Kb, record_id: str = "ISS-0001") -> str:
    result = kb("show", record_id, "--format", "json")
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["title"])


def _deferred(root: Path) -> int:
    """How many issues the last load took from the cache rather than from their files."""
    kb, _ = load_records(root)
    bucket = kb.records["issue"]
    assert isinstance(bucket, Records)
    return bucket.deferred


def _everything(root: Path) -> tuple[list[dict[str, object]], list[str]]:
    kb, errors = check(root)
    return [as_jsonable(r) for r in kb.all()], [str(e) for e in errors]


def test_a_cached_load_equals_a_load_without_cache(
    repo: Repo, trusting: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("records/issues/ISS-0009.md", "---\nid: ISS-0009\ntitle: x\nreporter: P404\n---\n")
    first = _everything(repo.root)
    assert _deferred(repo.root) >= 1  # the valid issue came from the cache...
    assert _everything(repo.root) == first  # ...and is the same record, errors and all
    monkeypatch.setenv("CRMKB_NO_CACHE", "1")
    assert _everything(repo.root) == first


def test_every_sample_record_comes_back_from_the_cache_unchanged(tmp_path: Path) -> None:
    root = tmp_path / "sample"
    shutil.copytree(REPO_ROOT / "records", root / "records")
    shutil.copy(REPO_ROOT / "crmkb.yml", root / "crmkb.yml")
    cold = _everything(root)
    warm = _everything(root)
    assert warm == cold
    assert len(warm[0]) > 50


def test_an_edit_in_the_same_second_is_seen(repo: Repo, kb: Kb) -> None:
    assert _title(kb) == TITLE
    repo.replace(ISSUE, TITLE, "节后入账的回款显示逾期了")
    assert _title(kb) == "节后入账的回款显示逾期了"


def test_an_edit_keeping_size_and_mtime_is_seen(repo: Repo, kb: Kb, trusting: None) -> None:
    path = repo.root / ISSUE
    assert _title(kb) == TITLE
    before = path.stat()
    repo.replace(ISSUE, "节后", "假后")  # same byte length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert _title(kb) == TITLE.replace("节后", "假后")


def test_a_touched_file_with_the_same_text_is_reused(repo: Repo, trusting: None) -> None:
    first = _everything(repo.root)  # nothing cached yet
    (repo.root / ISSUE).touch()
    assert _deferred(repo.root) == 1  # new times, same text hash: no second parse...
    assert _everything(repo.root) == first
    kept = record_cache.RecordCache.open(repo.root).full_rows([ISSUE])[ISSUE]
    assert TITLE in kept.fields and kept.body  # the entry got the new times and stays whole
    assert _deferred(repo.root) == 1


def test_a_git_checkout_is_seen(repo: Repo, kb: Kb, trusting: None) -> None:
    def git(*args: str) -> None:
        env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
        env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
        subprocess.run(["git", *args], cwd=repo.root, check=True, env=env, capture_output=True)

    (repo.root / ".gitignore").write_text("/.kb-cache/\n")
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "one")
    git("checkout", "-qb", "other")
    repo.replace(ISSUE, TITLE, "另一个分支的标题")
    git("commit", "-qam", "two")
    assert _title(kb) == "另一个分支的标题"
    git("checkout", "-q", "main")
    assert _title(kb) == TITLE
    git("checkout", "-q", "other")
    assert _title(kb) == "另一个分支的标题"


def test_a_deleted_file_disappears(repo: Repo, kb: Kb) -> None:
    assert _title(kb) == TITLE
    (repo.root / ISSUE).unlink()
    result = kb("show", "ISS-0001")
    assert result.exit_code != 0
    assert "unknown issue 'ISS-0001'" in result.output  # its file is gone, so is its record


@pytest.mark.parametrize("damage", ["delete", "garbage", "truncate"])
def test_a_deleted_or_corrupt_cache_is_rebuilt(repo: Repo, kb: Kb, damage: str) -> None:
    assert _title(kb) == TITLE
    folder = repo.root / record_cache.FOLDER
    database = folder / record_cache.DATABASE
    if damage == "delete":
        shutil.rmtree(folder)
    elif damage == "garbage":
        for part in folder.iterdir():
            part.write_bytes(b"not a database at all" * 100)
    else:
        with database.open("r+b") as handle:
            handle.truncate(100)
    repo.replace(ISSUE, TITLE, "缓存坏了之后的标题")
    assert _title(kb) == "缓存坏了之后的标题"
    assert database.exists()  # started afresh
    assert _title(kb) == "缓存坏了之后的标题"


def test_two_commands_at_once_agree(repo: Repo) -> None:
    for n in range(2, 40):
        repo.write(
            f"records/issues/ISS-{n:04d}.md",
            f"---\nid: ISS-{n:04d}\ntitle: 问题 {n}\nreporter: P002\nreported: 2026-11-20\n"
            "module: customer\nseverity: low\n---\n\n## 现象\n\n保存失败。\n",
        )
    kb = Path(sys.executable).parent / "kb"
    env = {**os.environ, "CRMKB_ROOT": str(repo.root), "CRMKB_TODAY": TODAY_ENV}
    argv = [str(kb), "list", "issue", "--format", "json"]
    runs = [subprocess.Popen(argv, env=env, stdout=subprocess.PIPE) for _ in range(3)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0]
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(json.loads(outputs[0])) == 39


def test_a_read_only_cache_folder_changes_nothing(repo: Repo, kb: Kb) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a read-only folder needs root (CI runs as root)")
    folder = repo.root / record_cache.FOLDER
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)], check=True)
    try:
        assert _title(kb) == TITLE
        repo.replace(ISSUE, TITLE, "只读缓存")
        assert _title(kb) == "只读缓存"
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_remembered_rules_follow_the_proctors_keys(tmp_path: Path) -> None:
    """Cross-record results are reused only while every file they read is unchanged, the
    proctors' allowed signers (outside the record files) included."""
    import datetime as dt

    day = dt.date(2026, 11, 23)
    root = tmp_path / "sample"
    shutil.copytree(REPO_ROOT / "records", root / "records")
    shutil.copy(REPO_ROOT / "crmkb.yml", root)

    def result_errors(errors: list[record_cache.RecordError]) -> list[str]:
        return [str(e) for e in errors if e.path.startswith("records/exam-results/")]

    _, before = check(root, today=day, reuse_rules=True)
    assert result_errors(before) == []
    (root / "records/proctors/allowed_signers").write_text("", encoding="utf-8")
    _, after = check(root, today=day, reuse_rules=True)
    assert after == check(root, today=day)[1]
    assert result_errors(after) != []


def _sample(tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    shutil.copytree(REPO_ROOT / "records", root / "records")
    shutil.copy(REPO_ROOT / "crmkb.yml", root / "crmkb.yml")
    return root


def test_a_filtered_listing_builds_only_the_records_it_may_keep(
    tmp_path: Path, trusting: None
) -> None:
    from crmkb.cached_records import where

    root = _sample(tmp_path)
    plain, _ = load_records(root)
    expected = [r.id for r in plain.records["issue"].values() if r.status == "investigating"]
    kb, _ = load_records(root)
    bucket = kb.records["issue"]
    assert isinstance(bucket, Records) and bucket.deferred == len(bucket)
    found = where(bucket, {"status": "investigating".__eq__})
    assert [r.id for r in found] == expected and expected
    assert bucket.deferred == len(bucket) - len(expected)  # the others were never built
    assert [r.id for r in where(bucket, {})] == list(bucket)


def test_texts_the_cache_lost_are_read_from_the_file(tmp_path: Path, trusting: None) -> None:
    """A cached record whose text went missing from the cache (another command replaced the
    entry meanwhile, say) is built from its file instead."""
    import sqlite3

    root = _sample(tmp_path)
    expected, _ = _everything(root)
    kb, _ = load_records(root)
    with sqlite3.connect(root / record_cache.FOLDER / record_cache.DATABASE) as db:
        db.execute("DELETE FROM texts")
    assert [as_jsonable(r) for r in kb.all()] == expected


def test_a_symlinked_record_retargeted_out_of_the_repository_is_refused(
    repo: Repo, kb: Kb, trusting: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A link's own stat fields say nothing about where it leads: never taken from the cache."""
    path = repo.root / ISSUE
    inside = repo.root / "drafts" / "ISS-0001.md"
    inside.parent.mkdir()
    shutil.copy(path, inside)
    path.unlink()
    path.symlink_to(inside)
    assert _title(kb) == TITLE
    assert _title(kb) == TITLE  # the second load could have used a cache entry
    outside = tmp_path_factory.mktemp("elsewhere") / "ISS-0001.md"
    shutil.copy(inside, outside)
    path.unlink()
    path.symlink_to(outside)
    result = kb("check")
    assert result.exit_code == 1
    assert f"{ISSUE}:1:1: error: this file is a symlink to a file outside the repository" in (
        result.output
    )
    assert kb("show", "ISS-0001").exit_code != 0


def _cache_descriptors() -> int:
    held = 0
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            held += os.readlink(f"/proc/self/fd/{fd}").endswith(record_cache.DATABASE)
    return held


def test_a_process_reading_many_repositories_keeps_few_cache_connections(
    repo: Repo, tmp_path: Path
) -> None:
    """kb serve, a build or a test run reads many repositories in one process: the pooled
    cache connections are bounded, so descriptors never run out (select() fails past 1023)."""
    gc.collect()  # connections other tests no longer reference
    before = _cache_descriptors()
    for n in range(3 * record_cache._POOL_LIMIT):
        root = tmp_path / f"copy-{n}"
        shutil.copytree(repo.root / "records", root / "records")
        load_records(root)
        assert (root / record_cache.FOLDER / record_cache.DATABASE).is_file()
    gc.collect()
    assert _cache_descriptors() - before <= record_cache._POOL_LIMIT
    kb, _ = load_records(repo.root)  # the first repository's cache still answers
    assert kb.records["issue"]["ISS-0001"].title == TITLE


def test_a_big_write_ahead_log_is_folded_in_after_a_write(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold load writes every entry; a log left that big is read again by every later
    command's first statement, so it is folded into the database once past the bound."""
    monkeypatch.setattr(record_cache, "_BIG_LOG", 0)
    first = _everything(repo.root)
    log = repo.root / record_cache.FOLDER / f"{record_cache.DATABASE}-wal"
    assert log.stat().st_size == 0
    assert _deferred(repo.root) >= 1  # the entries are in the database itself
    assert _everything(repo.root) == first
