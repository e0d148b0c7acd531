"""Known open problems: every issue not yet closed, oldest first, with its age."""

from __future__ import annotations

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.issue import Issue
from crmkb.site.pages import urls
from crmkb.site.pages.common import (
    HANDLED_BY,
    OPEN_STATUSES,
    SEVERITY,
    STATUS,
    day,
    link,
    module_name,
    page,
    record_meta,
    table,
    text,
)


def open_issues(kb: KnowledgeBase) -> list[Issue]:
    found = [i for i in kb.of(Issue).values() if i.status in OPEN_STATUSES]
    return sorted(found, key=lambda i: (i.reported, i.id))


def age_days(kb: KnowledgeBase, issue: Issue) -> int:
    """Calendar days since the report, as of the build (kb.today)."""
    return (kb.today - issue.reported).days


def render_open(kb: KnowledgeBase) -> str:
    here = urls.OPEN
    issues = open_issues(kb)
    rows = [
        (
            link(here, urls.issue(i.id), i.id),
            text(i.title),
            text(module_name(kb, i.module)),
            SEVERITY[i.severity],
            STATUS[i.status],
            HANDLED_BY[i.handled_by],
            day(i.reported),
            f"{age_days(kb, i)} 天",
        )
        for i in issues
    ]
    intro = (
        f"截至 {kb.today.isoformat()}，共 {len(issues)} 个问题尚未解决，按上报时间排列，"
        f"最久的在最前。能内部解决的问题应在 {kb.config.sla.internal_days} 个工作日内解决，"
        f"升级顾问的问题顾问应在 {kb.config.sla.consultant_days} 个工作日内给出方案。\n\n"
    )
    headers = ["编号", "标题", "模块", "严重程度", "状态", "处理方式", "上报日期", "已过天数"]
    return page("未解决问题", intro + table(headers, rows), **record_meta("index", []))
