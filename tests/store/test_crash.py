"""`kill -9` at each point of a two-file write: the next `kb` run completes or undoes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import InProcess, Run, changed, git

# The transaction's named points, in order (crmkb.store.journal); from `committed` on, the
# change is complete on disk and the next run finishes it, before that it is undone.
BEFORE_COMMIT = ["prepared", "temp-1", "temp-2"]
AFTER_COMMIT = ["committed", "renamed-1", "renamed-2"]
RESOLVE = ("resolve", "ISS-0040", "--solution", "SOL-0001", "--cause", "process")


@pytest.fixture
def investigated(kb: InProcess, sample: Path) -> Path:
    assert kb("investigate", "ISS-0040").exit_code == 0
    git(sample, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "step")
    return sample


def _killed(run: Run, point: str, *args: str) -> None:
    killed = run(*args, CRMKB_FAULT=point)
    assert killed.returncode == -9, killed.stderr


BOTH = "records/issues/ISS-0040.md, records/solutions/SOL-0001.md\n"
UNDONE = f"kb: undid an interrupted kb write (nothing of it had been written): {BOTH}"
DONE = f"kb: completed an interrupted kb write: {BOTH}"
WRITTEN = [" M records/issues/ISS-0040.md", " M records/solutions/SOL-0001.md"]


@pytest.mark.parametrize(
    ("point", "said", "after"),
    [(p, UNDONE, []) for p in BEFORE_COMMIT] + [(p, DONE, WRITTEN) for p in AFTER_COMMIT],
)
def test_the_next_run_undoes_or_completes_a_killed_write(
    run: Run, kb: InProcess, investigated: Path, point: str, said: str, after: list[str]
) -> None:
    _killed(run, point, *RESOLVE)
    listed = kb("list", "issue", "--status", "resolved")
    assert listed.exit_code == 0
    assert listed.stderr.startswith(said)
    assert changed(investigated) == after
    assert not (investigated / ".kb-journal.json").exists()
    if after:
        issue = (investigated / "records/issues/ISS-0040.md").read_text(encoding="utf-8")
        assert "status: resolved\n" in issue and "solution: SOL-0001\n" in issue
        solution = (investigated / "records/solutions/SOL-0001.md").read_text(encoding="utf-8")
        assert "issues: [ISS-0001, ISS-0002, ISS-0040]\n" in solution
    assert kb("check").exit_code == 0


def test_kb_check_reports_the_journal_and_leaves_it(
    run: Run, kb: InProcess, investigated: Path
) -> None:
    _killed(run, "renamed-1", *RESOLVE)
    for _ in range(2):  # check repairs nothing: it reports the same again
        result = kb("check")
        assert result.exit_code == 1
        assert result.stdout.startswith(
            ".kb-journal.json:1:1: error: an interrupted kb write left this journal; run any "
            "other kb command (kb list) to complete or undo it, then check again\n"
        )
    assert (investigated / ".kb-journal.json").exists()


@pytest.mark.parametrize("point", ["temp-1", "renamed-1"])
def test_a_killed_new_solution_leaves_no_orphan(
    run: Run, kb: InProcess, investigated: Path, point: str
) -> None:
    args = ("resolve", "ISS-0040", "--new-solution", "--title", "报表口径", "--cause", "process")
    _killed(run, point, *args)
    assert kb("list", "solution").exit_code == 0
    if point == "temp-1":
        assert changed(investigated) == []
    else:
        assert changed(investigated) == [
            " M records/issues/ISS-0040.md",
            "?? records/solutions/SOL-0021.md",
        ]
    assert kb("check").exit_code == 0
