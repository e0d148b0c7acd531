"""Every page kind as a reader meets it, on a desktop and a phone, in headless Chromium.

Screenshots of each kind at both sizes go to CRMKB_SHOTS (when set) for a reviewer to open.
The assertions are what matters to a reader: the answer on the first screen, no table cut
off without a scroll box, no English state codes on a Chinese page, axe-core clean.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from harness import Watch

Tab = tuple[Page, Watch]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

KINDS = {
    "home": "",
    "catalog": "catalog/",
    "modules": "catalog/modules/",
    "causes": "catalog/causes/",
    "tags": "catalog/tags/",
    "solutions": "solutions/",
    "open": "open/",
    "changes": "changes/",
    "training": "training/",
    "progress": "training/progress/",
    "register": "training/register/",
    "people": "people/",
    "reports": "reports/",
    "weekly": "reports/2026-W46/",
    "monthly": "reports/2026-10/",
    "leaderboard": "reports/leaderboard/",
    "issue-resolved": "issues/ISS-0003/",
    "issue-open": "issues/ISS-0037/",
    "solution": "solutions/SOL-0003/",
    "change": "changes/CR-0003/",
    "module": "training/TM-OP-01/",
    "404": "404.html",
}
CODES = re.compile(
    r"\b(reported|investigating|escalated|proposed|verifying|resolved|duplicate|declined|"
    r"requested|options_proposed|evaluated|decided|developing|piloting|rolled_out|rejected|"
    r"low|medium|high|critical|system_defect|configuration|user_error|process|master_data|"
    r"training_gap|requirement|internal|consultant|draft|validated|archived|"
    r"Permanent link)\b"
)
# A table wider than its column must sit in a box that scrolls sideways.
OVERFLOWING_TABLES = """() => [...document.querySelectorAll('article table')].filter(t => {
  const box = t.closest('.md-typeset__scrollwrap');
  const column = document.querySelector('article').getBoundingClientRect();
  const wide = t.getBoundingClientRect().right > column.right + 1;
  const scrolls = box && getComputedStyle(box).overflowX === 'auto';
  return wide && !scrolls;
}).length"""


def _open(page: Page, base: str, path: str, size: dict[str, int]) -> None:
    page.set_viewport_size(size)
    page.goto(base + path, wait_until="load")
    page.wait_for_timeout(150)  # Material wraps tables and runs document$ after load


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("CRMKB_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"i12-{name}.png"))


@pytest.mark.parametrize("kind", list(KINDS))
def test_page_kind_reads_well_at_both_sizes(tab: Tab, site_url: str, kind: str) -> None:
    page, _ = tab
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        _open(page, site_url, KINDS[kind], size)
        _shot(page, f"{kind}-{label}")
        article = page.locator("article").inner_text()
        assert not CODES.findall(article), (label, CODES.findall(article))
        assert page.evaluate(OVERFLOWING_TABLES) == 0, label
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], label
    violations = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []
    if kind == "404":
        assert "找不到这个页面" in page.locator("article").inner_text()
        assert page.locator("article form[role=search] input[name=q]").count() == 1


def test_resolved_issue_shows_the_first_step_on_a_phones_first_screen(
    tab: Tab, site_url: str
) -> None:
    page, _ = tab
    _open(page, site_url, "issues/ISS-0003/", PHONE)
    first_step = page.locator("article .admonition.success li").first
    assert first_step.is_visible()
    box = first_step.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    assert page.locator("article .admonition.success a[href*='solutions/SOL-']").count() >= 1
    form = page.locator("article a.crmkb-feedback").get_attribute("href") or ""
    assert "template=problem-report.yml" in form and "record=ISS-0003" in form
    assert page.locator("article .crmkb-breadcrumb a").all_inner_texts() == ["首页", "已解决问题"]


def test_printed_solution_shows_its_address_and_date(tab: Tab, site_url: str) -> None:
    page, _ = tab
    _open(page, site_url, "solutions/SOL-0003/", DESKTOP)
    page.emulate_media(media="print")
    meta = page.locator("article .crmkb-print-meta")
    assert meta.is_visible()
    assert site_url + "solutions/SOL-0003/" in meta.inner_text() and "打印日期" in meta.inner_text()
    assert not page.locator("article a.crmkb-feedback").is_visible()


def test_open_issue_leads_with_its_state_sla_and_workaround(tab: Tab, site_url: str) -> None:
    page, _ = tab
    _open(page, site_url, "issues/ISS-0037/", PHONE)
    lead = page.locator("article .admonition").first.inner_text()
    assert "已超期" in lead and "工作日" in lead and "严重程度" in lead
    _open(page, site_url, "issues/ISS-0025/", DESKTOP)
    lead = page.locator("article .admonition").first.inner_text()
    assert "等待用户验证" in lead and "先导出 Word 再转 PDF" in lead


def test_open_list_is_sorted_by_urgency(tab: Tab, site_url: str) -> None:
    page, _ = tab
    # Read on the build day: later, the browser recomputes the deadlines (test_clock.py).
    page.clock.set_fixed_time("2026-11-23T10:00:00")
    _open(page, site_url, "open/", DESKTOP)
    rows = page.locator("article table tbody tr").all_inner_texts()
    order = {"已超期": 0, "今天到期": 1, "到期": 2, "时限已满足": 3, "等待用户": 4}
    states = [next(rank for word, rank in order.items() if word in row) for row in rows]
    assert states == sorted(states) and states[0] == 0
    # Within a state the most severe come first: the critical ISS-0041 leads those due today.
    assert "ISS-0038" in rows[0] and "紧急" in rows[0]
    assert "ISS-0041" in next(r for r in rows if "今天到期" in r)


def test_lists_filter_and_sort_over_every_row(tab: Tab, site_url: str, built_site: Path) -> None:
    page, _ = tab
    data = json.loads((built_site / "open-rows.json").read_text(encoding="utf-8"))
    high = [r for r in data["rows"] if r[3] == "高"]
    _open(page, site_url, "open/", DESKTOP)
    page.locator(".crmkb-list-text").focus()
    page.wait_for_selector(".crmkb-list-facet")
    page.select_option(".crmkb-list-facet[data-key=severity]", "高")
    assert page.locator("article table tbody tr").count() == len(high) > 0
    assert page.locator(".crmkb-list-status").inner_text().startswith(f"共 {len(high)} 条")
    page.locator("th button", has_text="编号").click()
    ids = [r.split("\t")[0] for r in page.locator("article table tbody tr").all_inner_texts()]
    assert ids == sorted(r[0] for r in high)
    # A preset filter in the address, as the by-module page links it.
    _open(page, site_url, "catalog/#module=" + data["rows"][0][5], DESKTOP)
    page.wait_for_function(
        "document.querySelector('.crmkb-list-status').textContent.includes('共')"
    )
    modules = page.locator("article table tbody tr td:nth-child(3)").all_inner_texts()
    assert modules and all(m == modules[0] for m in modules)


def test_record_ids_in_body_text_are_links(tab: Tab, site_url: str) -> None:
    page, _ = tab
    _open(page, site_url, "reports/2026-W46/", DESKTOP)
    assert page.locator("article a.crmkb-id[href*='issues/ISS-0021/']").count() >= 1
    _open(page, site_url, "changes/CR-0003/", DESKTOP)
    related = page.locator("article a[href*='issues/ISS-0022/']")
    assert related.count() >= 1


def test_quiz_score_is_focused_after_submitting(tab: Tab, site_url: str) -> None:
    page, _ = tab
    _open(page, site_url, "training/TM-OP-01/", PHONE)
    page.wait_for_selector(".crmkb-quiz.crmkb-quiz-ready")
    page.locator(".crmkb-quiz-submit").click()
    assert page.evaluate("document.activeElement.className") == "crmkb-quiz-score"
    box = page.locator(".crmkb-quiz-score").bounding_box()
    assert box is not None and 0 <= box["y"] <= PHONE["height"]
    _shot(page, "quiz-scored-phone")
    titles = page.locator("article .headerlink").evaluate_all("as => as.map(a => a.title)")
    assert titles and set(titles) == {"本节链接"}
