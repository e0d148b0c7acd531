"""The practice quiz in headless Chromium: answer, submit, check grading and explanations.

Each test runs Playwright's async API on its own thread and event loop, so it never collides
with a sync Playwright another test module keeps open in the same process.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from exam_kit import REPO, make_kb
from playwright.async_api import Page, Route, async_playwright

from harness import CHROMIUM, CHROMIUM_ARGS, MISSING_CHROMIUM, serve
from site_kit import mkdocs_build


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_kb(tmp_path_factory.mktemp("quiz") / "kb")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "kb", root / "kb")
    result = mkdocs_build(root, root / "site")
    assert result.returncode == 0, result.stderr
    with serve(root / "site") as base:
        yield base


Scenario = Callable[[Page, str], Awaitable[None]]


def in_chromium(scenario: Scenario, base: str) -> None:
    """Run `scenario` in a fresh headless Chromium page, failing on any outside request,
    console error or page error."""
    if not CHROMIUM.exists():
        pytest.fail(MISSING_CHROMIUM)
    problems: list[str] = []
    failure: list[BaseException] = []

    async def main() -> None:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            context = await browser.new_context()

            async def guard(route: Route) -> None:
                if route.request.url.startswith(base):
                    await route.continue_()
                else:
                    problems.append(f"outside request: {route.request.url}")
                    await route.abort()

            await context.route("**/*", guard)
            tab = await context.new_page()
            tab.on(
                "console",
                lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None,
            )
            tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            try:
                await scenario(tab, base)
            finally:
                await browser.close()

    def thread() -> None:
        try:
            asyncio.run(main())
        except BaseException as exc:
            failure.append(exc)

    worker = threading.Thread(target=thread)
    worker.start()
    worker.join(120)
    if failure:
        raise failure[0]
    assert not worker.is_alive(), "browser scenario timed out"
    assert problems == []


def question(tab: Page, n: int) -> Any:
    return tab.locator(".crmkb-quiz-question").nth(n)


async def graded(page: Page, site: str) -> None:
    await page.goto(site + "training/TM-OP-01/")
    await page.wait_for_selector(".crmkb-quiz.crmkb-quiz-ready")
    assert await page.locator(".crmkb-quiz-question").count() == 3
    assert not await page.locator(".crmkb-quiz-explanation").first.is_visible()
    assert await question(page, 1).locator("input[type=checkbox]").count() == 3
    # Q1 right (B), Q2 half right (A of A+C), Q3 unanswered.
    await question(page, 0).get_by_text("B. 按信用代码查重").click()
    await question(page, 1).get_by_text("A. 跟进日期").click()
    await page.get_by_role("button", name="提交答案").click()
    assert await page.locator(".crmkb-quiz-score").inner_text() == (
        "得分：1 / 3。请阅读解析，复习相应小节后再做一次。"
    )
    verdicts = await page.locator(".crmkb-quiz-verdict").all_inner_texts()
    assert verdicts == ["✔ 回答正确", "✘ 回答错误", "✘ 未作答"]
    explanation = question(page, 1).locator(".crmkb-quiz-explanation")
    assert await explanation.is_visible()
    assert "答案：A、C 跟进记录写日期和具体内容。" in await explanation.inner_text()
    target = await question(page, 1).locator("a.crmkb-quiz-section").get_attribute("href")
    assert target and target != "#"
    heading = await page.locator(target).inner_text()
    assert heading.replace("¶", "").strip() == "跟进记录"


async def all_right_then_retry(page: Page, site: str) -> None:
    await page.goto(site + "training/TM-OP-01/")
    await page.wait_for_selector(".crmkb-quiz.crmkb-quiz-ready")
    await question(page, 0).get_by_text("B. 按信用代码查重").click()
    await question(page, 1).get_by_text("A. 跟进日期").click()
    await question(page, 1).get_by_text("C. 具体内容").click()
    await question(page, 2).get_by_label("对", exact=True).check()
    await page.get_by_role("button", name="提交答案").click()
    assert await page.locator(".crmkb-quiz-score").inner_text() == "得分：3 / 3，全部正确！"
    await page.get_by_role("button", name="重做").click()
    assert not await page.locator(".crmkb-quiz-score").is_visible()
    assert await page.locator(".crmkb-quiz-explanation:visible").count() == 0
    assert await page.locator(".crmkb-quiz input:checked").count() == 0


async def register_pages(page: Page, site: str) -> None:
    await page.goto(site + "training/register/")
    rows = page.locator("article table tbody tr")
    assert await rows.count() == 2
    assert "未取得" in await rows.nth(0).inner_text()
    await page.goto(site + "training/progress/")
    assert "已取得全部上岗证：0 / 2 人" in await page.locator("article").inner_text()


def test_a_practice_quiz_is_graded_in_the_browser(site: str) -> None:
    in_chromium(graded, site)


def test_all_right_then_retry(site: str) -> None:
    in_chromium(all_right_then_retry, site)


def test_the_register_page_shows_standings(site: str) -> None:
    in_chromium(register_pages, site)
