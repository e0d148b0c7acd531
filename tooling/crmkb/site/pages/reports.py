"""Operation reports on the site: every week's and month's report, a trend chart, leaderboards.

Charts are SVG files generated at build time and shown as images (the page sanitiser keeps
<img> with a local src but not inline <svg>); nothing is fetched and no script runs.
"""

from __future__ import annotations

from crmkb.knowledge_base import KnowledgeBase
from crmkb.points import leaderboard, months_with_reports
from crmkb.report_render import all_figures, all_periods, trend, weekly_counts
from crmkb.site.pages.common import as_of

INDEX = "reports/index.md"
LEADERBOARD = "reports/leaderboard.md"


def render_reports(kb: KnowledgeBase) -> dict[str, str]:
    """reports/*.md pages plus the reports/charts/*.svg files they show."""
    files: dict[str, str] = {}

    def chart(name: str, title: str, svg: str) -> str:
        files[f"reports/charts/{name}.svg"] = svg
        return f"![{title}](charts/{name}.svg){{.crmkb-chart}}"

    counted = all_figures(kb)
    reports = all_periods(kb, chart, counted)
    for period_id, markdown in reports:
        files[f"reports/{period_id}.md"] = markdown
    counts = weekly_counts(kb, counted)
    files["reports/charts/trend.svg"] = trend(kb, counts)
    figures = [
        "| 周 | 日期 | 上报 | 解决 |",
        "|---|---|---:|---:|",
        *[f"| {p.id} | {p.start} 至 {p.end} | {r} | {d} |" for p, r, d in reversed(counts)],
    ]
    weeks = [p for p, _ in reports if "-W" in p]
    months = [p for p, _ in reports if "-W" not in p]
    lines = [
        "# 运行报告",
        "",
        as_of(kb),
        "周报和月报由问题、变更需求和反馈记录在构建时生成。",
        "",
        "![每周上报与解决：图下的表格列出同样的数字](charts/trend.svg){.crmkb-chart}",
        "",
        "### 每周上报与解决（数字）",
        "",
        *figures,
        "",
        "## 月报",
        "",
        *[f"- [{m}]({m}.md)" for m in reversed(months)],
        "",
        "## 周报",
        "",
        *[f"- [{w}]({w}.md)" for w in reversed(weeks)],
        "",
        "## 问题上报榜",
        "",
        "[每月问题上报积分榜](leaderboard.md)",
        "",
    ]
    files[INDEX] = "\n".join(lines)
    boards = [leaderboard(kb, month) for month in reversed(months_with_reports(kb))]
    files[LEADERBOARD] = "\n".join(["# 问题上报榜", "", *boards])
    return files
