"""The built sample site in headless Chromium: pages render, search finds, links work, nothing
runs that a record smuggles in, and no request leaves the local server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from harness import Watch, search, serve, watch

Tab = tuple[Page, Watch]

PAGES = {
    "": "CRM 知识库",
    "catalog/": "已解决问题目录",
    "catalog/modules/": "按 CRM 模块",
    "catalog/causes/": "按原因分类",
    "catalog/tags/": "按标签",
    "solutions/": "解决方案",
    "open/": "未解决问题",
    "changes/": "变更需求日志",
    "training/": "培训课程",
    "people/": "人员与角色",
    "issues/ISS-0001/": "ISS-0001 ",
    "solutions/SOL-0003/": "SOL-0003 业务员离职时必须完成客户移交",
    "changes/CR-0003/": "CR-0003 ",
    "training/TM-OP-01/": "TM-OP-01 ",
}


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_kind_renders(tab: Tab, site_url: str, path: str) -> None:
    page, _ = tab
    response = page.goto(site_url + path)
    assert response is not None and response.ok
    assert page.locator("article h1").first.inner_text().startswith(PAGES[path])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("付款条件重复", "issues/ISS-0003/"),  # compound Chinese, no spaces
        ("報價折扣審批郵件", "issues/ISS-0042/"),  # traditional query, traditional record
        ("离职移交", "solutions/SOL-0003/"),
        ("離職移交", "solutions/SOL-0003/"),  # traditional query, simplified record
        ("CR-0003", "changes/CR-0003/"),  # an id
        ("iss-0042", "issues/ISS-0042/"),
    ],
)
def test_search_puts_the_record_in_the_top_three(
    tab: Tab, site_url: str, query: str, expected: str
) -> None:
    page, _ = tab
    page.goto(site_url)
    # Results link with ?h=… (the opened page marks the words): compare the page paths.
    hits = [r["href"].removeprefix(site_url).split("?")[0] for r in search(page, query)]
    assert expected in hits[:3], hits[:5]


def test_a_query_in_the_address_opens_the_header_search(tab: Tab, site_url: str) -> None:
    page, _ = tab
    page.goto(site_url + "?q=付款条件重复")  # where the 404 page's search box sends the reader
    page.wait_for_selector(".md-search-result__item a[href*='issues/ISS-0003/']")


def test_catalog_links_work(tab: Tab, site_url: str) -> None:
    page, _ = tab
    checked: set[str] = set()
    for catalog in ["catalog/", "catalog/modules/", "catalog/causes/", "catalog/tags/"]:
        page.goto(site_url + catalog)
        hrefs = page.eval_on_selector_all(
            "article a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        for href in hrefs:
            target = urljoin(site_url + catalog, href)
            page_url, _, fragment = target.partition("#")
            if page_url not in checked:
                assert page.request.get(page_url).ok, target
                checked.add(page_url)
            # "#module=…" is a preset list filter (crmkb-list.js), not an anchor.
            if fragment and "=" not in fragment and page_url != site_url + catalog:
                html = page.request.get(page_url).text()
                assert f'id="{fragment}"' in html, target
    assert len(checked) > 20


@pytest.fixture()
def hostile(browser: Browser, hostile_site: Path) -> Iterator[tuple[Page, Watch, str]]:
    with serve(hostile_site) as base:
        context = browser.new_context()
        page = context.new_page()
        seen = watch(page, base)
        page.on("dialog", lambda dialog: seen.errors.append(f"dialog: {dialog.message}"))
        yield page, seen, base
        context.close()
        # The hostile record's <img src="x"> is a deliberate 404; nothing else may fail.
        assert [p for p in seen.problems() if "status of 404" not in p] == []


def test_record_html_never_runs(hostile: tuple[Page, Watch, str]) -> None:
    page, seen, base = hostile
    page.goto(base + "issues/ISS-0999/")
    article = page.locator("article")
    assert "正文脚本测试" in article.inner_text()
    assert article.locator("script").count() == 0
    assert article.locator("[onerror]").count() == 0
    hrefs = article.locator("a[href]").evaluate_all("as => as.map(a => a.href)")
    assert not [h for h in hrefs if h.lower().startswith("javascript:")]
    for link in (
        article.locator("a", has_text="点这里").all()
        + article.locator("a", has_text="另一个链接").all()
    ):
        link.click()
    assert page.evaluate("window.__pwned") is None
    assert not [u for u in seen.requests if urlsplit(u).hostname != "127.0.0.1"]


def test_hostile_title_is_escaped_in_search_results(hostile: tuple[Page, Watch, str]) -> None:
    page, _, base = hostile
    page.goto(base)
    results = search(page, "标题注入测试")
    assert results and results[0]["href"].split("?")[0].endswith("issues/ISS-0999/")
    assert page.locator(".md-search-result img").count() == 0
    assert page.evaluate("window.__pwned") is None
