"""The change-request log and one page per change request (reason, options, decision, pilot)."""

from __future__ import annotations

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.change_request import ChangeRequest
from crmkb.site.pages import urls
from crmkb.site.pages.common import (
    CHANGE_STATUS,
    day,
    link,
    module_name,
    page,
    person_name,
    record_meta,
    table,
    text,
)
from crmkb.site.record_text import fence

VERDICT = {"accept": "接受", "reject": "不接受", "revise": "需修改"}


def _sections(kb: KnowledgeBase, change: ChangeRequest) -> list[str]:
    here = urls.change(change.id)
    parts = [
        table(
            ["项目", "内容"],
            [
                ("编号", text(change.id)),
                ("状态", CHANGE_STATUS[change.status]),
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
                    VERDICT[e.verdict],
                    text(e.comment or ""),
                )
                for e in change.evaluations
            ],
        ),
    ]
    if change.decision:
        d = change.decision
        chosen = f"采用方案 {text(d.option)}" if d.option else "否决"
        parts += [
            "## 决策\n",
            f"{day(d.on)}，{text(person_name(kb, d.by))}：{chosen}。{text(d.note or '')}\n",
        ]
    if change.development:
        dev = change.development
        parts += [
            "## 二次开发\n",
            f"费用 {dev.cost:,.0f} 元"
            + (f"，开发方：{text(dev.vendor)}" if dev.vendor else "")
            + "。\n",
            table(
                ["里程碑", "计划", "完成"],
                [(text(m.name), day(m.due), day(m.done)) for m in dev.milestones],
            ),
        ]
    if change.pilot:
        pilot = change.pilot
        users = "、".join(text(person_name(kb, u)) for u in pilot.users)
        parts += ["## 试点\n", f"试点用户：{users}；{day(pilot.start)} 至 {day(pilot.end)}。\n"]
        if pilot.outcome:
            parts.append(f"结果：{text(pilot.outcome)}\n")
    if change.issues:
        parts += [
            "## 相关问题\n",
            "\n".join(f"- {link(here, urls.issue(i), i)}" for i in change.issues) + "\n",
        ]
    if change.body.strip():
        parts += [fence(change.body)]
    return parts


def render_change(kb: KnowledgeBase, change: ChangeRequest) -> str:
    meta = record_meta("change", [change.id])
    return page(f"{change.id} {change.title}", "\n".join(_sections(kb, change)), **meta)


def render_change_log(kb: KnowledgeBase) -> str:
    here = urls.CHANGES
    changes = sorted(kb.of(ChangeRequest).values(), key=lambda c: (c.requested, c.id), reverse=True)
    rows = [
        (
            link(here, urls.change(c.id), c.id),
            text(c.title),
            text(module_name(kb, c.module)),
            text(person_name(kb, c.requester)),
            day(c.requested),
            CHANGE_STATUS[c.status],
            day(c.rollout),
        )
        for c in changes
    ]
    intro = (
        "需求变更按提出时间倒序排列：原因与目标 → 顾问方案 → 用户评估 → 决策 → 开发 → 试点 → 推广。"
    )
    intro += "\n\n"
    headers = ["编号", "标题", "模块", "提出人", "提出日期", "状态", "推广日期"]
    return page("变更需求日志", intro + table(headers, rows), **record_meta("index", []))
