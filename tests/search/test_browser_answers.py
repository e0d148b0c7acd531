"""The issue-11 queries typed into the sample site's own search box, in headless Chromium.

The site is the sample knowledge base built with the real mkdocs.yml, plus one record that
says 无响应 (for the synonym case) and the crmkb plugin's repo_url (for the report link).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from harness import Watch, search, serve, watched_tab
from site_kit import copy_site_inputs, mkdocs_build

Tab = tuple[Page, Watch]
REPO_URL = "https://git.example.com/crm/crmkb"
FROZEN_ISSUE = """\
---
id: ISS-0090
title: "保存报价单时系统无响应"
reporter: P013
reported: 2026-11-20
module: quote
severity: medium
status: reported
---

## 现象

点“保存”以后页面一直转圈，只能关掉浏览器重来。
"""
LISTING = re.compile(r"^(reports/|catalog/|open/|solutions/$|changes/$|training/$|people/)")


@pytest.fixture(scope="session")
def answers_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = copy_site_inputs(tmp_path_factory.mktemp("answers"))
    (root / "records" / "issues" / "ISS-0090.md").write_text(FROZEN_ISSUE, encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("  - crmkb\n", f"  - crmkb:\n      repo_url: {REPO_URL}\n"), encoding="utf-8"
    )
    result = mkdocs_build(root, root / "site")
    assert result.returncode == 0, result.stderr
    with serve(root / "site") as base:
        yield base


@pytest.fixture()
def tab(browser: Browser, answers_site: str) -> Iterator[Tab]:
    with watched_tab(browser, answers_site) as opened:
        opened[0].goto(answers_site)
        yield opened


def _hrefs(tab: Tab, query: str) -> list[str]:
    base = tab[0].url
    return [urlsplit(r["href"].removeprefix(base)).path for r in search(tab[0], query)]


def _assert_records_before_listings(hrefs: list[str]) -> None:
    kinds = [href == "" or bool(LISTING.match(href)) for href in hrefs]
    assert kinds == sorted(kinds), hrefs  # every listing page after every record page


def test_quote_pdf_garbled_finds_the_problem_first(tab: Tab) -> None:
    hrefs = _hrefs(tab, "报价单 PDF 乱码")
    assert hrefs[0] == "issues/ISS-0025/"
    _assert_records_before_listings(hrefs)


@pytest.mark.parametrize("query", ["导不进来", "ISS-0042", "CR-0003", "回款核销"])
def test_listing_pages_rank_below_every_record(tab: Tab, query: str) -> None:
    hrefs = _hrefs(tab, query)
    assert hrefs
    _assert_records_before_listings(hrefs)
    if query == "ISS-0042":
        assert hrefs[0] == "issues/ISS-0042/"
    if query == "CR-0003":  # the page an id names comes first, above pages citing it
        assert hrefs[0] == "changes/CR-0003/"


@pytest.mark.parametrize("query", ["量子纠缠", "打印机卡纸"])
def test_no_answer_says_so_and_offers_the_report_form(tab: Tab, query: str) -> None:
    page, _ = tab
    assert search(page, query) == []
    assert "没有找到" in page.locator(".md-search-result__meta").inner_text()
    footer = page.locator(".crmkb-search-empty")
    footer.wait_for()
    assert "还没有能回答这个问题的记录" in footer.inner_text()
    link = footer.locator("a.crmkb-report")
    assert link.inner_text() == "上报这个问题"
    url = urlsplit(link.get_attribute("href") or "")
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{REPO_URL}/issues/new"
    params = parse_qs(url.query)
    assert params["template"] == ["problem-report.yml"]
    assert params["symptom"] == [query]
    assert params["title"] == [f"[问题] {query}"]


def test_traditional_query_finds_the_simplified_record_and_shows_what_was_typed(
    tab: Tab,
) -> None:
    results = search(tab[0], "帳齡報表")
    hrefs = [urlsplit(r["href"]).path.strip("/").split("/")[-1] for r in results]
    assert "ISS-0032" in hrefs[:3]  # 月度账龄报表导出Excel超时
    missing = {m for r in results for m in re.findall(r"<del>(.*?)</del>", r["html"])}
    assert missing  # pages matching one of the two words say which one they lack…
    assert missing <= {"帳齡", "報表"}  # …as it was typed, not as 帐龄/账龄/报表


def test_more_than_twenty_results_on_request(tab: Tab) -> None:
    page, _ = tab
    assert len(search(page, "回款")) > 0
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta').textContent.startsWith('共')"
    )
    found = re.fullmatch(r"共 (\d+) 个符合条件的结果，先显示前 20 个", meta.inner_text())
    assert found and int(found.group(1)) > 20
    button = page.locator("button.crmkb-show-all")
    assert button.inner_text() == f"还有 {int(found.group(1)) - 20} 条结果，显示全部"
    button.click()
    page.wait_for_function(
        "n => document.querySelector('.md-search-result__meta').textContent.startsWith(n + ' ')",
        arg=found.group(1),
    )
    assert page.locator("button.crmkb-show-all").count() == 0


def test_result_shows_the_page_kind_and_the_issue_state(tab: Tab) -> None:
    page, _ = tab
    search(page, "付款条件重复")
    tags = page.locator(".md-search-result__item").first.locator(".md-tag").all_inner_texts()
    assert tags[0] in {"问题", "解决方案"}
    states = page.locator(".md-search-result__item .md-tag").all_inner_texts()
    assert "已解决" in states
    assert not any(re.search("[a-z]", state) for state in states)  # no English state codes


def test_highlights_whole_words_not_single_characters(tab: Tab) -> None:
    results = search(tab[0], "报价单 PDF 乱码")
    marks = {m for r in results for m in re.findall(r"<mark>(.*?)</mark>", r["html"])}
    assert marks
    assert all(len(mark) > 1 for mark in marks), marks


def test_synonym_finds_the_record_that_uses_another_word(tab: Tab) -> None:
    assert _hrefs(tab, "死机")[:1] == ["issues/ISS-0090/"]
    assert _hrefs(tab, "报价单没反应")[:1] == ["issues/ISS-0090/"]


def test_a_query_typed_while_the_page_loads_runs_without_another_key(
    browser: Browser, answers_site: str
) -> None:
    with watched_tab(browser, answers_site) as (page, _):
        page.goto(answers_site, wait_until="commit")
        box = page.locator("input.md-search__input")
        box.wait_for(state="visible")
        box.click()
        box.press_sequentially("回款核销", delay=20)
        # No further key: the typed words must be searched once the index is ready.
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        assert "核销" in page.locator(".md-search-result__item").first.inner_text()


def test_a_huge_query_is_capped_and_answered(tab: Tab) -> None:
    page, _ = tab
    results = search(page, "回款" * 5_000, timeout_ms=5_000)
    assert results  # the first 200 characters are searched
