"""While the records have errors, every page `kb serve` serves says so (in the content
language, naming how many errors and `kb check`), with no script; fixed, the notice goes.
Real `kb serve`, real Chromium at a desktop and a phone viewport."""

from __future__ import annotations

import json
import re
from pathlib import Path

from playwright.sync_api import Browser
from serve_kit import get, kb, serving, until

from harness import watched_tab
from site_kit import copy_site_inputs

VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
NOTICE = re.compile(r"记录中有 (\d+) 处错误。")
MISSING = (
    "console error: Failed to load resource: the server responded with a status of 404 (Not Found)"
)
PAGES = ["", "issues/ISS-0042/", "issues/ISS-0001/", "catalog/", "no/such/page/"]


def _error_count(root: Path) -> int:
    done = kb("check", "--root", str(root), "--format", "json")
    count: int = json.loads(done.stdout)["errors"]
    return count


def test_broken_records_put_a_notice_on_every_page(browser: Browser, tmp_path: Path) -> None:
    root = copy_site_inputs(tmp_path / "repo")
    log = tmp_path / "serve.log"
    record = root / "records" / "issues" / "ISS-0042.md"
    source = record.read_text(encoding="utf-8")
    shots = tmp_path / "shots"
    with serving(root, log) as (base, _):
        assert all(NOTICE.search(get(base + page)[1]) is None for page in PAGES)

        # Two errors in one record, and a second record broken too.
        record.write_text(
            source.replace("id: ISS-0042", "id: ISS-42").replace("severity: ", "severity: 9", 1),
            encoding="utf-8",
        )
        other = root / "records" / "issues" / "ISS-0001.md"
        other_source = other.read_text(encoding="utf-8")
        other.write_text(other_source.replace("reporter: ", "reporter: X", 1), encoding="utf-8")
        expected = _error_count(root)
        assert expected >= 3
        assert until(lambda: NOTICE.search(get(base)[1]) is not None, 60), log.read_text()
        for page in PAGES:
            status, text = get(base + page)
            found = NOTICE.search(text)
            assert found and int(found.group(1)) == expected, (page, status)
            assert "kb check" in text[found.end() : found.end() + 200]
            assert status == (404 if page.startswith("no/") else 200)

        for name, (width, height) in VIEWPORTS.items():
            with watched_tab(browser, base) as (tab, seen):  # fails on CSP or console errors
                tab.set_viewport_size({"width": width, "height": height})
                for page in ("issues/ISS-0042/", "no/such/page/"):
                    tab.goto(base + page)
                    if page.startswith("no/"):  # the browser logs the page's own 404 status
                        seen.errors.remove(MISSING)
                    notice = tab.locator(".kb-serve-notice")
                    assert notice.count() == 1
                    box = notice.bounding_box()
                    assert box is not None and box["height"] >= 20
                    assert box["y"] >= 0 and box["y"] + box["height"] <= height
                    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
                    assert f"记录中有 {expected} 处错误" in notice.inner_text()
                    shots.mkdir(exist_ok=True)
                    tab.screenshot(path=str(shots / f"{name}-{page.split('/')[0]}.png"))

        # Fixed: the notice goes from every page, and the fixed page is served.
        record.write_text(source.replace('title: "', 'title: "已修正', 1), encoding="utf-8")
        other.write_text(other_source, encoding="utf-8")
        assert until(lambda: "已修正" in get(base + "issues/ISS-0042/")[1], 60), log.read_text()
        for page in PAGES:
            assert NOTICE.search(get(base + page)[1]) is None, page
        with watched_tab(browser, base) as (tab, _seen):
            tab.goto(base + "issues/ISS-0042/")
            assert tab.locator(".kb-serve-notice").count() == 0
    assert "Traceback" not in log.read_text(encoding="utf-8")
