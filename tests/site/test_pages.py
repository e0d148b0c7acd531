"""Page generation as plain functions: records in, Markdown out (no MkDocs involved)."""

from __future__ import annotations

import yaml

from crmkb.i18n import speaking
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.issue import Issue
from crmkb.records.solution import Solution
from crmkb.records.training_module import TrainingModule
from crmkb.site.pages import NAV, generate, urls
from crmkb.site.pages.catalog import render_catalog, resolved
from crmkb.site.pages.common import page, text
from crmkb.site.pages.issue import render_issue
from crmkb.site.pages.open_issues import render_open
from crmkb.site.pages.people import render_people
from crmkb.site.pages.solution import render_solution
from crmkb.site.pages.training import render_module, render_tracks, track


def _front(markdown: str) -> dict[str, object]:
    _, front, _ = markdown.split("---\n", 2)
    loaded: dict[str, object] = yaml.safe_load(front)
    return loaded


def test_every_record_page_and_index_is_generated(kb: KnowledgeBase) -> None:
    pages = generate(kb)
    assert {uri for _, uri in NAV} <= set(pages)
    assert all(urls.issue(i) in pages for i in kb.of(Issue))
    assert all(urls.solution(s) in pages for s in kb.of(Solution))
    assert all(urls.training(t) in pages for t in kb.of(TrainingModule))


def test_record_pages_stay_out_of_materials_index_and_carry_keywords(kb: KnowledgeBase) -> None:
    issue = kb.of(Issue)["ISS-0001"]
    front = _front(render_issue(kb, issue))
    assert front["search"] == {"exclude": True}
    assert front["crmkb"] == {"kind": "issue", "keywords": ["ISS-0001", *issue.tags]}


def test_issue_page_has_symptom_cause_solution_related_and_timeline(kb: KnowledgeBase) -> None:
    markdown = render_issue(kb, kb.of(Issue)["ISS-0001"])
    for part in ["## 现象", "## 情景与复现", "## 原因分析", "## 相关问题", "## 处理时间线"]:
        assert part in markdown
    assert "](../solutions/SOL-0001.md)" in markdown
    assert "| 2026-10-16 | 已解决 |" in markdown
    with speaking("zh"):
        markdown = render_issue(kb, kb.of(Issue)["ISS-0001"])
    # The caption says what the file shows, in the issue's words, never the file's name.
    caption = "问题截图：9月30日晚到账的回款节后10月8日才入账"
    assert f"- {caption}" in markdown and f"![{caption}" in markdown
    assert "](../evidence/ISS-0001/ageing-report.svg)" in markdown
    assert "ageing-report" not in markdown.replace("(../evidence/ISS-0001/ageing-report.svg)", "")


def test_solution_page_lists_every_issue_it_solved(kb: KnowledgeBase) -> None:
    solution = kb.of(Solution)["SOL-0003"]
    markdown = render_solution(kb, solution)
    for issue_id in solution.issues:
        assert f"[{issue_id}](../issues/{issue_id}.md)" in markdown


def test_catalog_groups_resolved_issues_by_module_cause_and_tag(kb: KnowledgeBase) -> None:
    pages = render_catalog(kb)
    done = resolved(kb)
    assert all(f"[{i.id}](../issues/{i.id}.md)" in pages[urls.CATALOG] for i in done)
    open_issue = next(i for i in kb.of(Issue).values() if i.status == "reported")
    assert f"[{open_issue.id}]" not in pages[urls.CATALOG]
    assert "{#module-receivable}" in pages[urls.CATALOG_MODULES]
    assert "{#cause-master_data}" in pages[urls.CATALOG_CAUSES]
    assert f"{{#{urls.anchor('tag', '节假日')}}}" in pages[urls.CATALOG_TAGS]


def test_open_problems_show_sla_state_most_urgent_first(kb: KnowledgeBase) -> None:
    markdown = render_open(kb)[urls.OPEN]
    issue = kb.of(Issue)["ISS-0042"]  # reported 2026-11-20, three days before kb.today
    assert f"| {issue.reported.isoformat()} | 3 |" in markdown
    overdue = markdown.index("[ISS-0037]")  # 6 working days late
    waiting = markdown.index("[ISS-0025]")  # verifying: waiting on the user
    assert overdue < waiting
    assert "已超期 6 个工作日（应于 2026-11-13 前）" in markdown


def test_training_track_in_order_and_module_hook(kb: KnowledgeBase) -> None:
    operation = track(kb, "operation")
    assert [m.order for m in operation] == sorted(m.order for m in operation)
    listing = render_tracks(kb)
    positions = [listing.index(f"[{m.id} ") for m in operation]
    assert positions == sorted(positions)
    module = operation[0]
    extended = render_module(kb, module, [lambda kb, m: f"## 自测题\n\n{m.id} 的练习题\n"])
    assert f"## 自测题\n\n{module.id} 的练习题" in extended


def test_people_page_lists_roles_duties_and_rights(kb: KnowledgeBase) -> None:
    markdown = render_people(kb)
    assert "### 项目负责人 {#role-project-lead}" in markdown
    assert "收集一线用户的问题日报" in markdown
    assert "| 客户管理 | 查询 |" in markdown


def test_text_escapes_html_and_markdown() -> None:
    assert text("<b>a|b</b> *x*") == r"&lt;b&gt;a\|b&lt;/b&gt; \*x\*"


def test_page_title_cannot_open_a_tag() -> None:
    front = _front(page("<script>x</script>", "body"))
    assert front["title"] == "‹script›x‹/script›"
