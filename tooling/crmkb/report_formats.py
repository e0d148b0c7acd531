"""The operation report as self-contained HTML (for mail) and as CSV, beside Markdown."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from crmkb.escape import spreadsheet_cell
from crmkb.report import Figures

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

_STYLE = (
    "body{font-family:sans-serif;max-width:56em;margin:2em auto;padding:0 1em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.3em .6em}"
    "th{background:#f3f3f3}td:last-child{text-align:right}figure{margin:1em 0}"
    "svg{max-width:100%;height:auto}"
)
_ALLOWED = {"h1", "h2", "h3", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td"}
_ALLOWED |= {"strong", "em", "code", "br", "figure"}
# Excel on a Chinese (or any non-UTF-8) Windows reads a CSV as UTF-8 only with this mark.
BOM = "\ufeff"


def html(kb: KnowledgeBase, fig: Figures) -> str:
    """One HTML file with no outside reference: record text escaped, charts inline SVG.

    The Markdown is escaped and rendered with charts as placeholders, the result is cleaned
    with nh3 as well (so no record text can add a tag, attribute or link), then the charts,
    which crmkb draws itself with every label escaped, take their placeholders' places.
    """
    import markdown
    import nh3

    from crmkb.report_render import markdown as report_markdown

    charts: dict[str, str] = {}

    def place(name: str, title: str, svg: str) -> str:
        charts[name] = svg
        return f"CRMKBCHART{name}CRMKBCHART"

    import html as escaping

    text = report_markdown(kb, fig, place)
    # Every record field in the report is already escaped for Markdown (crmkb.escape); nh3
    # below is the second line of defence.
    body = markdown.markdown(text, extensions=["tables"], output_format="html")
    safe = nh3.clean(body, tags=_ALLOWED, attributes={}, url_schemes=set(), link_rel=None)
    for name, svg in charts.items():
        safe = safe.replace(f"<p>CRMKBCHART{name}CRMKBCHART</p>", f"<figure>{svg}</figure>")
    title = text.splitlines()[0].lstrip("# ")

    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{escaping.escape(title)}</title><style>{_STYLE}</style></head>\n"
        f"<body>\n{safe}\n</body></html>\n"
    )


def csv_text(kb: KnowledgeBase, fig: Figures) -> str:
    """section,key,label,value rows: the summary figures, the breakdowns, the open issues."""
    from crmkb.labels import labels
    from crmkb.records.crm_module import CrmModule

    names = {m.id: m.name for m in kb.of(CrmModule).values()}
    words = labels(kb.config.language)
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")

    def write(row: list[object]) -> None:  # every text cell escaped, whoever wrote it
        writer.writerow([spreadsheet_cell(c) if isinstance(c, str) else c for c in row])

    write(["period", "section", "key", "label", "value"])
    p = fig.period.id
    summary = [
        ("reported", len(fig.reported)),
        ("resolved", len(fig.resolved)),
        ("open_at_end", len(fig.open)),
        ("duplicates", len(fig.duplicates)),
        ("declined", len(fig.declined)),
        ("sla_on_time", fig.sla_on_time),
        ("sla_judged", fig.sla_judged),
        ("median_working_days_to_resolve", fig.median_days if fig.median_days is not None else ""),
        ("changes_moved", len(fig.changes)),
        ("feedback_declined", len(fig.declined_feedback)),
    ]
    for key, value in summary:
        write([p, "summary", key, "", value])
    for module, count in sorted(fig.by_module.items()):
        write([p, "module", module, names.get(module, module), count])
    for cause, count in sorted(fig.by_cause.items()):
        write([p, "cause", cause, words.of("cause", cause), count])
    for issue in fig.open:
        write([p, "open", issue.id, issue.title, fig.state_at_end[issue.id]])
    return out.getvalue()
