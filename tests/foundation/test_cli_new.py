"""`kb new`: next free id, --set values, refusal without a terminal, never overwriting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .conftest import Kb

if TYPE_CHECKING:
    from conftest import Repo

ISSUE_ARGS = ("--set", "reporter=P002", "--set", "module=customer", "--set", "severity=medium")


def test_new_issue_prints_path_and_writes_a_valid_record(repo: Repo, kb: Kb) -> None:
    before = repo.snapshot()
    result = kb("new", "issue", "--title", "报价单无法保存", *ISSUE_ARGS)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "records/issues/ISS-0002.md\n",
        "",
    )
    assert repo.read("records/issues/ISS-0002.md") == (
        "---\n"
        "id: ISS-0002\n"
        "title: 报价单无法保存\n"
        "reporter: P002\n"
        "reported: 2026-11-23\n"
        "module: customer\n"
        "severity: medium\n"
        "owner: P002\n"  # the module's owner, by default
        "---\n"
        "\n"
        "## 现象\n\n\n\n## 情景与复现\n\n1. \n\n## 原因分析\n\n\n\n## 临时办法\n\n"
    )
    after = repo.snapshot()
    assert set(after) - set(before) == {"records/issues/ISS-0002.md"}
    assert {k: after[k] for k in before} == before
    assert kb("check").exit_code == 0


def test_next_free_id_follows_the_highest(repo: Repo, kb: Kb) -> None:
    text = repo.read("records/issues/ISS-0001.md")
    repo.write("records/issues/ISS-0041.md", text.replace("ISS-0001", "ISS-0041", 1))
    result = kb("new", "issue", "--title", "x", *ISSUE_ARGS)
    assert result.stdout == "records/issues/ISS-0042.md\n"


def test_existing_file_is_never_replaced(repo: Repo, kb: Kb) -> None:
    # A stray file that is not a valid record still holds its number.
    repo.write("records/issues/ISS-0002.md", "draft, not yet a record\n")
    result = kb("new", "issue", "--title", "x", *ISSUE_ARGS)
    assert result.stdout == "records/issues/ISS-0003.md\n"
    assert repo.read("records/issues/ISS-0002.md") == "draft, not yet a record\n"


def test_values_are_yaml_and_titles_are_quoted_safely(repo: Repo, kb: Kb) -> None:
    title = "yes: no # 不是注释 - [1]"
    result = kb("new", "issue", "--title", title, *ISSUE_ARGS, "--set", "tags=[折扣, 报价]")
    assert result.exit_code == 0
    shown = kb("show", "ISS-0002", "--format", "json")
    assert '"title": "yes: no # 不是注释 - [1]"' in shown.stdout
    assert '"tags": [\n    "折扣",\n    "报价"\n  ]' in shown.stdout
    assert kb("check").exit_code == 0


def test_new_solution_and_change_and_feedback(repo: Repo, kb: Kb) -> None:
    outputs = [
        kb("new", "solution", "--title", "方案", "--set", "modules=[customer]").stdout,
        kb(
            "new",
            "change",
            "--title",
            "导入",
            "--set",
            "requester=P002",
            "--set",
            "module=customer",
        ).stdout,
        kb(
            "new",
            "feedback",
            "--title",
            "太慢",
            "--set",
            "person=P002",
            "--set",
            "reasonable=false",
            "--set",
            "response=按设计运行",
        ).stdout,
    ]
    assert outputs == [
        "records/solutions/SOL-0002.md\n",
        "records/changes/CR-0002.md\n",
        "records/feedback/FB-0002.md\n",
    ]
    assert kb("check").exit_code == 0


def test_missing_fields_without_a_terminal_are_refused(repo: Repo, kb: Kb) -> None:
    before = repo.snapshot()
    result = kb("new", "issue", "--title", "x", input="")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "error: missing required fields: reporter, module, severity; "
        "pass --set reporter=… --set module=… --set severity=…\n",
    )
    assert repo.snapshot() == before


def test_invalid_value_is_refused_before_writing(repo: Repo, kb: Kb) -> None:
    before = repo.snapshot()
    result = kb(
        "new",
        "issue",
        "--title",
        "x",
        "--set",
        "reporter=P002",
        "--set",
        "module=customer",
        "--set",
        "severity=urgent",
    )
    assert (result.exit_code, result.stderr) == (
        2,
        "error: severity: Input should be 'low', 'medium', 'high' or 'critical' (got 'urgent')\n",
    )
    assert repo.snapshot() == before


def test_set_without_equals_is_a_usage_error(repo: Repo, kb: Kb) -> None:
    result = kb("new", "issue", "--set", "oops")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: --set expects FIELD=VALUE, got 'oops'\n",
    )


def test_unknown_kind_is_a_usage_error(kb: Kb) -> None:
    result = kb("new", "person")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: Invalid value for '{issue|solution|change|feedback|audit|data-check}': 'person' "
        "is not one of 'issue', 'solution', 'change', 'feedback', 'audit', 'data-check'.",
    )
