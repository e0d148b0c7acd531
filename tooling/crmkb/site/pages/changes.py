"""The change-request log and one page per change request (reason, options, decision, pilot)."""

from __future__ import annotations

from crmkb.i18n import N_, _
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.change_request import ChangeRequest, Decision
from crmkb.records.issue import Issue
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
from crmkb.site.pages.listing import Column, listing
from crmkb.site.pages.orientation import breadcrumb
from crmkb.site.record_text import fence

DATA = "changes/rows.json"
COLUMNS = [
    Column("id", "编号", urls.change("{}")),
    Column("title", "标题"),
    Column("module", "模块", facet=True),
    Column("requester", "提出人"),
    Column("requested", "提出日期"),
    Column("status", "状态", facet=True),
    Column("rollout", "推广日期"),
    Column("milestone", N_("Milestone")),
]


def milestone_state(kb: KnowledgeBase, change: ChangeRequest) -> str:
    """The listing's milestone cell: the first overdue one (as `kb check` warns), else the next."""
    late = change.late_milestones(kb.today)
    if late:
        _i, first = late[0]
        return _("overdue since {due}: {name}").format(due=day(first.due), name=first.name)
    pending = (
        [m for m in change.development.milestones if m.done is None] if change.development else []
    )
    if change.status == "developing" and pending:
        first = min(pending, key=lambda m: m.due)
        return _("due {due}: {name}").format(due=day(first.due), name=first.name)
    return "—"


def _late_notice(kb: KnowledgeBase, change: ChangeRequest) -> str:
    """A warning above the facts when a milestone is overdue (the rule `kb check` warns by)."""
    late = change.late_milestones(kb.today)
    if not late:
        return ""
    lines = [
        _("{name}: planned for {due}, not done ({days} days late).").format(
            name=text(m.name), due=day(m.due), days=(kb.today - m.due).days
        )
        for _i, m in late
    ]
    title = _("Milestone overdue")
    return f'!!! danger "{title}"\n' + "\n".join(f"    - {line}" for line in lines) + "\n"


def _sections(kb: KnowledgeBase, change: ChangeRequest) -> list[str]:
    here = urls.change(change.id)
    labels = lab(kb)
    parts = [
        breadcrumb(here, ("变更需求", urls.CHANGES)),
        _late_notice(kb, change),
        table(
            ["项目", "内容"],
            [
                ("编号", text(change.id)),
                ("状态", labels.of("change_status", change.status)),
                ("CRM 模块", text(module_name(kb, change.module))),
                ("提出人", text(person_name(kb, change.requester))),
                ("提出日期", day(change.requested)),
                ("原因", text(change.reason or "—")),
                ("目标", text(change.goal or "—")),
                ("推广日期", day(change.rollout)),
            ],
        ),
        "## 顾问方案\n",
        table(
            ["方案", "内容", "二次开发", "提出日期"],
            [
                (
                    text(o.key),
                    text(o.summary),
                    "是" if o.custom_development else "否",
                    day(o.proposed),
                )
                for o in change.options
            ],
        ),
        "## 用户评估\n",
        table(
            ["方案", "评估人", "日期", "结论", "意见"],
            [
                (
                    text(e.option),
                    text(person_name(kb, e.by)),
                    day(e.on),
                    labels.of("verdict", e.verdict),
                    text(e.comment or ""),
                )
                for e in change.evaluations
            ],
        ),
    ]
    if change.decision:
        d = change.decision
        parts += ["## 决策\n", f"{day(d.on)}，{text(person_name(kb, d.by))}：{_decision(d)}\n"]
    if change.development:
        dev = change.development
        late = {i for i, _m in change.late_milestones(kb.today)}
        overdue = "**" + _("overdue, not done") + "**"
        parts += [
            "## 二次开发\n",
            f"费用 {dev.cost:,.0f} 元"
            + (f"，开发方：{text(dev.vendor)}" if dev.vendor else "")
            + "。\n",
            table(
                ["里程碑", "计划", "完成"],
                [
                    (text(m.name), day(m.due), overdue if i in late else day(m.done))
                    for i, m in enumerate(dev.milestones)
                ],
            ),
        ]
    if change.pilot:
        pilot = change.pilot
        users = "、".join(text(person_name(kb, u)) for u in pilot.users)
        period = (
            f"{day(pilot.start)} 至 {day(pilot.end)}"
            if pilot.end
            else f"自 {day(pilot.start)} 起，尚未结束"
        )
        parts += ["## 试点\n", f"试点用户：{users}；{period}。\n"]
        if pilot.outcome:
            parts.append(f"结果：{text(pilot.outcome)}\n")
    if change.issues:
        parts += [
            "## 相关问题\n",
            "\n".join(f"- {_issue_line(kb, here, i)}" for i in change.issues) + "\n",
        ]
    if change.body.strip():
        parts += [fence(change.body)]
    return parts


def _decision(decision: Decision) -> str:
    """The decision in one sentence, without repeating the option when the note names it."""
    chosen = f"采用方案 {decision.option}" if decision.option else "否决"
    note = (decision.note or "").strip()
    if note.replace(" ", "").startswith(chosen.replace(" ", "")):
        return text(note)
    return text(f"{chosen}。{note}" if note else f"{chosen}。")


def _issue_line(kb: KnowledgeBase, here: str, issue_id: str) -> str:
    issue = kb.of(Issue).get(issue_id)
    if issue is None:
        return text(issue_id)
    state = lab(kb).of("status", issue.status)
    return f"{link(here, urls.issue(issue_id), issue_id)} {text(issue.title)}（{state}）"


def render_change(kb: KnowledgeBase, change: ChangeRequest) -> str:
    meta = record_meta("change", [change.id])
    return page(f"{change.id} {change.title}", "\n".join(_sections(kb, change)), **meta)


def render_change_log(kb: KnowledgeBase) -> dict[str, str]:
    """The change log, newest first, and its rows as data."""
    labels = lab(kb)
    changes = sorted(kb.of(ChangeRequest).values(), key=lambda c: (c.requested, c.id), reverse=True)
    rows = [
        [
            c.id,
            c.title,
            module_name(kb, c.module),
            person_name(kb, c.requester),
            day(c.requested),
            labels.of("change_status", c.status),
            day(c.rollout),
            milestone_state(kb, c),
        ]
        for c in changes
    ]
    intro = (
        "需求变更按提出时间倒序排列：原因与目标 → 顾问方案 → 用户评估 → 决策 → 开发 → 试点 → 推广。"
    )
    markdown, data = listing(urls.CHANGES, DATA, COLUMNS, rows)
    body = intro + "\n\n" + markdown
    return {urls.CHANGES: page("变更需求日志", body, **record_meta("index", [])), DATA: data}
