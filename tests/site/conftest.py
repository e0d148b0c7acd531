"""Fixtures for the site tests: the sample knowledge base, and real builds of the site."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from crmkb.knowledge_base import KnowledgeBase, load
from harness import Watch, serve, watched_tab
from site_kit import HOSTILE_ISSUE, REPO, copy_site_inputs, mkdocs_build


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
def site_url(built_site: Path) -> Iterator[str]:
    with serve(built_site) as base:
        yield base


@pytest.fixture()
def tab(browser: Browser, site_url: str) -> Iterator[tuple[Page, Watch]]:
    """A fresh page; the test fails on outside requests, console errors or dialogs."""
    with watched_tab(browser, site_url) as opened:
        yield opened
