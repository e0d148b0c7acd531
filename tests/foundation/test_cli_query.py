"""`kb list` with each filter and `kb show`, in text and JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from .conftest import Kb

if TYPE_CHECKING:
    from conftest import Repo

ISS1 = "ISS-0001"
ISS2 = "ISS-0002"


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
    ids = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert (result.exit_code, ids, result.stderr) == (0, rows, f"{len(rows)} issue records\n")


def test_list_has_a_header_and_columns_aligned_by_terminal_width(two_issues: Repo, kb: Kb) -> None:
    result = kb("list", "issue")
    assert result.stdout == (
        "ID        STATUS         SEVERITY  MODULE      OWNER     REPORTED    TITLE\n"
        "ISS-0001  resolved       high      receivable  (module)"
        "  2026-10-09  节后入账的回款显示逾期\n"
        "ISS-0002  investigating  medium    customer    (module)  2026-11-20  报价单折扣无法保存\n"
    )


def test_list_solutions_by_module_uses_their_modules_list(kb: Kb) -> None:
    result = kb("list", "solution", "--module", "receivable")
    assert result.stdout == (
        "ID        CONFIDENCE  MODULES     REUSE  PUBLISHED   TITLE\n"
        "SOL-0001  validated   receivable  1      2026-10-12  回款按实际到账日期登记\n"
    )


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
            "history": [],
            "personal_data_ok": [],
            "body": "\n## 现象\n\n保存失败。\n",
            "path": "records/issues/ISS-0002.md",
        }
    ]


def test_list_people(kb: Kb) -> None:
    result = kb("list", "person")
    assert result.stdout == "ID    NAME\nP001  王立\nP002  李娜\n"


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


def test_show_json(kb: Kb) -> None:
    result = kb("show", "P002", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (
        0,
        {
            "id": "P002",
            "name": "李娜",
            "roles": ["sales-rep"],
            "department": "销售部",
            "active": True,
            "path": "records/people.yml",
        },
    )


def test_show_unknown_id(kb: Kb) -> None:
    result = kb("show", "ISS-9999")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "error: no record with id 'ISS-9999'; try kb list KIND\n",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--status", "open"],
            "error: --status 'open' is not one of: reported, investigating, escalated, "
            "proposed, verifying, resolved, duplicate, declined\n",
        ),
        (
            ["--severity", "urgent"],
            "error: --severity 'urgent' is not one of: low, medium, high, critical\n",
        ),
        (["--module", "crm"], "error: --module 'crm' is not one of: receivable, customer\n"),
    ],
)
def test_list_rejects_values_a_filter_can_never_match(
    kb: Kb, args: list[str], message: str
) -> None:
    result = kb("list", "issue", *args)
    assert (result.exit_code, result.output) == (2, message)
