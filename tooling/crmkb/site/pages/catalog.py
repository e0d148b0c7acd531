"""The resolved-problem catalog: every resolved issue, browsable by module, cause and tag."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from urllib.parse import quote

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.crm_module import CrmModule
from crmkb.records.issue import Issue
from crmkb.records.solution import Solution, publishable
from crmkb.site.pages import urls
from crmkb.site.pages.common import (
    day,
    lab,
    module_name,
    page,
    record_meta,
    table,
    text,
)
from crmkb.site.pages.listing import Column, cells, listing
from crmkb.site.pages.orientation import breadcrumb

GROUP_SHOWN = 10  # rows per module or cause; the rest are a filtered catalog away
TAG_SHOWN = 5  # tags are many: a few lines each keeps the tags page light
TAGS_PER_LINE = 10  # links in one paragraph of the tag cloud
DATA = "catalog/rows.json"


def resolved(kb: KnowledgeBase) -> list[Issue]:
    """Resolved issues, most recently resolved first."""
    done = [i for i in kb.of(Issue).values() if i.status == "resolved"]
    return sorted(done, key=lambda i: (i.dates.get("resolved") or i.reported, i.id), reverse=True)


def columns() -> list[Column]:
    return [
        Column("id", "编号", urls.issue("{}")),
        Column("title", "标题"),
        Column("module", "模块", facet=True),
        Column("cause", "原因", facet=True),
        Column("severity", "严重程度", facet=True),
        Column("tags", "标签"),
        Column("resolved", "解决日期"),
        Column("solution", "解决方案", urls.solution("{}")),
    ]


def _row(kb: KnowledgeBase, issue: Issue) -> list[str]:
    labels = lab(kb)
    return [
        issue.id,
        issue.title,
        module_name(kb, issue.module),
        labels.of("cause", issue.cause),
        labels.of("severity", issue.severity),
        "、".join(issue.tags),
        day(issue.dates.get("resolved")),
        _published_solution(kb, issue) or "—",
    ]


def _published_solution(kb: KnowledgeBase, issue: Issue) -> str | None:
    """The issue's solution id, unless it is an empty draft the site does not publish."""
    found = kb.of(Solution).get(issue.solution) if issue.solution else None
    return found.id if found and publishable(found) else None


def _grouped(
    kb: KnowledgeBase,
    here: str,
    title: str,
    groups: dict[str, list[Issue]],
    label: Callable[[str], str],
    facet: tuple[str, str],
) -> str:
    """One section per group with its latest rows; `facet` is (anchor prefix, column key)."""
    prefix = facet[0]
    toc = " · ".join(
        f"[{text(label(key))}（{len(groups[key])}）](#{urls.anchor(prefix, key)})" for key in groups
    )
    parts = [breadcrumb(here, ("已解决问题", urls.CATALOG)), toc + "\n"]
    cols = columns()
    for key, issues in groups.items():
        parts.append(f"## {text(label(key))} {{#{urls.anchor(prefix, key)}}}\n")
        rows = [_row(kb, i) for i in issues[:GROUP_SHOWN]]
        parts.append(table([c.label for c in cols], [cells(here, cols, r) for r in rows]))
        if len(issues) > GROUP_SHOWN:
            query = f"{facet[1]}={quote(label(key))}"
            everything = f"{urls.href(here, urls.CATALOG)}#{query}"
            parts.append(f"[查看全部 {len(issues)} 个 →]({everything})\n")
    return page(title, "\n".join(parts), **record_meta("index", []))


def _tag_lists(here: str, tags: dict[str, list[Issue]]) -> str:
    """Each tag's latest issues as linked id and title, never whole rows, then a link to all.

    Repeating each issue's whole row under every tag made the page grow with tags x title;
    capping the lines per tag keeps it light however many issues a tag has.
    """
    links = [
        f"[{text(key)}（{len(items)}）](#{urls.anchor('tag', key)})" for key, items in tags.items()
    ]
    # A few links per paragraph: Python-Markdown matches brackets in time quadratic in one
    # paragraph's links, so one line of every tag took minutes at a thousand tags.
    lines = [" · ".join(links[i : i + TAGS_PER_LINE]) for i in range(0, len(links), TAGS_PER_LINE)]
    parts = [breadcrumb(here, ("已解决问题", urls.CATALOG)), "\n\n".join(lines) + "\n"]
    for key, items in tags.items():
        parts.append(f"## {text(key)} {{#{urls.anchor('tag', key)}}}\n")
        parts += [
            f"- [{text(i.id)}]({urls.href(here, urls.issue(i.id))}) {text(i.title)}"
            for i in items[:TAG_SHOWN]
        ]
        if len(items) > TAG_SHOWN:
            everything = f"{urls.href(here, urls.CATALOG)}#q={quote(key)}"
            parts.append(f"\n[查看全部 {len(items)} 个 →]({everything})")
        parts.append("")
    return page("按标签", "\n".join(parts), **record_meta("index", []))


def render_catalog(kb: KnowledgeBase) -> dict[str, str]:
    """The catalog index plus its by-module, by-cause and by-tag pages, and the rows as data."""
    done = resolved(kb)
    by_module: dict[str, list[Issue]] = defaultdict(list)
    by_cause: dict[str, list[Issue]] = defaultdict(list)
    by_tag: dict[str, list[Issue]] = defaultdict(list)
    for issue in done:
        by_module[issue.module].append(issue)
        by_cause[issue.cause or "unknown"].append(issue)
        for tag in dict.fromkeys(issue.tags):
            by_tag[tag].append(issue)
    module_order = {m: n for n, m in enumerate(kb.of(CrmModule))}
    modules = {
        k: by_module[k]
        for k in sorted(by_module, key=lambda m: (module_order.get(m, len(module_order)), m))
    }
    labels = lab(kb)
    causes = {k: by_cause[k] for k in [*labels.cause, "unknown"] if k in by_cause}
    tags = {k: by_tag[k] for k in sorted(by_tag, key=lambda t: (-len(by_tag[t]), t))}

    here = urls.CATALOG
    intro = (
        f"共 {len(done)} 个已解决的问题。按 "
        f"[CRM 模块]({urls.href(here, urls.CATALOG_MODULES)})、"
        f"[原因分类]({urls.href(here, urls.CATALOG_CAUSES)}) 或 "
        f"[标签]({urls.href(here, urls.CATALOG_TAGS)}) 浏览，或在下方筛选、排序。\n"
    )
    markdown, data = listing(here, DATA, columns(), [_row(kb, i) for i in done])
    index = page("已解决问题目录", intro + "\n" + markdown, **record_meta("index", []))
    return {
        urls.CATALOG: index,
        DATA: data,
        urls.CATALOG_MODULES: _grouped(
            kb,
            urls.CATALOG_MODULES,
            "按 CRM 模块",
            modules,
            lambda key: module_name(kb, key),
            ("module", "module"),
        ),
        urls.CATALOG_CAUSES: _grouped(
            kb,
            urls.CATALOG_CAUSES,
            "按原因分类",
            causes,
            lambda key: labels.of("cause", None if key == "unknown" else key),
            ("cause", "cause"),
        ),
        urls.CATALOG_TAGS: _tag_lists(urls.CATALOG_TAGS, tags),
    }
