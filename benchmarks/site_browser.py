"""Time searches in headless Chromium for site_bench.py, counting bytes at the local server."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from harness import shared_browser, watch

SEARCH_PATHS = (
    "/assets/crmkb-search/",
    "/search/search_index.json",
    "/assets/javascripts/workers/",
    "/assets/javascripts/lunr/",
)


# Timed in the page, from the keyup that sends the query to the first result in the list,
# so Playwright's own round trips are not counted.
STOPWATCH = """() => {
  const input = document.querySelector('input.md-search__input');
  input.addEventListener('keyup', () => { window.__typed ??= performance.now(); }, true);
  const list = document.querySelector('.md-search-result__list');
  new MutationObserver(() => {
    if (window.__typed && !window.__first && list.querySelector('.md-search-result__item'))
      window.__first = performance.now();
  }).observe(list, { childList: true });
}"""


@dataclass
class SearchRun:
    query: str
    first_result_s: float | None
    bytes_moved: int
    top: str


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    served: list[tuple[str, int]]

    def copyfile(self, source: BinaryIO, outputfile: Any) -> None:  # type: ignore[override]
        data = source.read()
        outputfile.write(data)
        self.served.append((self.path, len(data)))

    def log_message(self, format: str, *args: Any) -> None:
        pass


def measure_search(site: Path, queries: list[str], timeout_s: float) -> list[SearchRun]:
    """One cold browser context per query: load the home page, type, wait for a result."""
    served: list[tuple[str, int]] = []
    handler = type("Handler", (_CountingHandler,), {"served": served})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    runs = []
    try:
        for query in queries:
            runs.append(_one(base, query, served, timeout_s))
    finally:
        server.shutdown()
        server.server_close()
    return runs


def _one(base: str, query: str, served: list[tuple[str, int]], timeout_s: float) -> SearchRun:
    context = shared_browser().new_context()
    page = context.new_page()
    seen = watch(page, base)
    served.clear()
    page.goto(base, wait_until="load")
    box = page.locator("input.md-search__input")
    box.click()
    page.evaluate(STOPWATCH)
    box.fill(query)
    box.press("End")
    elapsed: float | None
    try:
        page.wait_for_selector(".md-search-result__item", timeout=timeout_s * 1000)
        elapsed = page.evaluate("(window.__first - window.__typed) / 1000")
        top = page.locator(".md-search-result__item a").first.get_attribute("href") or ""
    except PlaywrightTimeout:
        elapsed, top = None, ""
    time.sleep(0.2)  # let in-flight chunk fetches land so they are counted
    moved = sum(size for path, size in served if path.split("?")[0].startswith(SEARCH_PATHS))
    context.close()
    if seen.outside:
        raise RuntimeError(f"outside requests: {seen.outside}")
    return SearchRun(query, elapsed, moved, top.removeprefix(base))
