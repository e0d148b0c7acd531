"""Solution pages (every issue each one solved) and the solution index."""

from __future__ import annotations

from crmkb.i18n import _
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.issue import Issue
from crmkb.records.solution import Solution, prevention_note, publishable
from crmkb.site.pages import urls
from crmkb.site.pages.common import (
    day,
    lab,
    link,
    module_name,
    page,
    person_name,
    record_meta,
    table,
    text,
)
from crmkb.site.pages.links import links
from crmkb.site.pages.listing import Column, listing
from crmkb.site.pages.orientation import breadcrumb, feedback
from crmkb.site.pages.sections import STEPS, lead_with
from crmkb.site.record_text import fence


def solved_issues(kb: KnowledgeBase, solution: Solution) -> list[Issue]:
    """Issues the solution lists or that point at it, in id order."""
    issues = kb.of(Issue)
    ids = set(solution.issues) | {i.id for i in links(kb).by_solution.get(solution.id, [])}
    return [issues[key] for key in sorted(ids) if key in issues]


def review_mark(kb: KnowledgeBase, solution: Solution) -> str:
    """Last reviewed date, with a "review due" mark once older than crmkb.yml allows."""
    if solution.recheck is not None:
        mark = _("**needs review**: {issue} came back on {date}")
        return mark.format(issue=text(solution.recheck.issue), date=day(solution.recheck.since))
    last = solution.reviewed or solution.published
    if last is None:
        return "未复核（**需复核**）"
    age = (kb.today - last).days
    due = age > kb.config.solution_review_days
    return day(last) + (f"（已 {age} 天，**需复核**）" if due else "")


def caution(kb: KnowledgeBase, solution: Solution) -> str:
    """A warning above the steps of a solution nobody has tested or reviewed yet."""
    reasons = []
    if solution.confidence == "draft":
        reasons.append(_("It is a draft: its steps have not been tested yet."))
    if solution.reviewed is None and solution.published is None:
        reasons.append(_("Nobody has reviewed it."))
    if not reasons:
        return ""
    if solution.owner is None:
        reasons.append(_("Nobody is responsible for it yet."))
    reasons.append(_("Ask the project lead before you follow these steps."))
    title = _("Not approved yet")
    return f'!!! warning "{title}"\n' + "\n".join(f"    {r}" for r in reasons) + "\n"


def render_solution(kb: KnowledgeBase, solution: Solution) -> str:
    here = urls.solution(solution.id)
    labels = lab(kb)
    solved = solved_issues(kb, solution)
    facts = [
        ("编号", text(solution.id)),
        ("可信度", labels.of("confidence", solution.confidence)),
        ("CRM 模块", "、".join(text(module_name(kb, m)) for m in solution.modules)),
        ("负责人", text(person_name(kb, solution.owner)) if solution.owner else "未指定"),
        ("最近复核", review_mark(kb, solution)),
        ("已解决问题", f"{len(solved)} 个"),
        ("发布日期", day(solution.published)),
    ]
    if solution.tags:
        facts.append(("标签", "、".join(text(tag) for tag in solution.tags)))
    if solution.root_cause:
        facts.append((_("Root cause of a recurring problem"), text(solution.root_cause)))
    body = [
        breadcrumb(here, ("解决方案", urls.SOLUTIONS)),
        caution(kb, solution),
        fence(lead_with(solution.body.strip(), STEPS)),
        "## 概要\n",
        table(["项目", "内容"], facts),
        *teaching(kb, solution),
        f"## 解决过的问题（{len(solved)}）\n",
        table(
            ["编号", "标题", "模块", "状态"],
            [
                (
                    link(here, urls.issue(i.id), i.id),
                    text(i.title),
                    text(module_name(kb, i.module)),
                    labels.of("status", i.status),
                )
                for i in solved
            ],
        ),
        feedback(kb, solution.id, solution.title),
    ]
    meta = record_meta("solution", [solution.id, *solution.tags])
    return page(f"{solution.id} {solution.title}", "\n".join(body), **meta)


def teaching(kb: KnowledgeBase, solution: Solution) -> list[str]:
    """Who was told about the fix, when and how (宣导); nothing for a solution with neither a
    prevention note nor a record of teaching."""
    from crmkb.records.person import Person
    from crmkb.records.role import Role
    from crmkb.teaching import channel_name

    if not solution.told and not prevention_note(solution.body):
        return []
    heading = "## " + _("Taught to users") + "\n"
    if not solution.told:
        return [heading, _("Nobody has been told about this fix yet.") + "\n"]
    roles, people = kb.of(Role), kb.of(Person)

    def who(key: str) -> str:
        found = roles.get(key) or people.get(key)
        return text(found.name if found is not None else key)

    rows = [
        (
            day(told.on),
            "、".join(who(key) for key in told.audience),
            text(channel_name(told.channel)) + (f" {text(told.training)}" if told.training else ""),
            text(told.note or ""),
        )
        for told in solution.told
    ]
    return [heading, table([_("date"), _("audience"), _("channel"), _("note")], rows)]


SOLUTION_DATA = "solutions/rows.json"
SOLUTION_COLUMNS = [
    Column("id", "编号", urls.solution("{}")),
    Column("title", "标题"),
    Column("module", "模块", facet=True),
    Column("confidence", "可信度", facet=True),
    Column("reuse", "解决问题数", numeric=True),
    Column("reviewed", "最近复核"),
    Column("published", "发布"),
]


def render_solutions_index(kb: KnowledgeBase) -> dict[str, str]:
    """The published solutions, most reused first, and their rows as data."""
    labels = lab(kb)
    solutions = sorted(
        filter(publishable, kb.of(Solution).values()),
        key=lambda s: (-len(solved_issues(kb, s)), s.id),
    )
    rows = [
        [
            s.id,
            s.title,
            "、".join(module_name(kb, m) for m in s.modules),
            labels.of("confidence", s.confidence),
            str(len(solved_issues(kb, s))),
            day(s.reviewed or s.published),
            day(s.published),
        ]
        for s in solutions
    ]
    markdown, data = listing(urls.SOLUTIONS, SOLUTION_DATA, SOLUTION_COLUMNS, rows)
    intro = "每个解决方案都写明解决步骤、现象、原因和预防宣导要点；解决过最多问题的在最前。\n\n"
    body = intro + markdown
    return {
        urls.SOLUTIONS: page("解决方案", body, **record_meta("index", [])),
        SOLUTION_DATA: data,
    }
