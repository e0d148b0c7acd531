"""Listing pages that stay light at any size: the first rows as a table, all rows as data.

The page carries the first `SHOWN` rows as plain Markdown (readable without script) and links
to a JSON file holding every row. `assets/crmkb-list.js` loads that file when the reader starts
filtering, sorting or paging, and renders only the rows on screen. Cells are plain text; the
script builds links from the id with the column's URL pattern, so no record text is ever
parsed as HTML in the browser.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from crmkb.i18n import _
from crmkb.site.pages import urls
from crmkb.site.pages.common import table, text

SHOWN = 50


@dataclass(frozen=True)
class Column:
    key: str  # also the URL hash key for a preset filter: catalog/#module=应收与回款
    label: str  # marked with N_ where it is English, translated where shown
    target: str | None = None  # a urls.* function's result for "{}": the cell links there
    facet: bool = False  # filterable by a drop-down of its values
    numeric: bool = False


def site_path(md_path: str) -> str:
    """A docs-relative .md path as its site-relative directory URL (use_directory_urls)."""
    stem = md_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def listing(
    here: str, data_uri: str, columns: Sequence[Column], rows: Sequence[Sequence[str]]
) -> tuple[str, str]:
    """(Markdown for the page, JSON for `data_uri`) of one filterable, sortable list."""
    depth = data_uri.count("/")
    data = {
        "root": "../" * depth,
        "columns": [
            {
                "key": c.key,
                "label": _(c.label),
                "link": site_path(c.target) if c.target else None,
                "facet": c.facet,
                "numeric": c.numeric,
            }
            for c in columns
        ],
        "rows": [list(row) for row in rows],
    }
    shown = [cells(here, columns, row) for row in rows[:SHOWN]]
    note = f"显示前 {min(SHOWN, len(rows))} 条，共 {len(rows)} 条。" if len(rows) > SHOWN else ""
    # The data link is for assets/crmkb-list.js, not for the reader: the stylesheet hides it.
    label = _("every row, for the list controls")
    data_link = f"{note}[{label}]({urls.href(here, data_uri)}){{.crmkb-list-data}}\n"
    markdown = data_link + "\n" + table([_(c.label) for c in columns], shown)
    return markdown, json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def cells(here: str, columns: Sequence[Column], row: Sequence[str]) -> list[str]:
    """One row as Markdown table cells, linking the columns that have a target."""
    return [
        f"[{text(v)}]({urls.href(here, c.target.replace('{}', v))})"
        if c.target and v and v != "—"
        else text(v)
        for c, v in zip(columns, row, strict=True)
    ]
