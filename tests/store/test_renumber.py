"""`kb renumber OLD NEW`: the file, the evidence folder and every reference move in one
journalled change; a bad request or a result kb check would reject writes nothing; kill -9 is
completed or undone; a second command at the same time waits for the lock."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from filelock import FileLock

from crmkb.renumber import substitute

from .conftest import KB, InProcess, Run, changed, git, kb_env

MOVED = [
    " D records/evidence/ISS-0001/ageing-report.svg",
    " D records/issues/ISS-0001.md",
    " M records/changes/CR-0003.md",
    " M records/feedback/FB-0004.md",
    " M records/issues/ISS-0002.md",
    " M records/issues/ISS-0045.md",
    " M records/solutions/SOL-0001.md",
    "?? records/evidence/ISS-0060/ageing-report.svg",
    "?? records/issues/ISS-0060.md",
]
ENTRY = (
    "  - on: 2026-11-23\n    by: P001\n"
    "    text: 由 ISS-0001 改号为 ISS-0060：该编号已在另一分支上使用\n"
)


def _texts(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in (root / "records").rglob("*")
        if p.suffix in (".md", ".yml")
    }


def _with_me(sample: Path) -> None:
    with (sample / "crmkb.yml").open("a", encoding="utf-8") as config:
        config.write("me: P001\n")
    git(sample, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "me")


def _assert_moved(sample: Path, before: dict[str, str], svg: bytes) -> None:
    assert sorted(changed(sample)) == MOVED
    after = _texts(sample)
    mapping = {"ISS-0001": "ISS-0060"}
    for path, text in before.items():
        if path != "records/issues/ISS-0001.md":
            # every other byte is kept: only the id tokens differ
            assert after[path] == substitute(text, mapping), path
    moved = after["records/issues/ISS-0060.md"]
    old = substitute(before["records/issues/ISS-0001.md"], mapping)
    head, _, body = old.partition("\n---\n")
    assert moved == f"{head}\nhistory:\n{ENTRY}---\n{body}"
    assert "issues: [ISS-0060, ISS-0002]\n" in after["records/solutions/SOL-0001.md"]
    assert "evidence: [records/evidence/ISS-0060/ageing-report.svg]\n" in moved
    assert (sample / "records/evidence/ISS-0060/ageing-report.svg").read_bytes() == svg
    assert not (sample / "records/evidence/ISS-0001").exists()
    assert not re.search(r"ISS-0001(?!\d)", "".join(after.values()).replace(ENTRY, ""))


def test_renumber_moves_the_file_the_evidence_and_every_reference(
    sample: Path, kb: InProcess
) -> None:
    _with_me(sample)
    before = _texts(sample)
    svg = (sample / "records/evidence/ISS-0001/ageing-report.svg").read_bytes()
    result = kb("renumber", "iss-0001", "ISS-0060")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "ISS-0001 → ISS-0060\n"
        "  已写入 records/changes/CR-0003.md\n"
        "  已写入 records/evidence/ISS-0060/ageing-report.svg\n"
        "  已写入 records/feedback/FB-0004.md\n"
        "  已写入 records/issues/ISS-0002.md\n"
        "  已写入 records/issues/ISS-0045.md\n"
        "  已写入 records/issues/ISS-0060.md\n"
        "  已写入 records/solutions/SOL-0001.md\n"
        "  已删除 records/evidence/ISS-0001/ageing-report.svg\n"
        "  已删除 records/issues/ISS-0001.md\n"
    )
    _assert_moved(sample, before, svg)
    assert kb("check").exit_code == 0
    # English works as well, and the message says what to do
    again = kb("--lang", "en", "renumber", "ISS-0060", "ISS-0002")
    assert again.exit_code == 2
    assert "ISS-0002 is taken; choose a free id" in again.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ISS-0001", "ISS-0002"), "error: ISS-0002 is taken; choose a free id"),
        (("ISS-0999", "ISS-0060"), "error: no issue ISS-0999; see kb list issue"),
        (("ISS-0001", "SOL-0060"), "error: SOL-0060 is not an id of the same kind as ISS-0001"),
        (("ISS-0001", "ISS-0001"), "error: ISS-0001 already has that id"),
        (("TM-OP-01", "TM-OP-09"), "error: TM-OP-01 has no sequence number to change"),
        (("CERT-OP", "CERT-0001"), "error: CERT-OP has no sequence number to change"),
        (("P001", "P002"), "error: 'P001' is not a record id like"),
        (("ISS-0001",), "error: name OLD and NEW ids, or --onto REF (not both)"),
        (("ISS-0001", "ISS-0060", "--onto", "main"), "error: name OLD and NEW ids"),
        (("--onto", "nowhere"), "error: nowhere is not a commit in this clone"),
        (("--onto", "--upload-pack=x"), "is not a git revision"),
    ],
)
def test_a_bad_request_writes_nothing(
    sample: Path, kb: InProcess, args: tuple[str, ...], message: str
) -> None:
    result = kb("--lang", "en", "renumber", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert changed(sample) == []


def test_a_result_kb_check_would_reject_is_refused_with_its_location(
    sample: Path, kb: InProcess
) -> None:
    # a title at its 200-character limit that names ISS-0001: a longer id would overflow it
    path = sample / "records/issues/ISS-0005.md"
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^title: .*$", text, re.M)
    assert title is not None
    text = text.replace(title.group(0), "title: 同ISS-0001" + "甲" * 190)
    path.write_text(text, encoding="utf-8")
    assert kb("check").exit_code == 0
    before = _texts(sample)
    result = kb("--lang", "en", "renumber", "ISS-0001", "ISS-0000060")
    assert result.exit_code == 1
    assert re.search(r"^records/issues/ISS-0005\.md:3:8: error: .*200", result.output, re.M)
    assert "error: kb refused the change" in result.output
    assert _texts(sample) == before
    assert (sample / "records/issues/ISS-0001.md").exists()
    assert not (sample / "records/evidence/ISS-0000060").exists()


# Nine files: from `committed` on the change is complete and the next run rolls it forward.
@pytest.mark.parametrize(
    ("point", "done"),
    [
        *[("prepared", False), ("temp-1", False), ("temp-3", False)],
        *[("committed", True), ("renamed-1", True), ("renamed-4", True), ("renamed-9", True)],
    ],
)
def test_kill_9_during_renumber_is_completed_or_undone(
    sample: Path, run: Run, kb: InProcess, point: str, done: bool
) -> None:
    _with_me(sample)
    before = _texts(sample)
    svg = (sample / "records/evidence/ISS-0001/ageing-report.svg").read_bytes()
    killed = run("renumber", "ISS-0001", "ISS-0060", CRMKB_FAULT=point)
    assert killed.returncode == -9, killed.stderr
    listed = kb("list", "issue")
    assert listed.exit_code == 0
    said = "completed an interrupted kb write" if done else "undid an interrupted kb write"
    assert said in listed.stderr
    if done:
        _assert_moved(sample, before, svg)
    else:
        assert changed(sample) == []
    assert kb("check").exit_code == 0


def test_a_second_command_waits_for_the_renumber(sample: Path, kb: InProcess) -> None:
    """Both start while the lock is held; whichever runs first, nothing is lost."""
    _with_me(sample)
    env = kb_env(sample)
    commands = [
        ["renumber", "ISS-0001", "ISS-0060"],
        ["note", "ISS-0001", "再次核对回款日期"],
        ["new", "issue", "--title", "同时登记", "--set", "reporter=P010", "--set",
         "module=receivable", "--set", "severity=low"],
    ]  # fmt: skip
    with FileLock(sample / ".kb.lock"):
        procs = [
            subprocess.Popen(
                [str(KB), "--lang", "en", *args],
                env=env,
                text=True,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for args in commands
        ]
    out = [p.communicate(timeout=120) for p in procs]
    codes = [p.returncode for p in procs]
    assert codes[0] == 0, out[0]
    assert codes[2] == 0, out[2]
    issue = (sample / "records/issues/ISS-0060.md").read_text(encoding="utf-8")
    if codes[1] == 0:  # the note came first: it moved with the record
        assert "再次核对回款日期" in issue
        assert issue.index("再次核对回款日期") < issue.index("改号为 ISS-0060")
    else:  # the renumber came first: the note is refused, naming the missing record
        assert codes[1] == 2
        assert "no issue 'ISS-0001'" in out[1][1]
        assert "再次核对回款日期" not in issue
    new_ids = re.findall(r"ISS-\d{4}", out[2][0])
    assert new_ids and new_ids[0] != "ISS-0060"
    assert kb("check").exit_code == 0
