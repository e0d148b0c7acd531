"""Past issues and solutions like a new problem, so a duplicate is caught before it is filed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crmkb.records.issue import Issue
from crmkb.records.solution import Solution

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase
    from crmkb.search.index import SearchDoc

LIMIT = 5


@dataclass(frozen=True)
class Precedent:
    """One similar record: its id, kind, standing and title, and how well it matched."""

    id: str
    kind: str
    status: str
    title: str
    score: float
    solution: str | None = None  # for an issue: its solution, or the issue it duplicates


def documents(kb: KnowledgeBase) -> list[SearchDoc]:
    """Issues and solutions as search documents, with the site's own tokenizer behind them."""
    from crmkb.search.documents import symptom_of
    from crmkb.search.index import SearchDoc

    docs = [
        SearchDoc(i.id, i.title, i.body, "issue", (i.id, *i.tags), symptom_of(i.body))
        for i in kb.of(Issue).values()
    ]
    docs += [
        SearchDoc(s.id, s.title, s.body, "solution", (s.id, *s.tags))
        for s in kb.of(Solution).values()
    ]
    return docs


def similar(
    kb: KnowledgeBase, text: str, limit: int = LIMIT, exclude: frozenset[str] = frozenset()
) -> list[Precedent]:
    """The `limit` issues and solutions most like `text`, best first."""
    from crmkb.search.documents import synonyms_of
    from crmkb.search.similar import rank

    docs = [d for d in documents(kb) if d.location not in exclude]
    found = []
    for match in rank(text, docs, limit, synonyms_of(kb)):
        record = kb.get(match.doc.location)
        if isinstance(record, Issue):
            found.append(
                Precedent(
                    record.id,
                    "issue",
                    record.status,
                    record.title,
                    match.score,
                    record.solution or record.duplicate_of,
                )
            )
        elif isinstance(record, Solution):
            found.append(
                Precedent(record.id, "solution", record.confidence, record.title, match.score)
            )
    return found


def lines(found: list[Precedent]) -> list[str]:
    """One line per precedent: id, score, standing, title, and the solution an issue points to."""
    out = []
    for p in found:
        link = f"  -> {p.solution}" if p.solution else ""
        out.append(f"{p.id}  {p.score:5.2f}  {p.status:<9}  {p.title}{link}")
    return out
