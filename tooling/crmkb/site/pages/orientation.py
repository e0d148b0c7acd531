"""Where a record page sits (breadcrumb) and how a reader says it did not help (report form)."""

from __future__ import annotations

from urllib.parse import urlencode

from crmkb.intake_link import is_mailto, mailto, report_mail
from crmkb.knowledge_base import KnowledgeBase
from crmkb.site.pages import urls
from crmkb.site.pages.common import text

HOME = ("首页", urls.HOME)


def breadcrumb(here: str, *trail: tuple[str, str]) -> str:
    """A one-line trail of links from the home page to the page's parent list."""
    steps = [f"[{text(label)}]({urls.href(here, target)})" for label, target in (HOME, *trail)]
    return "》".join(steps) + "\n{.crmkb-breadcrumb}\n"


def feedback(kb: KnowledgeBase, record_id: str, title: str) -> str:
    """The "did this help?" line: opens the problem-report form with this page's id filled in."""
    form = kb.config.report_form
    if not form:
        return ""
    if is_mailto(form):
        subject, body = report_mail(
            kb.config.language, f"{record_id} {title}", _module_of(kb, record_id), record_id
        )
        link = mailto(form, subject, body)
    else:
        joiner = "&" if "?" in form else "?"
        query = urlencode({"record": record_id, "title": f"[问题] {record_id} {title}"[:200]})
        link = f"{form}{joiner}{query}"
    return f"[这篇有帮助吗？没解决？告诉我们]({link}){{.crmkb-feedback}}\n"


def _module_of(kb: KnowledgeBase, record_id: str) -> str:
    """The name of the module an issue or solution page is about ('' when none)."""
    from crmkb.records.crm_module import CrmModule
    from crmkb.records.issue import Issue
    from crmkb.records.solution import Solution

    issue = kb.of(Issue).get(record_id)
    solution = kb.of(Solution).get(record_id)
    module = issue.module if issue else solution.modules[0] if solution and solution.modules else ""
    found = kb.of(CrmModule).get(module)
    return found.name if found else module
