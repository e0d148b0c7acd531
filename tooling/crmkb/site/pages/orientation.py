"""Where a record page sits (breadcrumb) and how a reader says it did not help (report form)."""

from __future__ import annotations

from urllib.parse import urlencode

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
    joiner = "&" if "?" in form else "?"
    query = urlencode({"record": record_id, "title": f"[问题] {record_id} {title}"[:200]})
    return f"[这篇有帮助吗？没解决？告诉我们]({form}{joiner}{query}){{.crmkb-feedback}}\n"
