"""Shared fixtures: a minimal valid crmkb repository in tmp_path, independent of the sample."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import settings
from playwright.sync_api import Browser

# Properties draw the same examples on every run (seeded from each test), so a counterexample is
# a reproducible failure, never a flake; the example database keeps any that failed.
settings.register_profile("crmkb", derandomize=True, print_blob=True)
settings.load_profile("crmkb")

REPO_ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 23)

MINIMAL_REPO: dict[str, str] = {
    "crmkb.yml": "language: zh\ncalendar: cn\n",
    "records/people.yml": """\
people:
  - id: P001
    name: 王立
    roles: [project-lead]
    department: 信息中心
    joined: 2024-03-01
  - id: P002
    name: 李娜
    roles: [sales-rep]
    department: 销售部
""",
    "records/roles.yml": """\
roles:
  - id: project-lead
    name: 项目负责人
    duties: [跟踪问题到结案]
    data_rights:
      receivable: [query]
    certifications: [CERT-OP]
  - id: sales-rep
    name: 业务员
    data_rights:
      customer: [enter, query, modify]
    certifications: [CERT-OP]
""",
    "records/modules.yml": """\
modules:
  - id: receivable
    name: 应收与回款
    owner: P001
    master_data: [付款条件]
  - id: customer
    name: 客户管理
    owner: P002
""",
    "records/issues/ISS-0001.md": """\
---
id: ISS-0001
title: 节后入账的回款显示逾期
reporter: P002
reported: 2026-10-09
module: receivable
severity: high
cause: process
status: resolved
dates:
  investigating: 2026-10-09
  resolved: 2026-10-12
solution: SOL-0001
evidence: [records/evidence/ISS-0001/shot.svg]
tags: [节假日, 账龄]
---

## 现象

回款显示逾期。

## 情景与复现

1. 打开账龄表。

## 原因分析

按登记日期计算。
""",
    "records/evidence/ISS-0001/shot.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>\n',
    "records/solutions/SOL-0001.md": """\
---
id: SOL-0001
title: 回款按实际到账日期登记
modules: [receivable]
issues: [ISS-0001]
confidence: validated
published: 2026-10-12
---

## 现象

## 原因

## 解决步骤

## 预防与宣导
""",
    "records/changes/CR-0001.md": """\
---
id: CR-0001
title: 电商订单自动同步
requester: P002
requested: 2026-10-01
module: customer
status: requested
reason: 手工录入太慢
goal: 订单当天进入系统
---

## 背景
""",
    "records/feedback/FB-0001.md": """\
---
id: FB-0001
person: P002
received: 2026-10-10
summary: 账龄表把准时回款算成逾期
reasonable: true
links: [ISS-0001]
---

原话。
""",
    "records/training/TM-OP-01.md": """\
---
id: TM-OP-01
title: 新建客户
track: operation
roles: [sales-rep]
order: 1
modules: [customer]
---

## 新建客户

## 常见错误
""",
    "records/questions/QB-OP-01.yml": """\
id: QB-OP-01
module: TM-OP-01
pool: exam
questions:
  - id: Q-OP-01-01
    type: single
    text: 新建客户时必填哪一项？
    options: {A: 客户名称, B: 传真}
    answer: A
    explanation: 客户名称必填。
    section: 新建客户
  - id: Q-OP-01-02
    type: true_false
    text: 客户可以重复建档。
    answer: false
    explanation: 不可以。
    section: 常见错误
""",
    "records/certifications/CERT-OP.yml": """\
id: CERT-OP
name: CRM 基础操作上岗证
modules: [TM-OP-01]
questions_per_exam: 2
pass_mark: 80
time_limit_minutes: 20
validity_months: 12
retake_wait_days: 3
""",
}


class Repo:
    """A throwaway crmkb repository: write files into it, snapshot it, point `kb` at it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relpath: str, content: str | bytes) -> Path:
        path = self.root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def read(self, relpath: str) -> str:
        return (self.root / relpath).read_text(encoding="utf-8")

    def replace(self, relpath: str, old: str, new: str) -> None:
        text = self.read(relpath)
        assert old in text, f"{old!r} not in {relpath}"
        self.write(relpath, text.replace(old, new, 1))

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """(size, mtime) of every file, to prove a command wrote nothing.

        The write lock `.kb.lock` is left out: it holds nothing and git ignores it.
        """
        return {
            p.relative_to(self.root).as_posix(): (p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in sorted(self.root.rglob("*"))
            if (p.is_file() or p.is_symlink())
            and p.name != ".kb.lock"
            and not p.relative_to(self.root).match(".kb-cache/*")
        }


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """A minimal repository in which `kb check` finds no problems (today = TODAY).

    Exam results are left out: `kb exam` writes and signs them, its own tests cover them.
    """
    built = Repo(tmp_path / "repo")
    for relpath, content in MINIMAL_REPO.items():
        built.write(relpath, content)
    return built


@pytest.fixture(scope="session")
def browser() -> Browser:
    """The one headless Chromium of this test process; fails (never skips) when it is missing."""
    from harness import CHROMIUM, MISSING_CHROMIUM, shared_browser

    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM)
    return shared_browser()
