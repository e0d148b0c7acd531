"""The read commands (`kb show`, `kb list`, `kb sla`, `kb similar`) answer from the record cache
exactly what they answer without it, after an edit, a `git checkout` that changes files, and a
deleted or corrupt cache: the cache is never stale."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmkb import record_cache
from crmkb.cli import main
from crmkb.search import dictionary

from .conftest import TODAY_ENV

REPO_ROOT = Path(__file__).resolve().parents[2]
ISSUE = "records/issues/ISS-0039.md"
QUERY = "客户回款提醒不对"
COMMANDS = {
    "show": ["show", "ISS-0039"],
    "show-json": ["show", "ISS-0039", "--format", "json"],
    "list-kind": ["list", "issue"],
    "list-status": ["list", "issue", "--status", "investigating"],
    "list-filters": ["list", "issue", "--module", "order", "--severity", "critical"],
    "list-dates-json": ["list", "issue", "--since", "2026-11-01", "--format", "json"],
    "sla": ["sla"],
    "sla-json": ["sla", "--format", "json"],
    "similar": ["similar", QUERY],
    "similar-json": ["similar", QUERY, "--format", "json", "--limit", "8"],
}


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample knowledge base in a real git repository; stat fields are trusted
    at once (no racy window), the harshest setting for a stale cache."""
    monkeypatch.setattr(record_cache, "RACY_NS", 0)
    root = tmp_path / "sample"
    shutil.copytree(REPO_ROOT / "records", root / "records")
    shutil.copy(REPO_ROOT / "crmkb.yml", root / "crmkb.yml")
    (root / ".gitignore").write_text("/.kb-cache/\n", encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "sample")
    return root


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=root, check=True, env=env, capture_output=True)


def _answers(root: Path, *, cache: bool = True) -> dict[str, str]:
    """Every read command's output (stdout and stderr) and exit code."""
    env = {"CRMKB_ROOT": str(root), "CRMKB_TODAY": TODAY_ENV, "CRMKB_NO_CACHE": None}
    if not cache:
        env["CRMKB_NO_CACHE"] = "1"
    runner = CliRunner(env=env)
    found = {}
    for name, args in COMMANDS.items():
        result = runner.invoke(main, args, catch_exceptions=False, prog_name="kb")
        found[name] = f"exit {result.exit_code}\n{result.output}"
    return found


def _edit(root: Path) -> None:
    """Move a reported issue to investigating and retitle it with the query's words: every
    command's answer changes (its page, the status listing, the SLA board, the ranking)."""
    path = root / ISSUE
    text = path.read_text(encoding="utf-8")
    text = text.replace("订单交货日期只能选工作日，客户要求周六送货", "客户回款提醒不对，周六送货")
    text = text.replace("severity: low\nstatus: reported\n", "severity: critical\n")
    text = text.replace("handled_by: internal\n", "handled_by: internal\n" + _INVESTIGATING)
    path.write_text(text, encoding="utf-8")


_INVESTIGATING = "status: investigating\ndates:\n  investigating: 2026-11-19\n"


def _assert_fresh(root: Path, before: dict[str, str]) -> dict[str, str]:
    """The cached answers equal the uncached ones and differ from `before` in every command."""
    cached = _answers(root)
    assert cached == _answers(root, cache=False)
    assert (root / record_cache.FOLDER).is_dir()
    stale = [name for name in COMMANDS if cached[name] == before[name]]
    assert stale == []
    return cached


@pytest.fixture
def kept_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    """`kb similar` cuts its query from the dictionary kept in the cache, as at 10,000 records
    (the sample is below the size where it starts to)."""
    monkeypatch.setattr(dictionary, "MIN_RECORDS", 0)


def test_an_edit_is_seen_by_every_read_command(sample: Path, kept_dictionary: None) -> None:
    before = _answers(sample)
    assert _answers(sample) == before  # warm: everything answered from the cache
    _edit(sample)
    after = _assert_fresh(sample, before)
    assert "客户回款提醒不对，周六送货" in after["show"]
    assert "ISS-0039" in after["list-status"] and "ISS-0039" in after["sla"]
    assert "ISS-0039" in after["similar"]


def test_a_git_checkout_is_seen_by_every_read_command(sample: Path, kept_dictionary: None) -> None:
    main_answers = _answers(sample)
    _git(sample, "checkout", "-qb", "other")
    _edit(sample)
    _git(sample, "commit", "-qam", "investigating")
    other_answers = _assert_fresh(sample, main_answers)
    _git(sample, "checkout", "-q", "main")
    assert _assert_fresh(sample, other_answers) == main_answers
    _git(sample, "checkout", "-q", "other")
    assert _assert_fresh(sample, main_answers) == other_answers


def _delete(folder: Path) -> None:
    shutil.rmtree(folder)


def _garbage(folder: Path) -> None:
    for part in folder.iterdir():
        part.write_bytes(b"not a database at all" * 100)


def _truncate(folder: Path) -> None:
    with (folder / record_cache.DATABASE).open("r+b") as handle:
        handle.truncate(4096)


@pytest.mark.parametrize("damage", [_delete, _garbage, _truncate], ids=lambda f: f.__name__)
def test_a_deleted_or_corrupt_cache_is_never_stale(
    sample: Path, damage: Callable[[Path], None]
) -> None:
    before = _answers(sample)
    damage(sample / record_cache.FOLDER)
    _edit(sample)
    _assert_fresh(sample, before)
    assert _answers(sample) == _answers(sample, cache=False)  # and rebuilt whole
