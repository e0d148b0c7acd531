"""Every write command refuses what `kb check` would reject: exit 1, located, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import InProcess, changed

NEW_ISSUE = ("new", "issue", "--title", "回款单重复")
OK = ("--set", "reporter=P010", "--set", "module=receivable", "--set", "severity=medium")
REFUSED = "error: kb refused the change: the records would fail kb check; nothing was written\n"

CASES = [
    (
        (
            "new",
            "feedback",
            "--title",
            "提醒太多",
            "--set",
            "person=P010",
            "--set",
            "reasonable=false",
        ),
        "records/feedback/FB-0010.md:6:13: error: unreasonable feedback needs a `response` "
        "explaining why it is declined\n",
    ),
    (
        (*NEW_ISSUE, *OK, "--set", "reporter=P999"),
        "records/issues/ISS-0050.md:4:11: error: unknown person 'P999'; it is not defined in "
        "records/people.yml\n",
    ),
    (
        (*NEW_ISSUE, *OK, "--set", "module=receivabl"),
        "records/issues/ISS-0050.md:6:9: error: unknown module 'receivabl'; it is not defined in "
        "records/modules.yml\n",
    ),
    (
        (*NEW_ISSUE, *OK, "--set", "status=resolved"),
        "records/issues/ISS-0050.md:8:9: error: a resolved issue needs `solution: SOL-…`\n",
    ),
    (
        (*NEW_ISSUE, *OK, "--set", "reported=2026-12-01"),
        "records/issues/ISS-0050.md:5:11: error: reported date 2026-12-01 is in the future "
        "(today is 2026-11-23)\n",
    ),
    (
        ("cr", "evaluate", "CR-0008", "--option", "A", "--by", "P999", "--verdict", "accept"),
        "records/changes/CR-0008.md:21:9: error: unknown person 'P999'; it is not defined in "
        "records/people.yml\n",
    ),
    (
        ("cr", "pilot", "CR-0006", "--users", "P005,P999"),
        "records/changes/CR-0006.md:32:17: error: unknown person 'P999'; it is not defined in "
        "records/people.yml\n",
    ),
]


@pytest.mark.parametrize(("args", "first"), CASES, ids=lambda v: " ".join(v)[:60])
def test_an_invalid_value_is_refused_and_nothing_is_written(
    sample: Path, kb: InProcess, args: tuple[str, ...], first: str
) -> None:
    result = kb(*args)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(first)
    assert result.stderr.endswith(REFUSED)
    assert changed(sample) == []


def test_resolving_with_another_solution_moves_the_link(sample: Path, kb: InProcess) -> None:
    result = kb("resolve", "ISS-0021", "--solution", "SOL-0001")
    assert result.exit_code == 0, result.output
    assert changed(sample) == [
        " M records/issues/ISS-0021.md",
        " M records/solutions/SOL-0001.md",
        " M records/solutions/SOL-0017.md",
    ]
    assert "issues: []\n" in (sample / "records/solutions/SOL-0017.md").read_text()
    assert kb("check").exit_code == 0


TYPED = [
    "订单 #1024 回款单重复",
    "[紧急] 回款单重复",
    "回款: 到账日不对",
    "'单引号' 与 \"双引号\"",
    "表情 🚀 与 yes",
    "- 以短横线开头",
    "null",
    "2026-11-23",
]


@pytest.mark.parametrize("title", TYPED)
def test_typed_text_is_kept_as_typed(sample: Path, kb: InProcess, title: str) -> None:
    result = kb("new", "issue", "--title", title, *OK, "--set", f"tags={title.replace(',', '')}")
    assert result.exit_code == 0, result.output
    shown = json.loads(kb("show", result.stdout.strip()[-11:-3], "--format", "json").stdout)
    assert shown["title"] == title
    assert kb("check").exit_code == 0


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "severity=urgent",
            "error: severity: Input should be 'low', 'medium', 'high' or 'critical' (got 'urgent')",
        ),
        ("reported=yesterday", "error: reported: expected a date like 2026-11-23, got 'yesterday'"),
        (
            "reported=9999-12-31",
            "error: reported: Value error, a date must lie between 1900-01-01 and 2200-12-31 "
            "(got '9999-12-31')",
        ),
        ("colour=red", "error: issue has no field 'colour'; its fields: title, reporter"),
    ],
)
def test_a_typed_field_is_parsed_by_its_type(
    sample: Path, kb: InProcess, setting: str, message: str
) -> None:
    result = kb(*NEW_ISSUE, *OK, "--set", setting)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert changed(sample) == []
