"""Headless-Chromium harness shared by the search and site browser tests and the benchmark.

Serves a built site from 127.0.0.1, launches the system Chromium, and records every request,
console error and page error so a test can fail on anything leaving the local server.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright, Request, Route, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = Path("/usr/bin/chromium")
MISSING_CHROMIUM = (
    "Chromium not found at /usr/bin/chromium; install it with: sudo apt-get install -y chromium"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Belt and braces: even a request the route guard missed cannot resolve an outside host.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on an ephemeral 127.0.0.1 port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def launch(playwright: Playwright) -> Browser:
    """Launch the system Chromium headless; Playwright's own browsers are not installed."""
    if not CHROMIUM.exists():
        raise RuntimeError(MISSING_CHROMIUM)
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


_shared: list[Browser] = []


def shared_browser() -> Browser:
    """One Chromium per test process: Playwright's sync API allows a single instance per thread,
    and the search and site test folders both need a browser."""
    if not _shared:
        playwright = sync_playwright().start()
        browser = launch(playwright)
        _shared.append(browser)

        def stop() -> None:
            browser.close()
            playwright.stop()

        atexit.register(stop)
    return _shared[0]


@dataclass
class Watch:
    """What a page did: requests outside the site, console errors, bytes received."""

    origin: str
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    received: int = 0

    def problems(self) -> list[str]:
        return [f"outside request: {url}" for url in self.outside] + self.errors


def watch(page: Page, origin: str) -> Watch:
    """Route every request of `page`'s context: abort and record any not to `origin`."""
    seen = Watch(origin)

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith(origin) or url.startswith("data:") or url.startswith("blob:"):
            seen.requests.append(url)
            route.continue_()
        else:
            seen.outside.append(url)
            route.abort()

    def finished(request: Request) -> None:
        sizes = request.sizes()
        seen.received += sizes["responseBodySize"] + sizes["responseHeadersSize"]

    page.context.route("**/*", route)
    page.on("requestfinished", finished)
    page.on(
        "console",
        lambda msg: (
            seen.errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: seen.errors.append(f"page error: {error}"))
    return seen


@contextmanager
def watched_tab(browser: Browser, origin: str) -> Iterator[tuple[Page, Watch]]:
    """A fresh page on `origin`; afterwards, fail on outside requests, console errors or dialogs."""
    context = browser.new_context()
    page = context.new_page()
    seen = watch(page, origin)
    page.on("dialog", lambda dialog: seen.errors.append(f"dialog opened: {dialog.message}"))
    yield page, seen
    context.close()
    assert seen.problems() == [], seen.problems()


def search(page: Page, query: str, timeout_ms: float = 10_000) -> list[dict[str, str]]:
    """Type `query` into Material's header search box and return the rendered results."""
    box = page.locator("input.md-search__input")
    button = page.locator("label.md-header__button[for=__search]")
    if button.is_visible():  # narrow viewports hide the box behind the header button
        button.click()
    page.eval_on_selector(".md-search-result__meta", "meta => { meta.textContent = '' }")
    box.click()
    box.fill(query)
    # fill() fires input but Material listens for keyup, so send one.
    box.press("End")
    page.wait_for_function(
        """q => { const meta = document.querySelector('.md-search-result__meta');
                  const input = document.querySelector('input.md-search__input');
                  return input.value === q && /\\d|没有/.test(meta.textContent); }""",
        arg=query,
        timeout=timeout_ms,
    )
    if page.locator(".md-search-result__item").count() == 0:
        # The "none" summary may answer the empty query Material sends when the worker is
        # ready; give this query's answer a moment to replace it.
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_selector(".md-search-result__item", timeout=1_000)
    results: list[dict[str, str]] = page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link",
        """links => links.map(a => ({href: a.getAttribute('href'),
                                    title: a.querySelector('h1,h2').textContent,
                                    html: a.innerHTML}))""",
    )
    return results
