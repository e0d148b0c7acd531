"""Solution pages (every issue each one solved) and the solution index."""

from __future__ import annotations

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.issue import Issue
from crmkb.records.solution import Solution
from crmkb.site.pages import urls
from crmkb.site.pages.common import (
    CONFIDENCE,
    STATUS,
    day,
    link,
    module_name,
    page,
    record_meta,
    table,
    text,
)
from crmkb.site.pages.links import links
from crmkb.site.record_text import fence


def solved_issues(kb: KnowledgeBase, solution: Solution) -> list[Issue]:
    """Issues the solution lists or that point at it, in id order."""
    issues = kb.of(Issue)
    ids = set(solution.issues) | {i.id for i in links(kb).by_solution.get(solution.id, [])}
    return [issues[key] for key in sorted(ids) if key in issues]


def render_solution(kb: KnowledgeBase, solution: Solution) -> str:
    here = urls.solution(solution.id)
    facts = [
        ("编号", text(solution.id)),
        ("可信度", CONFIDENCE[solution.confidence]),
        ("CRM 模块", "、".join(text(module_name(kb, m)) for m in solution.modules)),
        ("发布日期", day(solution.published)),
    ]
    if solution.tags:
        facts.append(("标签", "、".join(text(tag) for tag in solution.tags)))
    solved = solved_issues(kb, solution)
    body = [
        table(["项目", "内容"], facts),
        fence(solution.body),
        f"## 解决过的问题（{len(solved)}）\n",
        table(
            ["编号", "标题", "模块", "状态"],
            [
                (
                    link(here, urls.issue(i.id), i.id),
                    text(i.title),
                    text(module_name(kb, i.module)),
                    STATUS[i.status],
                )
                for i in solved
            ],
        ),
    ]
    meta = record_meta("solution", [solution.id, *solution.tags])
    return page(f"{solution.id} {solution.title}", "\n".join(body), **meta)


def render_solutions_index(kb: KnowledgeBase) -> str:
    here = urls.SOLUTIONS
    solutions = sorted(kb.of(Solution).values(), key=lambda s: s.id)
    rows = [
        (
            link(here, urls.solution(s.id), s.id),
            text(s.title),
            "、".join(text(module_name(kb, m)) for m in s.modules),
            CONFIDENCE[s.confidence],
            str(len(solved_issues(kb, s))),
            day(s.published),
        )
        for s in solutions
    ]
    body = "每个解决方案都写明现象、原因、步骤和预防宣导要点。\n\n" + table(
        ["编号", "标题", "模块", "可信度", "问题数", "发布"], rows
    )
    return page("解决方案", body, **record_meta("index", []))
