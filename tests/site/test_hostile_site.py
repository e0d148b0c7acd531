"""The hostile corpus (tests/hostile_kit.py) built for real and opened page by page in Chromium.

One build and one browser tab for the whole corpus keep it lean: every HTML page is opened
(some record pages of each kind also with `?q=`), queries matching the hostile text are typed
into the search box, and the hostile attachments are opened directly. No dialog may open, no
request may leave the local server, no script error may happen and the Content-Security-Policy
must never have to block anything: the sanitiser already removed it all.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from harness import Watch, search, serve, watch
from hostile_kit import ATTACHMENTS, ENV_MARK, EXAM_MARK, write_corpus
from site_kit import mkdocs_build

QUERIES = ["alert", "onerror", "evil.example", "__config", "script", "7*7", "CRM", "x)y"]
CSP = "Content Security Policy"


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = write_corpus(tmp_path_factory.mktemp("hostile") / "repo")
    site = root / "site"
    result = mkdocs_build(root, site, {"CRMKB_TEST_SECRET": ENV_MARK})
    assert result.returncode == 0, result.stderr
    return root, site


def test_no_exam_pool_text_or_build_environment_reaches_the_site(
    hostile_build: tuple[Path, Path],
) -> None:
    root, site = hostile_build
    pools = "".join(p.read_text(encoding="utf-8") for p in (root / "records/questions").iterdir())
    assert pools.count(EXAM_MARK) > 100  # the corpus marks every exam-pool string
    leaks = []
    for path in site.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("latin-1")
            leaks += [f"{m} in {path}" for m in (EXAM_MARK, ENV_MARK) if m in text.lower()]
    assert leaks == []


def test_hostile_attachments_are_published_inert(hostile_build: tuple[Path, Path]) -> None:
    _, site = hostile_build
    published = site / "evidence" / "ISS-0001"
    assert sorted(p.name for p in published.iterdir()) == sorted(
        [*ATTACHMENTS, "ageing-report.svg"]
    )
    svg = (published / "hushed.svg").read_text(encoding="utf-8")
    assert "data:text/html" not in svg and "attributeName" not in svg


def test_control_characters_leave_front_matter_and_tables_intact(
    hostile_build: tuple[Path, Path],
) -> None:
    root, site = hostile_build
    issue = (root / "records/issues/ISS-0001.md").read_text(encoding="utf-8")
    assert "\\u007f" in issue  # DEL is in its tags (and so in the page's front matter)
    material = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in material["docs"] if d["location"].startswith("issues/")]
    page = (site / "issues/ISS-0001/index.html").read_text(encoding="utf-8")
    assert '"exclude"' not in page and "\x7f" not in page
    assert "<td>标签</td>\n<td>CRM、crm、a b、a-b、x)y、" in page  # the facts table holds


def test_a_body_cannot_hide_the_rest_of_its_page(hostile_build: tuple[Path, Path]) -> None:
    _, site = hostile_build
    # Every body ends with unclosed <div>, <noscript>, <math>…<style> and <details>.
    page = (site / "issues/ISS-0001/index.html").read_text(encoding="utf-8")
    for section in ("相关问题", "处理时间线", "证据"):
        assert f'>{section}<a class="headerlink"' in page, section
    assert page.count("<table>") == 3  # facts, related issues, timeline


@pytest.fixture(scope="module")
def hostile_tab(
    hostile_build: tuple[Path, Path], browser: Browser
) -> Iterator[tuple[Page, Watch, str, list[str]]]:
    with serve(hostile_build[1]) as base:
        context = browser.new_context()
        page = context.new_page()
        seen = watch(page, base)
        dialogs: list[str] = []

        def dialog(d: Dialog) -> None:
            dialogs.append(f"{page.url}: {d.message}")
            d.dismiss()

        page.on("dialog", dialog)
        yield page, seen, base, dialogs
        context.close()


def _csp_reports(page: Page) -> list[str]:
    found: list[str] = []

    def console(msg: ConsoleMessage) -> None:
        if CSP in msg.text:
            found.append(f"{page.url}: {msg.text}")

    page.on("console", console)
    return found


def test_every_hostile_page_is_inert(
    hostile_build: tuple[Path, Path], hostile_tab: tuple[Page, Watch, str, list[str]]
) -> None:
    _, site = hostile_build
    page, seen, base, dialogs = hostile_tab
    csp = _csp_reports(page)
    pages = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html"))
    assert len(pages) > 100
    for path in pages:
        page.goto(base if path == "." else f"{base}{path}/")
    # The issue's reproduction: `?q=` starts the search worker named in `__config`.
    for path in [p for p in pages if p.startswith(("issues/", "solutions/", "changes/"))][::8]:
        page.goto(f"{base}{path}/?q=x")
    for name in ATTACHMENTS:
        page.goto(f"{base}evidence/ISS-0001/{name}")
    page.goto(f"{base}issues/ISS-0001/")
    unanswered = []
    for query in QUERIES:
        try:
            found = search(page, query)
        except PlaywrightTimeout:
            found = []
        if not found:
            unanswered.append(query)
    page_errors = [e for e in seen.errors if e.startswith("page error")]
    assert (seen.outside, dialogs, page_errors, csp, unanswered) == ([], [], [], [], [])


def test_the_policy_is_enforced_under_the_hostile_corpus(
    hostile_tab: tuple[Page, Watch, str, list[str]],
) -> None:
    page, _, base, _ = hostile_tab
    page.goto(f"{base}issues/ISS-0001/")
    policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content") or ""
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ):
        assert directive in policy
    # A positive control: script added to the page at run time (as an injection would be)
    # is refused by the browser, so the policy is live, not just present.
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__inlineRan = true';
                   document.body.appendChild(s); }"""
    )
    assert page.evaluate("() => window.__inlineRan === true") is False
    # Material's helpers, moved out of inline script, are there.
    assert page.evaluate("() => typeof window.__md_get") == "function"


def test_every_tag_link_reaches_its_own_heading(
    hostile_tab: tuple[Page, Watch, str, list[str]],
) -> None:
    page, _, base, _ = hostile_tab
    page.goto(f"{base}catalog/")
    targets: list[str] = page.eval_on_selector_all(
        "article a[href*='tags/#']", "links => links.map(a => a.href)"
    )
    assert len(targets) == 8  # CRM, crm, a b, a-b, x)y, the svg one, {{7*7}}, DEL
    headings = set()
    for target in targets:
        page.goto(target)
        fragment = target.split("#", 1)[1]
        headings.add(page.eval_on_selector(f"[id='{fragment}']", "h => h.textContent"))
    assert len(headings) == 8
