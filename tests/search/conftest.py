"""Fixtures for the search browser tests: system Chromium and a small built MkDocs site."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from crmkb.search import SearchDoc, write_index
from harness import Watch, serve, watched_tab

REPO = Path(__file__).resolve().parents[2]

PAGES = [
    SearchDoc(
        "issues/ISS-0042/",
        "付款条件重复",
        "客户订单的付款条件在系统里出现了两次，回款计划因此错误。",
        "issue",
        ("ISS-0042", "付款条件"),
    ),
    SearchDoc(
        "issues/ISS-0001/",
        "信用額度不足無法下單",
        "業務員下單時系統提示信用額度不足。",
        "issue",
        ("ISS-0001",),
    ),
    SearchDoc(
        "issues/ISS-0007/",
        "报表导出很慢",
        "月底导出应收报表要十分钟，付款条件字段为空。",
        "issue",
        ("ISS-0007",),
    ),
    SearchDoc(
        "solutions/SOL-0003/",
        "Credit limit check",
        "Raise the credit limit in the customer master before the order is released.",
        "solution",
        ("SOL-0003",),
    ),
    SearchDoc(
        "changes/CR-0001/",
        "电商订单自动同步",
        "需求：电商平台订单自动进入系统。重复录入浪费时间。",
        "change",
        ("CR-0001",),
    ),
    SearchDoc(
        "issues/ISS-0066/",
        "<img src=x onerror=alert(1)>标题注入",
        "正文<script>alert(2)</script>",
        "issue",
        ("ISS-0066",),
    ),
]


def build_site(root: Path, docs: list[SearchDoc]) -> Path:
    """Build a Material site with one page per doc, excluded from Material's own index."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# 知识库\n\n欢迎。\n", encoding="utf-8")
    for doc in docs:
        page = root / "docs" / doc.location.rstrip("/")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.with_suffix(".md").write_text(
            f"---\nsearch:\n  exclude: true\ntitle: 页面\n---\n\n{doc.text}\n", encoding="utf-8"
        )
    (root / "mkdocs.yml").write_text(
        "site_name: 测试知识库\n"
        "theme:\n  name: material\n  language: zh\n  font: false\n"
        f"  custom_dir: {REPO / 'kb' / 'overrides'}\n"
        "plugins:\n  - search\n"
        "not_in_nav: |\n  /issues/\n  /solutions/\n  /changes/\n",
        encoding="utf-8",
    )
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
        check=True,
        capture_output=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""},
    )
    write_index(docs, root / "site" / "assets" / "crmkb-search")
    return root / "site"


@pytest.fixture(scope="session")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = build_site(tmp_path_factory.mktemp("search-site"), PAGES)
    with serve(site) as base:
        yield base


@pytest.fixture()
def page(browser: Browser, search_site: str) -> Iterator[tuple[Page, Watch]]:
    """A fresh page; the test fails on outside requests, console errors or dialogs."""
    with watched_tab(browser, search_site) as opened:
        yield opened
