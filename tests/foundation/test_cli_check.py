"""`kb check`: each output format, and the exit codes 0 (clean), 1 (problems), 2 (usage)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import Kb

if TYPE_CHECKING:
    from conftest import Repo

PROBLEM = (
    "records/issues/ISS-0001.md:4:11: error: unknown person 'P099'; "
    "it is not defined in records/people.yml"
)


@pytest.fixture
def broken(repo: Repo) -> Repo:
    repo.replace("records/issues/ISS-0001.md", "reporter: P002", "reporter: P099")
    return repo


def test_clean_repository_exits_0(kb: Kb) -> None:
    result = kb("check")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "已检查 13 条记录：0 个错误，0 个警告\n",
    )


def test_human_format(broken: Repo, kb: Kb) -> None:
    result = kb("check")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        PROBLEM + "\n",
        "已检查 13 条记录：1 个错误，0 个警告\n",
    )


def test_json_format(broken: Repo, kb: Kb) -> None:
    result = kb("check", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "records": 13,
        "errors": 1,
        "warnings": 0,
        "problems": [
            {
                "path": "records/issues/ISS-0001.md",
                "line": 4,
                "col": 11,
                "severity": "error",
                "message": "unknown person 'P099'; it is not defined in records/people.yml",
            }
        ],
    }
    assert result.stderr == ""


def test_json_format_clean(kb: Kb) -> None:
    result = kb("check", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (
        0,
        {"records": 13, "errors": 0, "warnings": 0, "problems": []},
    )


def test_github_format(broken: Repo, kb: Kb) -> None:
    result = kb("check", "--format", "github")
    assert (result.exit_code, result.stdout) == (
        1,
        "::error file=records/issues/ISS-0001.md,line=4,col=11::unknown person 'P099'; "
        "it is not defined in records/people.yml\n",
    )


def test_warnings_pass_unless_strict(repo: Repo, kb: Kb) -> None:
    # An open issue past its SLA is a warning, not an error.
    repo.write(
        "records/issues/ISS-0002.md",
        "---\nid: ISS-0002\ntitle: 报价单折扣无法保存\nreporter: P002\nreported: 2026-10-01\n"
        "module: customer\nseverity: medium\n---\n",
    )
    relaxed, strict = kb("check"), kb("check", "--strict")
    assert relaxed.exit_code == 0
    assert "warning" in relaxed.stdout
    assert (strict.exit_code, strict.stdout) == (1, relaxed.stdout)


def test_unknown_format_is_a_usage_error(kb: Kb) -> None:
    result = kb("check", "--format", "xml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(
        "Error: Invalid value for '--format': 'xml' is not one of 'human', 'json', 'github'.\n"
    )


def test_not_a_repository_exits_2(kb: Kb, tmp_path: Path) -> None:
    result = kb("check", "--root", str(tmp_path))
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"error: {tmp_path} is not a crmkb repository (no records/ folder or crmkb.yml)\n",
    )


def test_bad_today_exits_2(repo: Repo) -> None:
    from click.testing import CliRunner

    from crmkb.cli import main

    runner = CliRunner(env={"CRMKB_ROOT": str(repo.root), "CRMKB_TODAY": "23/11/2026"})
    result = runner.invoke(main, ["check"], prog_name="kb")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: CRMKB_TODAY='23/11/2026' is not a date like 2026-11-23\n",
    )


def test_bad_config_is_located(repo: Repo, kb: Kb) -> None:
    repo.write("crmkb.yml", "language: fr\n")
    result = kb("check")
    assert (result.exit_code, result.stdout) == (
        1,
        "crmkb.yml:1:11: error: language: Input should be 'zh' or 'en' (got 'fr')\n",
    )


def test_lang_option_speaks_english_in_a_chinese_repository(kb: Kb) -> None:
    result = kb("--lang", "en", "check")
    assert (result.exit_code, result.stderr) == (0, "13 records checked: 0 errors, 0 warnings\n")
    assert kb("check").stderr == "已检查 13 条记录：0 个错误，0 个警告\n"
