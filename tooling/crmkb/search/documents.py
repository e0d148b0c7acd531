"""What the index knows about a record page beyond its rendered text: symptom, tags, synonyms."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crmkb.records.issue import Issue
from crmkb.records.solution import Solution
from crmkb.records.synonym import SynonymGroup
from crmkb.search.labels import issue_state, kind_label
from crmkb.search.synonyms import Synonyms

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

SYMPTOM_HEADINGS = ("现象", "現象", "symptom", "symptoms")
_SECTION = re.compile(r"^##\s+(.+?)\s*$", re.M)


def symptom_of(body: str) -> str:
    """The text of the body's 现象 (Symptom) section, or '' when it has none."""
    sections = _SECTION.split(body)
    for heading, text in zip(sections[1::2], sections[2::2], strict=True):
        if heading.strip().lower() in SYMPTOM_HEADINGS:
            return text.strip()
    return ""


def synonyms_of(kb: KnowledgeBase) -> Synonyms:
    return Synonyms.from_groups((g.id, g.words) for g in kb.of(SynonymGroup).values())


class RecordFacts:
    """The symptom field and result tags of record pages, from the loaded knowledge base.

    A solution's symptom holds its own and the titles of the issues it solves, so a query that
    finds a resolved issue finds its solution beside it.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.language = kb.config.language
        self.solved: dict[str, list[str]] = {}
        for issue in kb.of(Issue).values():
            if issue.solution:
                self.solved.setdefault(issue.solution, []).append(issue.title)

    def of(self, kind: str, record_id: str) -> tuple[str, tuple[str, ...]]:
        tags = (kind_label(kind, self.language),)
        issue = self.kb.of(Issue).get(record_id) if kind == "issue" else None
        if issue is not None:
            return symptom_of(issue.body), (*tags, issue_state(issue.status, self.language))
        solution = self.kb.of(Solution).get(record_id) if kind == "solution" else None
        if solution is not None:
            titles = " ".join(self.solved.get(solution.id, []))
            return f"{symptom_of(solution.body)} {titles}".strip(), tags
        return "", tags
