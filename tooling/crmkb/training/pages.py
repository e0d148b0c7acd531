"""Site pages for certification: the register and each role's track progress (pure Markdown).

Only standings are shown (who, which certificate, state, dates); never the questions or
answers of an exam result, which would leak the exam pool's key.
"""

from __future__ import annotations

import datetime as dt

from crmkb.i18n import _
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.certification import Certification
from crmkb.records.role import Role
from crmkb.records.training_module import TrainingModule
from crmkb.site.pages import urls
from crmkb.site.pages.common import as_of, cert_name, day, link, page, record_meta, table, text
from crmkb.training.register import EXPIRING_DAYS, STATE_LABEL, Standing, lacking, standings

REGISTER = "training/register.md"
PROGRESS = "training/progress.md"


def _state(row: Standing, today: dt.date) -> str:
    label = STATE_LABEL[row.state]
    if row.state == "expiring" and row.result and row.result.expires:
        label += f"（剩 {(row.result.expires - today).days} 天）"
    return f'<span class="crmkb-register-{row.state}">{label}</span>'


def render_register(kb: KnowledgeBase, today: dt.date) -> str:
    """The certification register: every active person x required certification."""
    rows = standings(kb, today)
    roles = kb.of(Role)
    blocked = {row.person.id for row in lacking(rows)}
    intro = (
        f"统计日期：{today.isoformat()}。按角色要求列出每位在岗人员的上岗证状态："
        f"有效、{EXPIRING_DAYS} 天内即将到期、已过期或未取得。"
        "未取得有效上岗证的人员不应开通系统权限。"
        + _("To take an exam, ask the project lead to proctor it; the lead records the result.")
        + "\n\n"
        f"共 {len({r.person.id for r in rows})} 人，其中 **{len(blocked)}** 人缺少有效上岗证。\n"
    )
    body = table(
        ["人员", "角色", "上岗证", "状态", "通过日期", "有效期至", "可补考日期"],
        [
            (
                text(f"{row.person.name}（{row.person.id}）"),
                text("、".join(roles[r].name if r in roles else r for r in row.person.roles)),
                text(cert_name(kb, row.certification)),
                _state(row, today),
                day(row.result.taken if row.result else None),
                day(row.result.expires if row.result else None),
                day(row.retake_from),
            )
            for row in rows
        ],
    )
    return page("上岗证登记册", as_of(kb) + intro + "\n" + body, **record_meta("index", []))


def render_progress(kb: KnowledgeBase, today: dt.date) -> str:
    """Each role's track (its modules in order) and how far its people have got.

    A module counts as done for a person when a certification they hold validly covers it.
    """
    rows = standings(kb, today)
    certs = kb.of(Certification)
    modules = sorted(
        kb.of(TrainingModule).values(), key=lambda m: (m.track != "operation", m.order, m.id)
    )
    parts = [
        "每个角色的课程由系统操作和业务流程两部分组成；通过覆盖某模块的上岗证考试即完成该模块。\n"
    ]
    for role in kb.of(Role).values():
        track = [m for m in modules if role.id in m.roles]
        if not track and not role.certifications:
            continue
        parts.append(f"## {text(role.name)} {{#role-{role.id}}}\n")
        steps = "　→　".join(
            link(PROGRESS, urls.training(m.id), f"{m.id} {m.title}") for m in track
        )
        needed = "、".join(text(cert_name(kb, c)) for c in role.certifications) or "无"
        parts.append(f"课程：{steps or '（暂无）'}\n\n要求的上岗证：{needed}\n")
        people = [r for r in rows if role.id in r.person.roles]
        by_person: dict[str, list[Standing]] = {}
        for row in people:
            by_person.setdefault(row.person.id, []).append(row)
        table_rows = []
        for held in by_person.values():
            covered = {
                m
                for row in held
                if row.holds and row.certification in certs
                for m in certs[row.certification].modules
            }
            done = sum(1 for m in track if m.id in covered)
            certified = all(row.holds for row in held if row.certification in role.certifications)
            table_rows.append(
                (
                    text(f"{held[0].person.name}（{held[0].person.id}）"),
                    f"{done} / {len(track)}" if track else "本角色无课程",
                    _percent(done, len(track)),
                    "✔ 可上岗" if certified else "✘ 待认证",
                )
            )
        ready = sum(1 for r in table_rows if r[3].startswith("✔"))
        parts.append(f"已取得全部上岗证：{ready} / {len(table_rows)} 人\n")
        parts.append(table(["人员", "已完成模块", "进度", "上岗"], table_rows))
    return page("培训进度", "\n".join(parts), **record_meta("index", []))


def _percent(done: int, total: int) -> str:
    """Progress as plain text: a screen reader reads "40%" once, not ten block symbols."""
    return f"{round(100 * done / total)}%" if total else "—"
