"""What a reader meets first, as plain functions: answer-first pages, labels in the content
language, linked ids, KCS marks, lists as data, charts with axes (no MkDocs involved)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from crmkb import charts
from crmkb.config import load_config
from crmkb.errors import RecordErrors
from crmkb.knowledge_base import KnowledgeBase
from crmkb.labels import labels
from crmkb.points import leaderboard
from crmkb.records.change_request import ChangeRequest
from crmkb.records.issue import Issue
from crmkb.records.solution import Solution
from crmkb.report import period
from crmkb.report_render import report
from crmkb.site.autolink import autolink
from crmkb.site.pages import generate, urls
from crmkb.site.pages.catalog import render_catalog
from crmkb.site.pages.changes import render_change
from crmkb.site.pages.issue import render_issue
from crmkb.site.pages.listing import SHOWN, Column, listing
from crmkb.site.pages.solution import render_solution

TARGETS = {"ISS-0022": "issues/ISS-0022/", "CR-0003": "changes/CR-0003/", "TM-BP-01": "x/"}


def test_resolved_issue_leads_with_the_solutions_steps(kb: KnowledgeBase) -> None:
    markdown = render_issue(kb, kb.of(Issue)["ISS-0003"])
    answer = markdown.index('!!! success "解决方法"')
    assert answer < markdown.index("| 编号 |") < markdown.index("## 现象")
    assert "    1. " in markdown[answer:]
    assert "[SOL-0002 " in markdown[answer : markdown.index("| 编号 |")]


def test_open_issue_leads_with_state_sla_and_workaround(kb: KnowledgeBase) -> None:
    markdown = render_issue(kb, kb.of(Issue)["ISS-0025"])
    lead = markdown[: markdown.index("| 编号 |")]
    assert "用户验证中" in lead and "等待用户验证（自 2026-11-18）" in lead
    assert "先导出 Word 再转 PDF" in lead
    field = kb.of(Issue)["ISS-0037"].model_copy(update={"workaround": "先手工改开票抬头"})
    lead = render_issue(kb, field).split("| 编号 |")[0]
    assert "已超期 6 个工作日" in lead and "**临时办法：** 先手工改开票抬头" in lead


def test_solution_page_leads_with_steps_and_shows_owner_review_and_reuse(
    kb: KnowledgeBase,
) -> None:
    solution = kb.of(Solution)["SOL-0003"]
    markdown = render_solution(kb, solution)
    assert markdown.index("## 解决步骤") < markdown.index("## 现象")
    assert f"| 已解决问题 | {len(solution.issues)} 个 |" in markdown
    stale = solution.model_copy(update={"reviewed": dt.date(2025, 1, 2), "owner": "P001"})
    markdown = render_solution(kb, stale)
    assert "| 负责人 | 王立（P001） |" in markdown
    assert "| 最近复核 | 2025-01-02（已 690 天，**需复核**） |" in markdown
    assert "这篇有帮助吗？没解决？" in markdown and "record=SOL-0003" in markdown


def test_labels_follow_the_content_language(kb: KnowledgeBase) -> None:
    english = dataclasses.replace(kb, config=kb.config.model_copy(update={"language": "en"}))
    markdown = render_issue(english, kb.of(Issue)["ISS-0003"])
    assert "| 状态 | resolved |" in markdown and "| 已解决 |" not in markdown
    assert labels("zh").of("status", "verifying") == "用户验证中"
    assert labels("zh").of("cause", None) == "待分析"


def test_reports_and_leaderboard_show_labels_not_codes(kb: KnowledgeBase) -> None:
    text = report(kb, period("weekly", "2026-W46"), with_charts=False)
    assert "（用户验证中，严重程度高）" in text and "verifying" not in text
    assert "（当前：开发中）" in text
    board = leaderboard(kb, "2026-10")
    assert "低 1 分、中 3 分、高 5 分、紧急 8 分" in board


def test_change_page_decision_pilot_and_related_issues_read_well(kb: KnowledgeBase) -> None:
    markdown = render_change(kb, kb.of(ChangeRequest)["CR-0003"])
    assert "采用方案 A。采用方案" not in markdown
    assert "至 —" not in markdown and "尚未结束" in markdown
    assert "[ISS-0022](../issues/ISS-0022.md) 启用实际到账日期后" in markdown


def test_autolink_links_known_ids_in_text_only() -> None:
    html = (
        '<h2>ISS-0022 <a href="#x">¶</a> CR-0003</h2>'
        "<p>见 ISS-0022、CR-0003 和 TM-BP-01；XISS-0022、ISS-9999 不是。</p>"
        '<p><a href="y">CR-0003</a> <code>CR-0003</code> <img alt="CR-0003"></p>'
    )
    out = autolink(html, "issues/ISS-0001/", TARGETS)
    assert out.count('class="crmkb-id"') == 3
    assert '<a class="crmkb-id" href="../ISS-0022/">ISS-0022</a>、' in out
    assert '<h2>ISS-0022 <a href="#x">¶</a> CR-0003</h2>' in out and '<img alt="CR-0003">' in out
    assert "XISS-0022、ISS-9999" in out
    assert autolink("<p>CR-0003</p>", "changes/CR-0003/", TARGETS) == "<p>CR-0003</p>"
    plain = '<h1 id="t">标题</h1><p><a href="x">链接</a> 和 <code>代码</code></p>'
    assert autolink(plain, "issues/ISS-0001/", TARGETS) == plain
    assert autolink(html, "issues/ISS-0001/", {}) == html


def test_lists_carry_the_first_rows_and_every_row_as_data() -> None:
    rows = [[f"ISS-{n:04d}", f"标题 <{n}>"] for n in range(SHOWN + 7)]
    columns = [Column("id", "编号", urls.issue("{}")), Column("title", "标题")]
    markdown, data = listing(urls.OPEN, "open-rows.json", columns, rows)
    assert markdown.count("](issues/ISS-") == SHOWN
    assert "显示前 50 条，共 57 条" in markdown and "(open-rows.json){.crmkb-list-data}" in markdown
    loaded = json.loads(data)
    assert loaded["rows"] == rows and loaded["root"] == ""
    assert loaded["columns"][0]["link"] == "issues/{}/"
    assert "&lt;" in markdown  # titles escaped in the table; raw in the data (set as text)


def test_every_list_has_its_data_file(kb: KnowledgeBase) -> None:
    pages = generate(kb)
    for data in ["catalog/rows.json", "open-rows.json", "solutions/rows.json", "changes/rows.json"]:
        assert json.loads(pages[data])["rows"]
    assert "catalog/rows.json" in render_catalog(kb)


def test_charts_have_value_axis_printed_values_and_dates() -> None:
    svg = charts.paired_bars(
        "每周", ["W47 11-16", "W48 11-23"], ("上报", [13, 0]), ("解决", [2, 7])
    )
    for tick in [">0<", ">5<", ">10<", ">15<"]:
        assert tick in svg
    assert ">13<" in svg and ">7<" in svg and "W47 11-16" in svg
    assert 'font-size="15"' in svg


def test_report_form_must_be_a_plain_web_address(tmp_path: Path) -> None:
    (tmp_path / "crmkb.yml").write_text('report_form: "javascript:alert(1)"\n', encoding="utf-8")
    with pytest.raises(RecordErrors) as raised:
        load_config(tmp_path)
    assert "crmkb.yml:1:14" in str(raised.value) and "report_form" in str(raised.value)
