"""One page per issue: symptom, context, cause, solution link, related issues, timeline."""

from __future__ import annotations

from pathlib import PurePosixPath

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.issue import Issue
from crmkb.records.solution import Solution
from crmkb.site.assets import IMAGE_SUFFIXES, evidence_uri
from crmkb.site.pages import urls
from crmkb.site.pages.common import (
    CAUSE,
    HANDLED_BY,
    SEVERITY,
    STATUS,
    day,
    link,
    module_name,
    page,
    person_name,
    record_meta,
    table,
    text,
)
from crmkb.site.pages.links import links
from crmkb.site.record_text import fence


def related_issues(kb: KnowledgeBase, issue: Issue) -> list[Issue]:
    """Issues sharing this one's solution, duplicates of it, and the one it duplicates."""
    reverse = links(kb)
    found = {i.id: i for i in reverse.duplicates.get(issue.id, [])}
    if issue.solution:
        found.update((i.id, i) for i in reverse.by_solution.get(issue.solution, []))
    if issue.duplicate_of and issue.duplicate_of in kb.of(Issue):
        found[issue.duplicate_of] = kb.of(Issue)[issue.duplicate_of]
    found.pop(issue.id, None)
    return [found[key] for key in sorted(found)]


def _evidence(here: str, path: str) -> str:
    uri = evidence_uri(path)
    if uri is None:
        return f"- `{text(path)}`"
    if PurePosixPath(uri).suffix.lower() in IMAGE_SUFFIXES:
        # Shown as an image only: an <img> never runs script an SVG might carry.
        return f"- {text(PurePosixPath(uri).name)}\n\n    ![证据]({urls.href(here, uri)})"
    return f"- [{text(PurePosixPath(uri).name)}]({urls.href(here, uri)})"


def keywords(issue: Issue) -> list[str]:
    return [issue.id, *issue.tags]


def render_issue(kb: KnowledgeBase, issue: Issue) -> str:
    here = urls.issue(issue.id)
    facts = [
        ("编号", text(issue.id)),
        ("状态", STATUS[issue.status]),
        ("CRM 模块", text(module_name(kb, issue.module))),
        ("严重程度", SEVERITY[issue.severity]),
        ("原因分类", CAUSE[issue.cause] if issue.cause else "待分析"),
        ("处理方式", HANDLED_BY[issue.handled_by]),
        ("上报人", text(person_name(kb, issue.reporter))),
        ("上报日期", day(issue.reported)),
    ]
    if issue.tags:
        facts.append(("标签", "、".join(text(tag) for tag in issue.tags)))
    parts = [table(["项目", "内容"], facts)]

    solution = kb.of(Solution).get(issue.solution) if issue.solution else None
    if solution:
        target = urls.solution(solution.id)
        parts.append(
            f'!!! tip "解决方案"\n    {link(here, target, solution.id + " " + solution.title)}\n'
        )
    if issue.duplicate_of:
        target = urls.issue(issue.duplicate_of)
        parts.append(
            f'!!! note "重复问题"\n    与 {link(here, target, issue.duplicate_of)} 相同。\n'
        )
    if issue.decline_reason:
        parts.append(f'!!! note "不予处理的原因"\n    {text(issue.decline_reason)}\n')

    parts.append(fence(issue.body))

    related = related_issues(kb, issue)
    parts.append("## 相关问题\n")
    parts.append(
        table(
            ["编号", "标题", "状态"],
            [
                (link(here, urls.issue(o.id), o.id), text(o.title), STATUS[o.status])
                for o in related
            ],
        )
    )
    changes = links(kb).changes.get(issue.id, [])
    if changes:
        parts.append("## 相关变更需求\n")
        parts.append(
            "\n".join(f"- {link(here, urls.change(c.id), c.id + ' ' + c.title)}" for c in changes)
            + "\n"
        )
    parts.append("## 处理时间线\n")
    parts.append(
        table(["日期", "状态"], [(day(when), STATUS[step]) for step, when in issue.timeline()])
    )
    if issue.evidence:
        parts.append("## 证据\n")
        parts.append("\n".join(_evidence(here, path) for path in issue.evidence) + "\n")
    return page(
        f"{issue.id} {issue.title}", "\n".join(parts), **record_meta("issue", keywords(issue))
    )
