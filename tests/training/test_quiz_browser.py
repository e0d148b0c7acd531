"""The practice quiz in headless Chromium: answer, submit, check grading and explanations."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from conftest import REPO, make_kb

CHROMIUM = Path("/usr/bin/chromium")
MISSING = (
    "Chromium not found at /usr/bin/chromium; install it with: sudo apt-get install -y chromium"
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = make_kb(tmp_path_factory.mktemp("quiz") / "kb")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "kb", root / "kb")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(root / "mkdocs.yml")],
        check=True,
        capture_output=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CRMKB_TODAY": "2026-11-20"},
    )
    handler = functools.partial(_Quiet, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(MISSING)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Browser, site: str) -> Iterator[Page]:
    context = browser.new_context()
    problems: list[str] = []

    def guard(route: Route) -> None:
        if route.request.url.startswith(site):
            route.continue_()
        else:
            problems.append(f"outside request: {route.request.url}")
            route.abort()

    context.route("**/*", guard)
    tab = context.new_page()
    tab.on(
        "console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None
    )
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    yield tab
    context.close()
    assert problems == []


def question(tab: Page, n: int) -> Any:
    return tab.locator(".crmkb-quiz-question").nth(n)


def test_a_practice_quiz_is_graded_in_the_browser(page: Page, site: str) -> None:
    page.goto(site + "training/TM-OP-01/")
    page.wait_for_selector(".crmkb-quiz.crmkb-quiz-ready")
    assert page.locator(".crmkb-quiz-question").count() == 3
    assert not page.locator(".crmkb-quiz-explanation").first.is_visible()
    assert question(page, 1).locator("input[type=checkbox]").count() == 3
    # Q1 right (B), Q2 half right (A of A+C), Q3 unanswered.
    question(page, 0).get_by_text("B. 按信用代码查重").click()
    question(page, 1).get_by_text("A. 跟进日期").click()
    page.get_by_role("button", name="提交答案").click()
    assert page.locator(".crmkb-quiz-score").inner_text() == (
        "得分：1 / 3。请阅读解析，复习相应小节后再做一次。"
    )
    verdicts = page.locator(".crmkb-quiz-verdict").all_inner_texts()
    assert verdicts == ["✔ 回答正确", "✘ 回答错误", "✘ 未作答"]
    explanation = question(page, 1).locator(".crmkb-quiz-explanation")
    assert explanation.is_visible()
    assert "答案：A、C 跟进记录写日期和具体内容。" in explanation.inner_text()
    link = question(page, 1).locator("a.crmkb-quiz-section")
    target = link.get_attribute("href")
    assert target and target != "#"
    assert page.locator(target).inner_text().replace("¶", "").strip() == "跟进记录"


def test_all_right_then_retry(page: Page, site: str) -> None:
    page.goto(site + "training/TM-OP-01/")
    page.wait_for_selector(".crmkb-quiz.crmkb-quiz-ready")
    question(page, 0).get_by_text("B. 按信用代码查重").click()
    question(page, 1).get_by_text("A. 跟进日期").click()
    question(page, 1).get_by_text("C. 具体内容").click()
    question(page, 2).get_by_label("对", exact=True).check()
    page.get_by_role("button", name="提交答案").click()
    assert page.locator(".crmkb-quiz-score").inner_text() == "得分：3 / 3，全部正确！"
    page.get_by_role("button", name="重做").click()
    assert not page.locator(".crmkb-quiz-score").is_visible()
    assert page.locator(".crmkb-quiz-explanation:visible").count() == 0
    assert page.locator(".crmkb-quiz input:checked").count() == 0


def test_the_register_page_shows_standings(page: Page, site: str) -> None:
    page.goto(site + "training/register/")
    rows = page.locator("article table tbody tr")
    assert rows.count() == 2
    assert "未取得" in rows.nth(0).inner_text()
    page.goto(site + "training/progress/")
    assert "已取得全部上岗证：0 / 2 人" in page.locator("article").inner_text()
