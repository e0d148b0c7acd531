"""Reverse links between records (issues per solution, duplicates, changes per issue).

Built once per knowledge base so that rendering 10,000 issue pages stays linear.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.change_request import ChangeRequest
from crmkb.records.issue import Issue


@dataclass
class Links:
    by_solution: dict[str, list[Issue]] = field(default_factory=lambda: defaultdict(list))
    duplicates: dict[str, list[Issue]] = field(default_factory=lambda: defaultdict(list))
    changes: dict[str, list[ChangeRequest]] = field(default_factory=lambda: defaultdict(list))


_last: list[tuple[KnowledgeBase, Links]] = []


def links(kb: KnowledgeBase) -> Links:
    """The reverse links of `kb`, computed on first use and reused for the same object."""
    if _last and _last[0][0] is kb:
        return _last[0][1]
    found = Links()
    for issue in sorted(kb.of(Issue).values(), key=lambda i: i.id):
        if issue.solution:
            found.by_solution[issue.solution].append(issue)
        if issue.duplicate_of:
            found.duplicates[issue.duplicate_of].append(issue)
    for change in sorted(kb.of(ChangeRequest).values(), key=lambda c: c.id):
        for issue_id in change.issues:
            found.changes[issue_id].append(change)
    _last[:] = [(kb, found)]
    return found
