"""The tool works for English content as well as Chinese: templates, checks and similarity."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .conftest import Kb

if TYPE_CHECKING:
    from conftest import Repo

ENGLISH_ISSUES = {
    "ISS-0002": ("Duplicate payment terms created by sales staff", "payment terms duplicated"),
    "ISS-0003": ("Quote PDF shows boxes instead of text", "the quote export font is missing"),
}


def _english(repo: Repo) -> None:
    repo.write("crmkb.yml", "language: en\ncalendar: weekends\n")
    for issue_id, (title, body) in ENGLISH_ISSUES.items():
        repo.write(
            f"records/issues/{issue_id}.md",
            f"---\nid: {issue_id}\ntitle: {title}\nreporter: P002\nreported: 2026-11-20\n"
            f"module: customer\nseverity: low\n---\n\n## Symptom\n\n{body}\n",
        )


def test_new_issue_uses_english_headings(repo: Repo, kb: Kb) -> None:
    _english(repo)
    result = kb(
        "new",
        "issue",
        "--title",
        "Credit limit blocks a new order",
        "--set",
        "reporter=P002",
        "--set",
        "module=customer",
        "--set",
        "severity=high",
    )
    assert result.stdout == "records/issues/ISS-0004.md\n"
    assert repo.read("records/issues/ISS-0004.md") == (
        "---\nid: ISS-0004\ntitle: Credit limit blocks a new order\nreporter: P002\n"
        "reported: 2026-11-23\nmodule: customer\nseverity: high\n---\n\n"
        "## Symptom\n\n\n\n## Context and reproduction\n\n1. \n\n## Investigation\n\n"
        "\n\n## Workaround\n\n"
    )


def test_english_records_check_clean_and_are_found_by_similar(repo: Repo, kb: Kb) -> None:
    _english(repo)
    assert kb("check").exit_code == 0
    result = kb("similar", "duplicate PAYMENT terms", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["id"] == "ISS-0002"
