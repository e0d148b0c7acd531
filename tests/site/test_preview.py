"""The pull-request preview opens from disk (issue 19 item 6): `make preview` builds with
`use_directory_urls: false`, so every link names a file; opened through file:// in Chromium,
the reader follows links from page to page and never lands on a directory listing."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from site_kit import REPO, mkdocs_build

HREF = re.compile(r'<a\s[^>]*?href="([^"#]+)(?:#[^"]*)?"')
# Material looks for an offline search index when opened from disk; crmkb's search needs a
# server (README: what does not work from disk).
FROM_DISK_ONLY = ("search_index.js", "ERR_FILE_NOT_FOUND")


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("preview") / "site-preview"
    result = mkdocs_build(REPO, site, config="mkdocs-preview.yml")
    assert result.returncode == 0, result.stderr
    return site


def test_every_link_in_the_preview_names_a_file(preview: Path) -> None:
    broken = []
    # 404.html is a server's page for any address: its links start at the server's root.
    pages = [p for p in preview.rglob("*.html") if p.name != "404.html"]
    assert len(pages) > 50
    for page in pages:
        for href in HREF.findall(page.read_text(encoding="utf-8")):
            if urlsplit(href).scheme or href.startswith(("mailto:", "//")):
                continue
            target = (page.parent / unquote(href.split("?")[0])).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(preview)} -> {href}")
    assert broken == []


def _open(page: Page, url: str) -> None:
    page.goto(url)
    assert page.url.endswith(".html"), page.url
    assert page.locator("article h1").first.is_visible()


@pytest.mark.parametrize("viewport", [(1366, 900), (390, 844)])
def test_a_reviewer_follows_links_from_disk(
    browser: Browser, preview: Path, viewport: tuple[int, int], tmp_path: Path
) -> None:
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.clock.set_fixed_time("2026-11-25T09:00:00")
        _open(page, (preview / "index.html").as_uri())
        page.screenshot(path=str(tmp_path / f"home-{viewport[0]}.png"))
        # Home -> open problems -> an issue -> its module's catalogue, by clicking.
        for target, expected in [
            ("open.html", "未解决问题"),
            ("issues/ISS-0032.html", "ISS-0032"),
        ]:
            link = page.locator(f'article a[href$="{target.rsplit("/", 1)[-1]}"]').first
            link.click()
            page.wait_for_url(f"**/{target}")
            assert page.locator("article h1").first.inner_text().startswith(expected)
        assert (
            page.locator("time.crmkb-due").inner_text() == "已超期 1 个工作日（应于 2026-11-24 前）"
        )
        page.screenshot(path=str(tmp_path / f"issue-{viewport[0]}.png"), full_page=True)
        page.locator("article a", has_text="未解决问题").first.click()
        page.wait_for_url("**/open.html")
        for href in ["catalog/index.html", "solutions/index.html", "training/index.html"]:
            _open(page, (preview / href).as_uri())
            first = page.locator("article table a").first
            first.click()
            page.wait_for_load_state()
            assert page.url.endswith(".html") and "Index of" not in page.content(), page.url
    finally:
        context.close()
    assert [e for e in errors if not any(part in e for part in FROM_DISK_ONLY)] == []
