"""Pages say when their data was true, and the reader's browser recomputes each open issue's
deadline for the day it is read (issue 19 item 5): the sample is built as of 2026-11-23 and
read in Chromium with its clock set days later."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from crmkb.site.clock import exceptions
from crmkb.workdays import Calendar, Source
from harness import Watch

Tab = tuple[Page, Watch]
BUILT = "2026-11-23"  # site_kit.mkdocs_build's CRMKB_TODAY (a Monday)
TIME_PAGES = ["", "open/", "issues/ISS-0032/", "reports/", "training/register/"]


def _read_on(page: Page, day: str) -> None:
    page.clock.set_fixed_time(dt.datetime.fromisoformat(f"{day}T10:00:00"))


def _open_list(page: Page, site_url: str) -> tuple[list[str], list[list[str]]]:
    """The open list's headings and its rows' cell texts, as the reader sees them."""
    page.goto(site_url + "open/")
    table = page.locator("article table").first
    heads = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    return heads, [r.locator("td").all_inner_texts() for r in table.locator("tbody tr").all()]


@pytest.mark.parametrize("path", TIME_PAGES)
def test_time_dependent_pages_say_as_of_when(built_site: Path, path: str) -> None:
    html = (built_site / path / "index.html").read_text(encoding="utf-8")
    assert f'<time datetime="{BUILT}">数据截至 {BUILT}</time>' in html


def test_issue_page_deadline_is_recomputed_for_the_reader_s_day(tab: Tab, site_url: str) -> None:
    page, _ = tab
    # ISS-0032 was due 2026-11-24, "on track" when built; read on Friday 2026-11-27 it is 3
    # working days late, and its box turns from a warning into a danger notice.
    _read_on(page, "2026-11-27")
    page.goto(site_url + "issues/ISS-0032/")
    due = page.locator("time.crmkb-due")
    assert due.inner_text() == "已超期 3 个工作日（应于 2026-11-24 前）"
    assert due.get_attribute("data-crmkb-state") == "overdue"
    box = page.locator(".admonition", has=due)
    assert "danger" in (box.get_attribute("class") or "")
    assert "今天是 2026-11-27" in page.locator(".crmkb-asof").inner_text()


def test_weekends_are_not_counted(tab: Tab, site_url: str) -> None:
    page, _ = tab
    # ISS-0031 was due on the build day; Monday 2026-11-30 is 5 working days later, not 7.
    _read_on(page, "2026-11-30")
    page.goto(site_url + "issues/ISS-0031/")
    assert page.locator("time.crmkb-due").inner_text() == "已超期 5 个工作日（应于 2026-11-23 前）"


def test_open_list_cells_are_recomputed(tab: Tab, site_url: str) -> None:
    page, _ = tab
    _read_on(page, "2026-11-24")
    heads, rows = _open_list(page, site_url)
    column = heads.index("时限")
    cells = {texts[0].strip(): texts[column].strip() for texts in rows}
    assert cells["ISS-0032"] == "今天到期"
    assert cells["ISS-0031"] == "已超期 1 个工作日（应于 2026-11-23 前）"
    assert not any(text == "2026-11-24 到期" for text in cells.values())


def test_a_page_read_on_its_build_day_is_left_as_built(tab: Tab, site_url: str) -> None:
    page, _ = tab
    _read_on(page, BUILT)
    page.goto(site_url + "issues/ISS-0032/")
    due = page.locator("time.crmkb-due")
    assert due.inner_text() == "2026-11-24 到期"
    assert due.get_attribute("data-crmkb-state") is None
    assert "今天是" not in page.locator(".crmkb-asof").inner_text()


def test_calendar_exceptions_list_holidays_and_working_weekends() -> None:
    holiday, weekend_worked = dt.date(2026, 10, 1), dt.date(2026, 9, 27)

    source = Source("file", "test")

    def rule(day: dt.date) -> tuple[bool, Source]:
        if day in (holiday, weekend_worked):
            return day == weekend_worked, source
        return day.weekday() < 5, source

    span = (dt.date(2026, 9, 20), dt.date(2026, 10, 10))
    off, worked = exceptions(Calendar("test", (rule,)), *span)
    assert (off, worked) == ([holiday], [weekend_worked])


def test_the_calendar_ships_as_a_script_of_the_build(built_site: Path) -> None:
    script = (built_site / "assets/crmkb-clock/calendar.js").read_text(encoding="utf-8")
    assert re.match(r"window\.crmkbClock = \{.*\};\n$", script, re.S)
    assert f'"built": "{BUILT}"' in script


def test_a_page_without_deadlines_only_says_the_reader_s_day(tab: Tab, site_url: str) -> None:
    page, _ = tab
    _read_on(page, "2026-11-25")
    page.goto(site_url)
    line = page.locator(".crmkb-asof").inner_text()
    assert line == f"数据截至 {BUILT} · 今天是 2026-11-25"


def test_record_text_cannot_pose_as_a_deadline_or_an_as_of_line() -> None:
    """The clock acts on the site's own crmkb-* classes; a record body loses them."""
    from crmkb.site.record_text import END, START
    from crmkb.site.sanitize import sanitize_page

    own = '<p class="crmkb-asof"><time datetime="2026-11-23">数据截至</time></p>'
    body = (
        '<p><time class="crmkb-due" datetime="2020-01-01">伪造</time>'
        '<span class="crmkb-asof note">伪造</span></p>'
    )
    html = sanitize_page(own + START + body + END)
    assert own in html
    assert html.count("crmkb-") == 1
    assert '<span class="note">伪造</span>' in html


def test_open_list_rows_drawn_again_by_the_filter_are_recomputed(tab: Tab, site_url: str) -> None:
    """crmkb-list.js draws the rows again from open-rows.json: the clock follows."""
    page, _ = tab
    _read_on(page, "2026-11-24")
    page.goto(site_url + "open/")
    page.locator("input.crmkb-list-text").fill("ISS-0032")
    row = page.locator("article table tbody tr", has_text="ISS-0032")
    # A locator wait, not wait_for_function: the page's CSP forbids the eval that one uses.
    expect(page.locator("article table tbody tr")).to_have_count(1)
    assert "今天到期" in row.inner_text()
    assert "2026-11-24 到期" not in row.inner_text()


def test_open_list_ages_count_to_the_reader_s_day(tab: Tab, site_url: str) -> None:
    page, _ = tab
    _read_on(page, "2026-11-30")
    heads, rows = _open_list(page, site_url)
    reported, age = heads.index("上报日期"), heads.index("已过天数")
    assert rows
    for cells in rows:
        since = dt.date.fromisoformat(cells[reported].strip())
        assert int(cells[age]) == (dt.date(2026, 11, 30) - since).days, cells[0]
