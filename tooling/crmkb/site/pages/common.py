"""Markdown building blocks shared by the page modules: escaping, links, tables, labels."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterable, Sequence

from crmkb.knowledge_base import KnowledgeBase
from crmkb.labels import Labels, labels
from crmkb.records.crm_module import CrmModule
from crmkb.records.person import Person
from crmkb.site.pages.urls import href

OPEN_STATUSES = ("reported", "investigating", "escalated", "proposed", "verifying")

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def lab(kb: KnowledgeBase) -> Labels:
    """State, severity, cause and role labels in the content language (crmkb.yml `language`)."""
    return labels(kb.config.language)


def text(value: object) -> str:
    """Inline-safe text: HTML escaped, Markdown specials and table pipes backslashed."""
    flat = " ".join(str(value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))


def plain_title(value: str) -> str:
    """A title safe for front matter and <title>, where escaping is not applied consistently."""
    return " ".join(value.replace("<", "‹").replace(">", "›").split())


def link(source: str, target: str, label: str) -> str:
    return f"[{text(label)}]({href(source, target)})"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n" if len(lines) > 2 else "（暂无）\n"


def page(title: str, body: str, **meta: object) -> str:
    """A Markdown page with front matter; `meta` goes to page.meta (kind, keywords, search)."""
    front = {"title": plain_title(title), **meta}
    # JSON is YAML, and dumping it is ~30x faster than yaml.safe_dump at 10k pages.
    dumped = json.dumps(front, ensure_ascii=False, sort_keys=True)
    return f"---\n{dumped}\n---\n\n# {text(title)}\n\n{body.rstrip()}\n"


def record_meta(kind: str, keywords: Iterable[str]) -> dict[str, object]:
    """Front matter of a generated page: kept out of Material's own index (crmkb indexes it)."""
    return {"search": {"exclude": True}, "crmkb": {"kind": kind, "keywords": list(keywords)}}


def person_name(kb: KnowledgeBase, person_id: str) -> str:
    person = kb.of(Person).get(person_id)
    return f"{person.name}（{person_id}）" if person else person_id


def module_name(kb: KnowledgeBase, module_id: str) -> str:
    module = kb.of(CrmModule).get(module_id)
    return module.name if module else module_id


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"
