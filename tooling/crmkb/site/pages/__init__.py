"""Page generation: pure functions from the knowledge base to Markdown, one module per kind."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from crmkb.i18n import speaking
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.solution import Solution, publishable
from crmkb.site.pages import urls
from crmkb.site.pages.catalog import render_catalog
from crmkb.site.pages.changes import render_change, render_change_log
from crmkb.site.pages.home import render_home
from crmkb.site.pages.issue import render_issue
from crmkb.site.pages.open_issues import render_open
from crmkb.site.pages.people import render_people
from crmkb.site.pages.reports import render_reports
from crmkb.site.pages.solution import render_solution, render_solutions_index
from crmkb.site.pages.training import render_module, render_tracks
from crmkb.training.pages import PROGRESS, REGISTER, render_progress, render_register

P = ParamSpec("P")
R = TypeVar("R")


def in_content_language(
    build: Callable[Concatenate[KnowledgeBase, P], R],
) -> Callable[Concatenate[KnowledgeBase, P], R]:
    """Pages speak the knowledge base's language (crmkb.yml `language`), whoever builds them."""

    @wraps(build)
    def built(kb: KnowledgeBase, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with speaking(kb.config.language):
            return build(kb, *args, **kwargs)

    return built


@in_content_language
def generate(kb: KnowledgeBase, reports: bool = True) -> dict[str, str]:
    """Every generated page: docs-relative path -> Markdown, in a stable order (without the
    reports when another process renders them)."""
    pages = {**listing_pages(kb), **(report_pages(kb) if reports else {})}
    for kind in RECORD_PAGES:
        pages.update(record_pages(kb, kind, list(kb.records.get(kind, {}))))
    return pages


def _audience(kb: KnowledgeBase, pages: dict[str, str]) -> dict[str, str]:
    """`pages` as the site's readers may see them (crmkb.yml `publish:`)."""
    if not kb.config.publish.public:
        return pages
    from crmkb.site.publish import public_sources

    return public_sources(kb, pages)


@in_content_language
def listing_pages(kb: KnowledgeBase) -> dict[str, str]:
    """The pages built from many records: home, lists, training tracks, people."""
    pages = {
        urls.HOME: render_home(kb),
        **render_catalog(kb),
        **render_solutions_index(kb),
        **render_open(kb),
        **render_change_log(kb),
        urls.TRAINING: render_tracks(kb),
        REGISTER: render_register(kb, kb.today),
        PROGRESS: render_progress(kb, kb.today),
        urls.PEOPLE: render_people(kb),
    }
    return _audience(kb, pages)


@in_content_language
def report_pages(kb: KnowledgeBase) -> dict[str, str]:
    """The operation reports, one per week and month, and their charts."""
    return _audience(kb, render_reports(kb))


# Record kind -> where its page goes and how it is rendered: one page per record.
RECORD_PAGES: dict[str, tuple[Callable[[str], str], Callable[[KnowledgeBase, Any], str]]] = {
    "issue": (urls.issue, render_issue),
    "solution": (urls.solution, render_solution),
    "change": (urls.change, render_change),
    "training": (urls.training, render_module),
}


@in_content_language
def record_pages(kb: KnowledgeBase, kind: str, ids: list[str]) -> dict[str, str]:
    """The pages of these records of one kind (ids without a record are left out)."""
    where, render = RECORD_PAGES[kind]
    bucket = kb.records.get(kind, {})
    shown = [i for i in ids if i in bucket and _published(bucket[i])]
    return _audience(kb, {where(i): render(kb, bucket[i]) for i in shown})


def _published(record: Any) -> bool:
    """An empty draft solution has no page until it has steps (kb solution validate)."""
    return not isinstance(record, Solution) or publishable(record)


# Pages that belong in the navigation sidebar; every other generated page is reached from them.
NAV = [
    ("首页", urls.HOME),
    ("已解决问题", urls.CATALOG),
    ("解决方案", urls.SOLUTIONS),
    ("未解决问题", urls.OPEN),
    ("变更需求", urls.CHANGES),
    ("培训课程", urls.TRAINING),
    ("人员与角色", urls.PEOPLE),
    ("运行报告", "reports/index.md"),
]
