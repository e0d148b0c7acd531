"""The resolved-problem catalog: every resolved issue, browsable by module, cause and tag."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.crm_module import CrmModule
from crmkb.records.issue import Issue
from crmkb.records.solution import Solution
from crmkb.site.pages import urls
from crmkb.site.pages.common import (
    CAUSE,
    day,
    link,
    module_name,
    page,
    record_meta,
    table,
    text,
)

HEADERS = ["编号", "标题", "模块", "原因", "解决日期", "解决方案"]


def resolved(kb: KnowledgeBase) -> list[Issue]:
    """Resolved issues, most recently resolved first."""
    done = [i for i in kb.of(Issue).values() if i.status == "resolved"]
    return sorted(done, key=lambda i: (i.dates.get("resolved") or i.reported, i.id), reverse=True)


def _rows(kb: KnowledgeBase, here: str, issues: Iterable[Issue]) -> list[tuple[str, ...]]:
    solutions = kb.of(Solution)
    rows: list[tuple[str, ...]] = []
    for issue in issues:
        sol = solutions.get(issue.solution) if issue.solution else None
        rows.append(
            (
                link(here, urls.issue(issue.id), issue.id),
                text(issue.title),
                _grouped_link(
                    here,
                    urls.CATALOG_MODULES,
                    "module",
                    issue.module,
                    module_name(kb, issue.module),
                ),
                _grouped_link(
                    here,
                    urls.CATALOG_CAUSES,
                    "cause",
                    issue.cause or "",
                    CAUSE.get(issue.cause or "", "—"),
                )
                if issue.cause
                else "—",
                day(issue.dates.get("resolved")),
                link(here, urls.solution(sol.id), sol.id) if sol else "—",
            )
        )
    return rows


def _grouped_link(here: str, target: str, prefix: str, key: str, label: str) -> str:
    return f"[{text(label)}]({urls.href(here, target)}#{urls.anchor(prefix, key)})"


def _grouped(
    kb: KnowledgeBase,
    here: str,
    title: str,
    prefix: str,
    groups: dict[str, list[Issue]],
    label: Callable[[str], str],
) -> str:
    toc = " · ".join(
        f"[{text(label(key))}（{len(groups[key])}）](#{urls.anchor(prefix, key)})" for key in groups
    )
    parts = [f"[返回目录]({urls.href(here, urls.CATALOG)})　{toc}\n"]
    for key, issues in groups.items():
        parts.append(f"## {text(label(key))} {{#{urls.anchor(prefix, key)}}}\n")
        parts.append(table(HEADERS, _rows(kb, here, issues)))
    return page(title, "\n".join(parts), **record_meta("index", []))


def _tag_lists(here: str, tags: dict[str, list[Issue]]) -> str:
    """Each tag's issues as id links: an issue with many tags costs an id per tag, not a row.

    Repeating each issue's whole row under every tag made the page grow with tags x title.
    """
    toc = " · ".join(
        f"[{text(key)}（{len(items)}）](#{urls.anchor('tag', key)})" for key, items in tags.items()
    )
    parts = [f"[返回目录]({urls.href(here, urls.CATALOG)})　{toc}\n"]
    for key, items in tags.items():
        parts.append(f"## {text(key)} {{#{urls.anchor('tag', key)}}}\n")
        parts.append("、".join(link(here, urls.issue(i.id), i.id) for i in items) + "\n")
    return page("按标签", "\n".join(parts), **record_meta("index", []))


def render_catalog(kb: KnowledgeBase) -> dict[str, str]:
    """The catalog index plus its by-module, by-cause and by-tag pages."""
    done = resolved(kb)
    by_module: dict[str, list[Issue]] = defaultdict(list)
    by_cause: dict[str, list[Issue]] = defaultdict(list)
    by_tag: dict[str, list[Issue]] = defaultdict(list)
    for issue in done:
        by_module[issue.module].append(issue)
        by_cause[issue.cause or "unknown"].append(issue)
        for tag in issue.tags:
            by_tag[tag].append(issue)
    module_order = list(kb.of(CrmModule))
    modules = {
        k: by_module[k]
        for k in sorted(
            by_module,
            key=lambda m: (module_order.index(m) if m in module_order else len(module_order), m),
        )
    }
    causes = {k: by_cause[k] for k in [*CAUSE, "unknown"] if k in by_cause}
    tags = {k: by_tag[k] for k in sorted(by_tag, key=lambda t: (-len(by_tag[t]), t))}

    here = urls.CATALOG
    intro = (
        f"共 {len(done)} 个已解决的问题。按 "
        f"[CRM 模块]({urls.href(here, urls.CATALOG_MODULES)})、"
        f"[原因分类]({urls.href(here, urls.CATALOG_CAUSES)}) 或 "
        f"[标签]({urls.href(here, urls.CATALOG_TAGS)}) 浏览，或用右上角搜索。\n"
    )
    tag_cloud = " · ".join(
        _grouped_link(here, urls.CATALOG_TAGS, "tag", tag, f"{tag}（{len(items)}）")
        for tag, items in tags.items()
    )
    index = page(
        "已解决问题目录",
        intro
        + "\n**标签：** "
        + (tag_cloud or "（暂无）")
        + "\n\n"
        + table(HEADERS, _rows(kb, here, done)),
        **record_meta("index", []),
    )
    return {
        urls.CATALOG: index,
        urls.CATALOG_MODULES: _grouped(
            kb,
            urls.CATALOG_MODULES,
            "按 CRM 模块",
            "module",
            modules,
            lambda key: module_name(kb, key),
        ),
        urls.CATALOG_CAUSES: _grouped(
            kb,
            urls.CATALOG_CAUSES,
            "按原因分类",
            "cause",
            causes,
            lambda key: CAUSE.get(key, "待分析"),
        ),
        urls.CATALOG_TAGS: _tag_lists(urls.CATALOG_TAGS, tags),
    }
