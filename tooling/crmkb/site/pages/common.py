"""Markdown building blocks shared by the page modules: escaping, links, tables, labels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from crmkb.escape import clean_block, front_matter, markdown_inline, plain_title
from crmkb.i18n import _, speaking
from crmkb.knowledge_base import KnowledgeBase
from crmkb.labels import Labels, labels
from crmkb.records.certification import Certification
from crmkb.records.crm_module import CrmModule
from crmkb.records.person import Person
from crmkb.site.pages.urls import href

OPEN_STATUSES = ("reported", "investigating", "escalated", "proposed", "verifying")

# Every record field a page shows goes through this: see crmkb.escape.
text = markdown_inline


def lab(kb: KnowledgeBase) -> Labels:
    """State, severity, cause and role labels in the content language (crmkb.yml `language`)."""
    return labels(kb.config.language)


def link(source: str, target: str, label: str) -> str:
    return f"[{text(label)}]({href(source, target)})"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n" if len(lines) > 2 else "（暂无）\n"


def page(title: str, body: str, **meta: object) -> str:
    """A Markdown page with front matter; `meta` goes to page.meta (kind, keywords, search)."""
    front = front_matter({"title": plain_title(title), **meta})
    # Record bodies are in `body` verbatim: drop the control characters Markdown chokes on.
    return f"---\n{front}\n---\n\n# {text(title)}\n\n{clean_block(body).rstrip()}\n"


def record_meta(kind: str, keywords: Iterable[str]) -> dict[str, object]:
    """Front matter of a generated page: kept out of Material's own index (crmkb indexes it)."""
    return {"search": {"exclude": True}, "crmkb": {"kind": kind, "keywords": list(keywords)}}


def withheld(kb: KnowledgeBase) -> str:
    """What a public site shows where it would name a person (crmkb.yml `publish:`)."""
    with speaking(kb.config.language):  # the site's language, whatever the process speaks
        return _("(not published)")


def as_of(kb: KnowledgeBase) -> str:
    """The line a page with time-dependent state opens with: the day its data was true.

    `assets/crmkb-clock/clock.js` adds the reader's day and recomputes the deadlines."""
    day_text = kb.today.isoformat()
    with speaking(kb.config.language):
        words = text(_("Data as of {date}").format(date=day_text))
    return f'<p class="crmkb-asof"><time datetime="{day_text}">{words}</time></p>\n'


def person_name(kb: KnowledgeBase, person_id: str) -> str:
    if kb.config.publish.public:
        return withheld(kb)
    person = kb.of(Person).get(person_id)
    return f"{person.name}（{person_id}）" if person else person_id


def cert_name(kb: KnowledgeBase, cert_id: str) -> str:
    """A certification by its name; the id only where no record names it."""
    cert = kb.of(Certification).get(cert_id)
    return cert.name if cert else cert_id


def module_name(kb: KnowledgeBase, module_id: str) -> str:
    module = kb.of(CrmModule).get(module_id)
    return module.name if module else module_id


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"
