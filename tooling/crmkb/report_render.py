"""Operation reports as Markdown (with inline SVG charts), for `kb report` and the site."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from crmkb import charts
from crmkb.escape import markdown_inline as md
from crmkb.labels import Labels, labels
from crmkb.records.crm_module import CrmModule
from crmkb.report import Cadence, Figures, Period, figures, periods
from crmkb.sla import kb_calendar

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

CADENCE_NAMES = {"weekly": "周报", "monthly": "月报"}
# Report labels not in the tables above, in one place so a labels module can replace them.
LABELS = {
    "duplicates": "重复上报（已合并）",
    "declined": "不予处理",
}
# How a chart lands in the Markdown: given (name, title, svg), the text to insert.
Chart = Callable[[str, str, str], str]


def inline(name: str, title: str, svg: str) -> str:
    """Inline SVG, for a standalone report file."""
    return svg


def markdown(kb: KnowledgeBase, fig: Figures, chart: Chart | None = inline) -> str:
    """The report; `chart` places each chart (None leaves charts out)."""
    names = {m.id: m.name for m in kb.of(CrmModule).values()}
    p = fig.period
    lines = [
        f"# 运行{CADENCE_NAMES[p.cadence]} {p.id}",
        "",
        f"统计期间 {p.start} 至 {p.end}（数据截至 {fig.as_of}）。",
        "",
        "## 概况",
        "",
        "| 指标 | 数值 |",
        "|---|---:|",
        f"| 新上报问题 | {len(fig.reported)} |",
        f"| 已解决问题 | {len(fig.resolved)} |",
        f"| 期末未关闭问题 | {len(fig.open)} |",
        f"| {LABELS['duplicates']} | {len(fig.duplicates)} |",
        f"| {LABELS['declined']} | {len(fig.declined)} |",
        f"| SLA 达成率 | {_sla(fig)} |",
        f"| 解决用时中位数（工作日） | {_median(fig)} |",
        f"| 操作失误占比 | {_share(fig)} |",
        f"| 推进的变更需求 | {len(fig.changes)} |",
        f"| 驳回的不合理反馈 | {len(fig.declined_feedback)} |",
        "",
    ]
    if fig.sla_missed:
        lines += [f"未按时响应：{md(', '.join(fig.sla_missed))}。", ""]
    lines += _breakdown("按模块", [(names.get(m, m), n) for m, n in _ranked(fig.by_module)])
    if chart and fig.by_module:
        rows = [(names.get(m, m), n) for m, n in _ranked(fig.by_module)]
        lines += [chart("modules", "问题数 · 按模块", charts.bars("问题数 · 按模块", rows)), ""]
    words = labels(kb.config.language)
    causes = [(words.of("cause", c), n) for c, n in _ranked(fig.by_cause)]
    lines += _breakdown("按原因", causes)
    if chart and fig.by_cause:
        lines += [chart("causes", "问题数 · 按原因", charts.bars("问题数 · 按原因", causes)), ""]
    lines += _training(fig, names)
    lines += _changes(fig, words.change_status)
    lines += _feedback(fig)
    lines += _open_list(fig, words)
    lines += _expiring(fig)
    from crmkb.oversight import sections

    lines += sections(kb, fig.as_of)
    return "\n".join(lines).rstrip() + "\n"


def _expiring(fig: Figures) -> list[str]:
    if fig.period.cadence != "weekly":
        return []
    lines = ["## 30 天内到期的上岗证", ""]
    if not fig.expiring:
        return [*lines, "无。", ""]
    lines += [
        f"- {md(who)} {md(cert)}：{expires} 到期，请安排复训考试"
        for who, cert, expires in fig.expiring
    ]
    return [*lines, ""]


def _ranked(counter: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def _sla(fig: Figures) -> str:
    percent = fig.sla_percent
    if percent is None:
        return "—（本期无到期的时限）"
    return f"{percent:.0f}%（{fig.sla_on_time}/{fig.sla_judged}）"


def _median(fig: Figures) -> str:
    median = fig.median_days
    return "—" if median is None else f"{median:g}"


def _share(fig: Figures) -> str:
    errors, known = fig.user_error_share
    return "—" if not known else f"{100 * errors / known:.0f}%（{errors}/{known}）"


def _breakdown(title: str, rows: list[tuple[str, int]]) -> list[str]:
    lines = [f"## 问题{title}", ""]
    if not rows:
        return [*lines, "本期无新上报问题。", ""]
    lines += [f"| {title[1:]} | 问题数 |", "|---|---:|"]
    lines += [f"| {md(label)} | {count} |" for label, count in rows]
    return [*lines, ""]


def _training(fig: Figures, names: dict[str, str]) -> list[str]:
    lines = ["## 培训需求", ""]
    if not fig.training_modules:
        return [*lines, "本期没有因操作失误或培训缺失引起的问题。", ""]
    lines += ["| 模块 | 操作失误/培训缺失 | 培训课程 |", "|---|---:|---|"]
    for module, count in _ranked(fig.training_modules):
        course = "**缺少培训课程**" if module in fig.untrained else "已有"
        lines.append(f"| {md(names.get(module, module))} | {count} | {course} |")
    return [*lines, ""]


def _changes(fig: Figures, states: dict[str, str]) -> list[str]:
    lines = ["## 变更需求进展", ""]
    if not fig.changes:
        return [*lines, "本期没有变更需求推进。", ""]
    for moved in fig.changes:
        events = "，".join(f"{label} {day}" for label, day in moved.events)
        state = states.get(moved.status, moved.status)
        lines.append(f"- {md(moved.id)} {md(moved.title)}：{events}（期末：{md(state)}）")
    return [*lines, ""]


def _feedback(fig: Figures) -> list[str]:
    lines = ["## 驳回的不合理反馈", ""]
    if not fig.declined_feedback:
        return [*lines, "本期没有驳回的反馈。", ""]
    for fb in fig.declined_feedback:
        lines.append(
            f"- {md(fb.id)} {md(fb.summary)}（{md(fb.person)}，{fb.received}）：{md(fb.response)}"
        )
    return [*lines, ""]


def _open_list(fig: Figures, words: Labels) -> list[str]:
    lines = ["## 期末未关闭问题", ""]
    if not fig.open:
        return [*lines, "无。", ""]
    lines += [
        f"- {md(i.id)} {md(i.title)}（{md(words.of('status', fig.state_at_end[i.id]))}，"
        f"严重程度{md(words.of('severity', i.severity))}）"
        for i in fig.open
    ]
    return [*lines, ""]


def report(kb: KnowledgeBase, when: Period, with_charts: bool = True) -> str:
    return markdown(kb, figures(kb, when), inline if with_charts else None)


def all_figures(kb: KnowledgeBase) -> list[Figures]:
    """Every week's and month's figures, weeks first, oldest first: counted once, shared by
    the reports and the trend chart (counting is most of the site's page generation)."""
    calendar = kb_calendar(kb)
    cadences: tuple[Cadence, ...] = ("weekly", "monthly")
    return [figures(kb, p, calendar) for cadence in cadences for p in periods(kb, cadence)]


def all_periods(
    kb: KnowledgeBase, chart: Chart | None = inline, counted: list[Figures] | None = None
) -> list[tuple[str, str]]:
    """Every week's and month's report, (period id, Markdown), weeks first, oldest first.

    `chart` gets a name unique within one report; a site writing SVG files should prefix it
    with the period id. `counted` is `all_figures(kb)`, when the caller has it already.
    """
    found = []
    for fig in all_figures(kb) if counted is None else counted:
        place = None if chart is None else _for_period(chart, fig.period.id)
        found.append((fig.period.id, markdown(kb, fig, place)))
    return found


def _for_period(chart: Chart, period_id: str) -> Chart:
    def place(name: str, title: str, svg: str) -> str:
        return chart(f"{period_id}-{name}", title, svg)

    return place


def weekly_counts(
    kb: KnowledgeBase, counted: list[Figures] | None = None
) -> list[tuple[Period, int, int]]:
    """(week, reported, resolved) for every week with records, oldest first."""
    if counted is None:
        calendar = kb_calendar(kb)
        counted = [figures(kb, p, calendar) for p in periods(kb, "weekly")]
    weeks = [f for f in counted if f.period.cadence == "weekly"]
    return [(f.period, len(f.reported), len(f.resolved)) for f in weeks]


def week_label(week: Period) -> str:
    """A week on the time axis: its number and the date it starts, e.g. "W47 11-16"."""
    return f"{week.id[-3:]} {week.start:%m-%d}"


def trend(kb: KnowledgeBase, counts: list[tuple[Period, int, int]] | None = None) -> str:
    """Reported vs resolved per week, as one SVG chart, for the reports index page."""
    counts = weekly_counts(kb) if counts is None else counts
    return charts.paired_bars(
        "每周上报与解决（问题数）",
        [week_label(p) for p, _, _ in counts],
        ("上报", [r for _, r, _ in counts]),
        ("解决", [d for _, _, d in counts]),
    )
