"""The issue's hostile records, one test each: a located message, never a traceback or a crash."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import KB, InProcess, kb_env

Edit = Callable[[Path], None]


def _replace(rel: str, old: str, new: str) -> Edit:
    def edit(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _append_bytes(rel: str, data: bytes) -> Edit:
    def edit(root: Path) -> None:
        with (root / rel).open("ab") as out:
            out.write(data)

    return edit


ISSUE = "records/issues/ISS-0001.md"
EVIDENCE = "evidence: [records/evidence/ISS-0001/ageing-report.svg]"
CASES: dict[str, tuple[Edit, str]] = {
    "nesting 500": (
        _replace(ISSUE, EVIDENCE, "deep: " + "[" * 500 + "]" * 500),
        f"{ISSUE}:18:38: error: values nest more than 32 levels deep here; records need only "
        "a few levels, so flatten this value",
    ),
    "validity_months": (
        _replace(
            "records/certifications/CERT-OP.yml", "validity_months: 12", "validity_months: 99999999"
        ),
        "records/certifications/CERT-OP.yml:7:18: error: validity_months: Input should be less "
        "than or equal to 600 (got 99999999)",
    ),
    "retake_wait_days": (
        _replace(
            "records/certifications/CERT-OP.yml", "retake_wait_days: 3", "retake_wait_days: 3000000"
        ),
        "records/certifications/CERT-OP.yml:8:19: error: retake_wait_days: Input should be less "
        "than or equal to 3650 (got 3000000)",
    ),
    "9999-12-31": (
        _replace(ISSUE, "reported: 2026-10-09", "reported: 9999-12-31"),
        f"{ISSUE}:5:11: error: reported: Value error, a date must lie between 1900-01-01 and "
        "2200-12-31 (got datetime.date(9999, 12, 31))",
    ),
    "0001-01-01": (
        _replace(ISSUE, "reported: 2026-10-09", "reported: 0001-01-01"),
        f"{ISSUE}:5:11: error: reported: Value error, a date must lie between 1900-01-01 and "
        "2200-12-31 (got datetime.date(1, 1, 1))",
    ),
    "NUL in an evidence path": (
        _replace(ISSUE, EVIDENCE, 'evidence: ["records/evidence/a\\0b.png"]'),
        f"{ISSUE}:18:12: error: evidence path 'records/evidence/a\\x00b.png' holds a control "
        "character; write the file's real path",
    ),
    "Latin-1 byte in crmkb.yml": (
        _append_bytes("crmkb.yml", b"# caf\xe9\n"),
        "crmkb.yml:23:6: error: invalid UTF-8 byte 0xe9; save the file as UTF-8",
    ),
    "long calendar": (
        _replace("crmkb.yml", "calendar: cn", "calendar: " + "x" * 100_000),
        "crmkb.yml:9:11: error: calendar: 100,000 characters; at most 200 allowed, shorten it",
    ),
    "fullwidth id": (
        lambda root: (root / "records/issues/ISS-００３９.md").write_text(
            (root / "records/issues/ISS-0039.md")
            .read_text(encoding="utf-8")
            .replace("ISS-0039", "ISS-００３９"),
            encoding="utf-8",
        ),
        "records/issues/ISS-００３９.md:2:5: error: id: Value error, ids use ASCII letters, "
        "digits and '-' only (no fullwidth characters)",
    ),
    "hidden file": (
        lambda root: (root / "records/issues/.ISS-0099.md").write_text("---\nid: x\n---\n"),
        "records/issues/.ISS-0099.md:1:1: error: hidden file in a record folder; kb does not "
        "read it: rename it without the leading '.' to make it a record, or move it out of "
        "records/",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_kb_check_locates_it_and_reads_still_answer(sample: Path, kb: InProcess, name: str) -> None:
    edit, message = CASES[name]
    edit(sample)
    check = kb("check")
    assert check.exit_code == 1
    assert message in check.stdout
    listed = kb("list", "issue")
    assert listed.exit_code == 0
    assert listed.stderr.startswith(f"warning: skipped {message.split(':')[0]}: ")


def test_thirty_thousand_levels_do_not_crash_the_parser(sample: Path) -> None:
    _replace(ISSUE, EVIDENCE, "deep: " + "[" * 30_000 + "]" * 30_000)(sample)
    result = subprocess.run(
        [str(KB), "check"], env=kb_env(sample), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert f"{ISSUE}:18:38: error: values nest more than 32 levels deep" in result.stdout


def test_terminal_escapes_in_a_title_are_refused_and_never_printed(
    sample: Path, kb: InProcess
) -> None:
    """A title is one line of plain text (issue 18): terminal escapes are a located error,
    and the record is skipped by read commands, its text never reaching the terminal."""
    title = 'title: "报表 \\e]0;pwned\\a 标题 \\u202e"'
    _replace("records/issues/ISS-0042.md", 'title: "報價折扣審批通知郵件標題亂碼"', title)(sample)
    check = kb("check")
    assert "records/issues/ISS-0042.md:3:8: error: title: Value error, holds the control " in (
        check.stdout
    )
    listed = kb("list", "issue")
    assert "ISS-0042" not in listed.stdout and "\x1b" not in listed.output
    assert "\x1b" not in kb("sla").output
    assert "\x1b" not in kb("show", "ISS-0042").output


def test_github_format_escapes_a_newline_in_a_file_name(sample: Path, kb: InProcess) -> None:
    (sample / "records/issues/x\n::error::pwned,a:b.md").write_text("x")
    result = kb("check", "--format", "github")
    assert [line for line in result.stdout.splitlines() if "pwned" in line] == [
        "::error file=records/issues/x%0A%3A%3Aerror%3A%3Apwned%2Ca%3Ab.md,line=1,col=1::"
        "a Markdown record must start with a '---' line opening its YAML front matter"
    ]
    assert not any(line.startswith("::error::") for line in result.stdout.splitlines())


def _as_nobody(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if os.geteuid() != 0:
        pytest.fail("switching to an unprivileged user needs root (CI runs as root)")
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    return subprocess.run(
        [*nobody, str(KB), *args], env=kb_env(root), cwd="/", capture_output=True, text=True
    )


def test_unreadable_folders_and_files_are_reported(tmp_path: Path) -> None:
    import shutil

    from .conftest import copy_sample

    shared = Path("/tmp") / f"kb-unreadable-{os.getpid()}"
    try:
        root = copy_sample(shared)
        subprocess.run(["chmod", "-R", "a+rX", str(shared)], check=True)
        os.chmod(root / "records/evidence/ISS-0001", 0o700)
        os.chmod(root / "records/issues/ISS-0042.md", 0o600)
        result = _as_nobody(root, "check")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert (
            f"{ISSUE}:18:12: error: evidence file 'records/evidence/ISS-0001/ageing-report.svg' "
            "cannot be read: a folder on its path is not readable\n"
        ) in result.stdout
        assert (
            "records/issues/ISS-0042.md:1:1: error: cannot read file: Permission denied\n"
        ) in result.stdout
        os.chmod(root / "records/issues", 0o700)
        result = _as_nobody(root, "check")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        errors = [line for line in result.stdout.splitlines() if ": error: " in line]
        assert errors == [
            "records/issues/:1:1: error: cannot read this folder: Permission denied; its "
            "records were not checked"
        ]
    finally:
        shutil.rmtree(shared, ignore_errors=True)
