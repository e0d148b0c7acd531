"""Page generation: pure functions from the knowledge base to Markdown, one module per kind."""

from __future__ import annotations

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.change_request import ChangeRequest
from crmkb.records.issue import Issue
from crmkb.records.solution import Solution
from crmkb.records.training_module import TrainingModule
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


def generate(kb: KnowledgeBase) -> dict[str, str]:
    """Every generated page: docs-relative path -> Markdown, in a stable order."""
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
        **render_reports(kb),
    }
    for issue in kb.of(Issue).values():
        pages[urls.issue(issue.id)] = render_issue(kb, issue)
    for solution in kb.of(Solution).values():
        pages[urls.solution(solution.id)] = render_solution(kb, solution)
    for change in kb.of(ChangeRequest).values():
        pages[urls.change(change.id)] = render_change(kb, change)
    for module in kb.of(TrainingModule).values():
        pages[urls.training(module.id)] = render_module(kb, module)
    return pages


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
