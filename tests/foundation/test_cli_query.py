"""`kb list` with each filter and `kb show`, in text and JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from .conftest import Kb

if TYPE_CHECKING:
    from conftest import Repo

ISS1 = "ISS-0001  resolved  high  receivable  2026-10-09  节后入账的回款显示逾期"
ISS2 = "ISS-0002  investigating  medium  customer  2026-11-20  报价单折扣无法保存"


@pytest.fixture
def two_issues(repo: Repo) -> Repo:
    repo.write(
        "records/issues/ISS-0002.md",
        "---\nid: ISS-0002\ntitle: 报价单折扣无法保存\nreporter: P002\nreported: 2026-11-20\n"
        "module: customer\nseverity: medium\nstatus: investigating\n"
        "dates:\n  investigating: 2026-11-20\n---\n\n## 现象\n\n保存失败。\n",
    )
    return repo


@pytest.mark.parametrize(
    ("args", "rows"),
    [
        ((), [ISS1, ISS2]),
        (("--status", "investigating"), [ISS2]),
        (("--status", "declined"), []),
        (("--module", "receivable"), [ISS1]),
        (("--severity", "high"), [ISS1]),
        (("--since", "2026-11-01"), [ISS2]),
        (("--until", "2026-10-31"), [ISS1]),
        (("--since", "2026-10-09", "--until", "2026-11-20"), [ISS1, ISS2]),
        (("--module", "customer", "--severity", "high"), []),
    ],
)
def test_list_issue_filters(
    two_issues: Repo, kb: Kb, args: tuple[str, ...], rows: list[str]
) -> None:
    result = kb("list", "issue", *args)
    assert (result.exit_code, result.stdout.splitlines(), result.stderr) == (
        0,
        rows,
        f"{len(rows)} issue records\n",
    )


def test_list_solutions_by_module_uses_their_modules_list(kb: Kb) -> None:
    result = kb("list", "solution", "--module", "receivable")
    assert result.stdout == "SOL-0001  2026-10-12  回款按实际到账日期登记\n"


def test_list_json(two_issues: Repo, kb: Kb) -> None:
    result = kb("list", "issue", "--status", "investigating", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        {
            "id": "ISS-0002",
            "title": "报价单折扣无法保存",
            "reporter": "P002",
            "reported": "2026-11-20",
            "module": "customer",
            "severity": "medium",
            "status": "investigating",
            "handled_by": "internal",
            "dates": {"investigating": "2026-11-20"},
            "evidence": [],
            "tags": [],
            "body": "\n## 现象\n\n保存失败。\n",
            "path": "records/issues/ISS-0002.md",
        }
    ]


def test_list_people(kb: Kb) -> None:
    result = kb("list", "person")
    assert result.stdout == "P001  王立\nP002  李娜\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("person", "--severity", "high"), "error: --severity does not apply to person records\n"),
        (
            ("person", "--since", "2026-01-01"),
            "error: --since/--until do not apply to person records (they have no date)\n",
        ),
        (
            ("issue", "--since", "yesterday"),
            "error: --since 'yesterday' is not a date like 2026-11-23\n",
        ),
    ],
)
def test_list_usage_errors(kb: Kb, args: tuple[str, ...], message: str) -> None:
    result = kb("list", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_list_skips_a_broken_record_and_names_it_once(repo: Repo, kb: Kb) -> None:
    repo.replace("records/issues/ISS-0001.md", "reporter: P002", "reporter: P099")
    result = kb("list", "issue")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "warning: skipped records/issues/ISS-0001.md: 4:11: unknown person 'P099'; "
        "it is not defined in records/people.yml (kb check lists every problem)\n"
        "0 issue records\n",
    )
    assert kb("check").exit_code == 1
