"""Fixtures for the site tests: the sample knowledge base, and real builds of the site."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

sys.path.insert(0, str(Path(__file__).parents[1] / "search"))

from harness import CHROMIUM, MISSING_CHROMIUM, Watch, serve, shared_browser, watch

from crmkb.knowledge_base import KnowledgeBase, load

REPO = Path(__file__).resolve().parents[2]
SITE_INPUTS = ["mkdocs.yml", "crmkb.yml", "kb", "records"]

HOSTILE_ISSUE = """\
---
id: ISS-0999
title: "<img src=x onerror=window.__pwned=1>标题注入测试"
reporter: P009
reported: 2026-11-20
module: quote
severity: low
status: reported
tags: [安全测试]
---

## 现象

<script>window.__pwned = 2</script>正文脚本测试
<img src="x" onerror="window.__pwned = 3">
<img src="https://example.com/track.png">
[点这里](javascript:window.__pwned=4)
<a href="javascript:window.__pwned=5">另一个链接</a>
"""


def copy_site_inputs(target: Path) -> Path:
    """A throwaway copy of the repository's site inputs, to build or break."""
    target.mkdir(parents=True, exist_ok=True)
    for name in SITE_INPUTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        elif source.exists():
            shutil.copy2(source, target / name)
    return target


def mkdocs_build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load(REPO, today=dt.date(2026, 11, 23))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample knowledge base built with the real mkdocs.yml, strict."""
    site = tmp_path_factory.mktemp("site") / "site"
    result = mkdocs_build(REPO, site)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample plus one record whose title and body try to run script."""
    root = copy_site_inputs(tmp_path_factory.mktemp("hostile"))
    (root / "records" / "issues" / "ISS-0999.md").write_text(HOSTILE_ISSUE, encoding="utf-8")
    result = mkdocs_build(root, root / "site")
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="session")
def browser() -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM)
    return shared_browser()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    with serve(built_site) as base:
        yield base


@pytest.fixture()
def tab(browser: Browser, site_url: str) -> Iterator[tuple[Page, Watch]]:
    """A fresh page on the sample site; the test fails on outside requests or console errors."""
    context = browser.new_context()
    page = context.new_page()
    seen = watch(page, site_url)
    page.on("dialog", lambda dialog: seen.errors.append(f"dialog opened: {dialog.message}"))
    yield page, seen
    context.close()
    assert seen.problems() == []
