"""Known open problems: every issue not yet closed, most urgent first, with its SLA state."""

from __future__ import annotations

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.issue import Issue
from crmkb.site.pages import urls
from crmkb.site.pages.common import OPEN_STATUSES, as_of, day, lab, module_name, page, record_meta
from crmkb.site.pages.listing import Column, listing
from crmkb.site.pages.urgency import urgency

DATA = "open-rows.json"
COLUMNS = [
    Column("id", "编号", urls.issue("{}")),
    Column("title", "标题"),
    Column("sla", "时限"),
    Column("severity", "严重程度", facet=True),
    Column("status", "状态", facet=True),
    Column("module", "模块", facet=True),
    Column("handled_by", "处理方式", facet=True),
    Column("reported", "上报日期"),
    Column("age", "已过天数", numeric=True),
]


def open_issues(kb: KnowledgeBase) -> list[Issue]:
    """Open issues, most urgent first: overdue, due today, running, waiting on the user."""
    found = [i for i in kb.of(Issue).values() if i.status in OPEN_STATUSES]
    return sorted(found, key=lambda i: urgency(kb, i).rank)


def age_days(kb: KnowledgeBase, issue: Issue) -> int:
    """Calendar days since the report, as of the build (kb.today)."""
    return (kb.today - issue.reported).days


def render_open(kb: KnowledgeBase) -> dict[str, str]:
    """The open-problem page and its rows as data."""
    labels = lab(kb)
    issues = open_issues(kb)
    rows = [
        [
            i.id,
            i.title,
            urgency(kb, i).words,
            labels.of("severity", i.severity),
            labels.of("status", i.status),
            module_name(kb, i.module),
            labels.of("handled_by", i.handled_by),
            day(i.reported),
            str(age_days(kb, i)),
        ]
        for i in issues
    ]
    intro = as_of(kb) + (
        f"截至 {kb.today.isoformat()}，共 {len(issues)} 个问题尚未解决，最紧急的在最前："
        "已超期、今天到期、进行中，最后是等待用户验证的。"
        f"能内部解决的问题应在 {kb.config.sla.internal_days} 个工作日内解决，"
        f"升级顾问的问题顾问应在 {kb.config.sla.consultant_days} 个工作日内给出方案。\n\n"
    )
    markdown, data = listing(urls.OPEN, DATA, COLUMNS, rows)
    return {urls.OPEN: page("未解决问题", intro + markdown, **record_meta("index", [])), DATA: data}
