"""The solution page shows who was told about the fix (宣导) and a 需复核 mark (issue 22)."""

from __future__ import annotations

import datetime as dt

from crmkb.i18n import speaking
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.solution import Recheck, Solution, Told
from crmkb.site.pages.solution import render_solution


def test_the_teaching_is_listed_with_names_channels_and_modules(kb: KnowledgeBase) -> None:
    with speaking("zh"):
        markdown = render_solution(kb, kb.of(Solution)["SOL-0003"])
    section = markdown[markdown.index("## 宣导记录") :]
    assert section.startswith(
        "## 宣导记录\n\n| 日期 | 对象 | 方式 | 说明 |\n|---|---|---|---|\n"
        "| 2026-09-28 | 业务经理、销售内勤 | 邮件 | "
        "邮件通知各销售经理：离职审批前须完成客户移交 |\n"
        "| 2026-10-10 | 业务员、业务经理、销售内勤 | 更新培训课程 TM-BP-03 | "
        "TM-BP-03 补充了离职移交的检查清单 |\n"
    )


def test_an_untaught_fix_and_a_reopened_problem_are_shown(kb: KnowledgeBase) -> None:
    solution = kb.of(Solution)["SOL-0007"].model_copy(
        update={
            "told": [],
            "recheck": Recheck(since=dt.date(2026, 11, 23), issue="ISS-0011", reason="又出现"),
        }
    )
    with speaking("zh"):
        markdown = render_solution(kb, solution)
    assert "| 最近复核 | **需复核**：ISS-0011 于 2026-11-23 再次出现 |" in markdown
    assert "## 宣导记录\n\n这个解决方案还没有向用户宣导。\n" in markdown
    assert "| 重复出现问题的根因 | 权限按人逐个手工配置" in markdown
    with speaking("en"):
        english = render_solution(kb, solution)
    assert "## Taught to users\n\nNobody has been told about this fix yet.\n" in english


def test_record_text_in_the_teaching_cannot_run_script(kb: KnowledgeBase) -> None:
    told = Told(
        on=dt.date(2026, 11, 20),
        audience=["sales-rep"],
        channel="mail",
        note='<script>alert(1)</script> <img src=x onerror="x()">',
    )
    solution = kb.of(Solution)["SOL-0007"].model_copy(update={"told": [told]})
    with speaking("zh"):
        markdown = render_solution(kb, solution)
    assert "<script" not in markdown
    assert "<img" not in markdown
