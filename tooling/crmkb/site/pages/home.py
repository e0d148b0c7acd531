"""The home page: headline figures, the latest resolved problems and where to go next."""

from __future__ import annotations

from statistics import median

from crmkb.i18n import _
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.change_request import ChangeRequest
from crmkb.records.issue import Issue
from crmkb.records.solution import Solution
from crmkb.site.pages import urls
from crmkb.site.pages.catalog import resolved
from crmkb.site.pages.common import (
    OPEN_STATUSES,
    as_of,
    day,
    link,
    module_name,
    page,
    record_meta,
    table,
    text,
)

LATEST = 10


def figures(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(label, value) headline figures, computed from the records."""
    issues = list(kb.of(Issue).values())
    done = resolved(kb)
    days = [(i.dates["resolved"] - i.reported).days for i in done if "resolved" in i.dates]
    internal = sum(1 for i in done if i.handled_by == "internal")
    return [
        ("问题总数", str(len(issues))),
        ("已解决", str(len(done))),
        ("未解决", str(sum(1 for i in issues if i.status in OPEN_STATUSES))),
        ("公司自行解决", f"{round(100 * internal / len(done))}%" if done else "—"),
        ("解决天数（中位数）", f"{median(days):g} 天" if days else "—"),
        ("解决方案", str(len(kb.of(Solution)))),
        ("变更需求", str(len(kb.of(ChangeRequest)))),
    ]


def render_home(kb: KnowledgeBase) -> str:
    here = urls.HOME
    latest = resolved(kb)[:LATEST]
    parts = [
        as_of(kb),
        _(
            "Type the symptom, the error text or a record number into the search box at the "
            "top of the page (on a phone, tap the magnifier at the top right); simplified and "
            "traditional characters both work."
        )
        + "\n",
        "## 概况\n",
        table(["指标", "数值"], figures(kb)),
        "## 最近解决的问题\n",
        table(
            ["编号", "标题", "模块", "解决日期"],
            [
                (
                    link(here, urls.issue(i.id), i.id),
                    text(i.title),
                    text(module_name(kb, i.module)),
                    day(i.dates.get("resolved")),
                )
                for i in latest
            ],
        ),
        f"[查看全部已解决问题]({urls.href(here, urls.CATALOG)})　"
        f"[未解决问题]({urls.href(here, urls.OPEN)})　"
        f"[培训课程]({urls.href(here, urls.TRAINING)})\n",
    ]
    meta = record_meta("index", [])
    meta["template"] = "home.html"
    return page("CRM 知识库", "\n".join(parts), **meta)
