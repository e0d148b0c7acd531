"""Search through Material's own header box in headless Chromium, against the crmkb worker.

These tests pin Material's internal worker protocol (SETUP/READY/QUERY/RESULT and the
SearchItem shape): if a Material upgrade changes it, they fail here first.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from harness import Watch, search

Tab = tuple[Page, Watch]


def _top(tab: Tab, query: str, base: str) -> list[str]:
    page, _ = tab
    return [r["href"].removeprefix(base) for r in search(page, query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("付款条件重复", "issues/ISS-0042/"),  # compound query, no spaces
        ("付款條件重複", "issues/ISS-0042/"),  # traditional characters
        ("ISS-0042", "issues/ISS-0042/"),  # record id as a whole token
        ("sol-0003", "solutions/SOL-0003/"),
        ("信用额度", "issues/ISS-0001/"),  # simplified query, traditional record
        ("CREDIT limit", "solutions/SOL-0003/"),  # English, any case
    ],
)
def test_header_search_finds_the_record_first(
    page: Tab, search_site: str, query: str, expected: str
) -> None:
    page[0].goto(search_site)
    assert _top(page, query, search_site)[:1] == [expected]


def test_title_match_ranks_above_body_match(page: Tab, search_site: str) -> None:
    page[0].goto(search_site)
    hits = _top(page, "付款条件", search_site)
    assert hits.index("issues/ISS-0042/") < hits.index("issues/ISS-0007/")


def test_results_are_escaped_and_highlighted(page: Tab, search_site: str) -> None:
    tab, _ = page
    tab.goto(search_site)
    results = search(tab, "标题注入")
    assert results[0]["title"] == "<img src=x onerror=alert(1)>标题注入"
    assert "<mark>标题注入</mark>" in results[0]["html"]
    assert tab.locator(".md-search-result img").count() == 0


def test_only_the_needed_shards_are_fetched(page: Tab, search_site: str) -> None:
    tab, seen = page
    tab.goto(search_site)
    search(tab, "付款条件重复")
    fetched = [url for url in seen.requests if "/crmkb-search/" in url]
    assert any("/crmkb-search/s/" in url for url in fetched)
    assert any("/crmkb-search/d/" in url for url in fetched)
    assert not any("/workers/search." in url for url in seen.requests)  # Material's own worker


def test_worker_speaks_materials_protocol(page: Tab, search_site: str) -> None:
    tab, _ = page
    tab.goto(search_site)
    reply: dict[str, Any] = tab.evaluate(
        """async () => {
            const url = JSON.parse(document.getElementById('__config').textContent).search;
            const worker = new Worker(url);
            const next = () => new Promise(resolve =>
                worker.addEventListener('message', e => resolve(e.data), { once: true }));
            worker.postMessage({ type: 0, data: { config: {}, docs: [], options: {} } });
            const ready = await next();
            worker.postMessage({ type: 2, data: '付款条件重复' });
            const result = await next();
            worker.terminate();
            return { ready, result };
        }"""
    )
    assert reply["ready"] == {"type": 1}
    assert reply["result"]["type"] == 3
    first = reply["result"]["data"]["items"][0]
    assert len(first) == 1
    assert first[0]["location"] == "issues/ISS-0042/"
    assert set(first[0]) >= {"location", "title", "text", "score", "terms"}
    assert first[0]["terms"] == {"付款条件": True, "重复": True}


def test_no_results_message(page: Tab, search_site: str) -> None:
    tab, _ = page
    tab.goto(search_site)
    assert search(tab, "完全无关的查询词汇") == []
    assert "没有找到" in tab.locator(".md-search-result__meta").inner_text()
