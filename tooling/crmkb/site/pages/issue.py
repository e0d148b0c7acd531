"""One page per issue: the answer first (the fix, or SLA state and workaround), then the facts."""

from __future__ import annotations

from pathlib import PurePosixPath

from crmkb.i18n import _
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.issue import Issue
from crmkb.records.solution import Solution, publishable
from crmkb.site.assets import IMAGE_SUFFIXES, evidence_uri
from crmkb.site.pages import urls
from crmkb.site.pages.common import (
    as_of,
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
from crmkb.site.pages.orientation import breadcrumb, feedback
from crmkb.site.pages.sections import STEPS, WORKAROUND, first_items, indent, section
from crmkb.site.pages.urgency import urgency
from crmkb.site.record_text import excerpt, fence

FIRST_STEPS = 5  # more than this and the issue page shows the first ones, the rest a click away


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


def evidence_caption(issue: Issue, path: str, number: int) -> str:
    """What an evidence file shows, said with the issue's own title (a file name says little).

    Records carry no caption of their own: the file is evidence of this issue's symptom, so
    the caption names the kind of file and the symptom; several files are numbered.
    """
    suffix = PurePosixPath(path).suffix.lower()
    which = f" {number}" if len(issue.evidence) > 1 else ""
    if suffix in IMAGE_SUFFIXES:
        return _("Screenshot{n} of the problem: {title}").format(n=which, title=issue.title)
    kind = suffix.lstrip(".").upper() or _("attached")
    return _("{kind} file{n} about the problem: {title}").format(
        kind=kind, n=which, title=issue.title
    )


def _evidence(here: str, issue: Issue, number: int, path: str) -> str:
    uri = evidence_uri(path)
    caption = text(evidence_caption(issue, path, number))
    if uri is None:
        return f"- {caption}"
    if PurePosixPath(uri).suffix.lower() in IMAGE_SUFFIXES:
        # Shown as an image only: an <img> never runs script an SVG might carry.
        return f"- {caption}\n\n    ![{caption}]({urls.href(here, uri)})"
    return f"- [{caption}]({urls.href(here, uri)})"


def keywords(issue: Issue) -> list[str]:
    return [issue.id, *issue.tags]


def answer(kb: KnowledgeBase, issue: Issue, here: str) -> str:
    """What the reader came for, right under the title: the fix, or where things stand."""
    solution = kb.of(Solution).get(issue.solution) if issue.solution else None
    if issue.status == "resolved" and solution and publishable(solution):
        target = link(here, urls.solution(solution.id), f"{solution.id} {solution.title}")
        steps = section(solution.body, STEPS)
        if steps is None:
            return f'!!! success "解决方法"\n    见解决方案 {target}。\n'
        shown, cut = first_items(excerpt(steps), FIRST_STEPS)
        more = "其余步骤和原因说明" if cut else "现象、原因与预防要点"
        return f'!!! success "解决方法"\n{indent(shown)}\n\n    {more}见完整解决方案：{target}\n'
    if not issue.is_open:
        return ""
    labels = lab(kb)
    found = urgency(kb, issue)
    lines = [
        f"**{labels.of('status', issue.status)}**"
        f"　严重程度：**{labels.of('severity', issue.severity)}**"
        f"　时限：**{found.html()}**",
    ]
    written = section(issue.body, WORKAROUND)
    written = excerpt(written) if written else None
    proposed = proposed_fix(kb, issue, here, solution)
    if proposed:
        lines.append(proposed)
    if issue.workaround:
        lines.append(f"**临时办法：** {text(issue.workaround)}")
    elif written:
        lines += ["**临时办法：**", written]
    else:
        lines.append("暂无临时办法；遇到同样问题请先上报，不要自行绕过。")
    kind = "danger" if found.state == "overdue" else "warning"
    body = "\n\n".join(indent(line) for line in lines)
    return f'!!! {kind} "尚未解决"\n{body}\n'


def proposed_fix(kb: KnowledgeBase, issue: Issue, here: str, solution: Solution | None) -> str:
    """An open issue's solution under test: linked, with how far it has got."""
    if not issue.solution:
        return ""
    labels = lab(kb)
    if solution is None or not publishable(solution):
        return "**" + _("A fix is being written.") + "**"
    target = link(here, urls.solution(solution.id), f"{solution.id} {solution.title}")
    state = _("{confidence}; the issue is {status}").format(
        confidence=labels.of("confidence", solution.confidence),
        status=labels.of("status", issue.status),
    )
    return _("**Proposed fix:** {link} ({state})").format(link=target, state=state)


def render_issue(kb: KnowledgeBase, issue: Issue) -> str:
    here = urls.issue(issue.id)
    labels = lab(kb)
    parent = (
        ("已解决问题", urls.CATALOG) if issue.status == "resolved" else ("未解决问题", urls.OPEN)
    )
    facts = [
        ("编号", text(issue.id)),
        ("状态", labels.of("status", issue.status)),
        ("CRM 模块", text(module_name(kb, issue.module))),
        ("严重程度", labels.of("severity", issue.severity)),
        ("原因分类", labels.of("cause", issue.cause)),
        ("处理方式", labels.of("handled_by", issue.handled_by)),
        ("上报人", text(person_name(kb, issue.reporter))),
        ("上报日期", day(issue.reported)),
    ]
    if issue.tags:
        facts.append(("标签", "、".join(text(tag) for tag in issue.tags)))
    parts = [
        breadcrumb(here, parent),
        as_of(kb),
        answer(kb, issue, here),
        table(["项目", "内容"], facts),
    ]

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
                (link(here, urls.issue(o.id), o.id), text(o.title), labels.of("status", o.status))
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
        table(
            ["日期", "状态"],
            [(day(when), labels.of("status", step)) for step, when in issue.timeline()],
        )
    )
    if issue.evidence and not kb.config.publish.public:  # a public site has no attachments
        parts.append("## 证据\n")
        parts.append(
            "\n".join(_evidence(here, issue, n, path) for n, path in enumerate(issue.evidence, 1))
            + "\n"
        )
    parts.append(feedback(kb, issue.id, issue.title))
    return page(
        f"{issue.id} {issue.title}", "\n".join(parts), **record_meta("issue", keywords(issue))
    )
