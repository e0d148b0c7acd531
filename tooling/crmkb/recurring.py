"""Recurring problems: issues that keep coming back, grouped into clusters.

A cluster is `recurring.count` or more issues reported within `recurring.window_days` that
share their module and cause, or whose titles `kb similar`'s scoring finds alike (each issue's
score for another, relative to its score for itself, at least `recurring.similarity`). Duplicates
and declined reports are left out. A cluster has its root cause when a change request lists one
of its issues, or a solution with a `root_cause` lists one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crmkb.errors import RecordError
from crmkb.i18n import _, language
from crmkb.records.issue import Issue

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase


@dataclass(frozen=True)
class Cluster:
    issues: tuple[Issue, ...]  # oldest first
    module: str | None  # set when they share module and cause
    cause: str | None
    root_cause: str | None  # the change request or solution naming the cause, if any

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.issues]


def clusters(kb: KnowledgeBase, end: dt.date) -> list[Cluster]:
    """The clusters among issues reported in the window ending on `end`, oldest first."""
    window = kb.config.recurring
    start = end - dt.timedelta(days=window.window_days - 1)
    recent = sorted(
        (
            i
            for i in kb.of(Issue).values()
            if start <= i.reported <= end and i.status not in ("duplicate", "declined")
        ),
        key=lambda i: (i.reported, i.id),
    )
    found: list[Cluster] = []
    grouped: set[str] = set()
    by_cause: dict[tuple[str, str], list[Issue]] = {}
    for issue in recent:
        if issue.cause:
            by_cause.setdefault((issue.module, issue.cause), []).append(issue)
    for (module, cause), members in by_cause.items():
        if len(members) >= window.count:
            found.append(Cluster(tuple(members), module, cause, _root_cause(kb, members)))
            grouped.update(i.id for i in members)
    for members in _alike(kb, [i for i in recent if i.id not in grouped]):
        if len(members) >= window.count:
            found.append(Cluster(tuple(members), None, None, _root_cause(kb, members)))
    return sorted(found, key=lambda c: (c.issues[0].reported, c.issues[0].id))


def _alike(kb: KnowledgeBase, issues: list[Issue]) -> list[list[Issue]]:
    """Groups of issues alike in title: each issue, oldest first, with the later ones it and
    they both find alike (no chains: A like B and B like C does not make A like C)."""
    from crmkb.precedents import _doc
    from crmkb.search.documents import synonyms_of
    from crmkb.search.similar import rank

    if len(issues) < kb.config.recurring.count:
        return []
    docs = [_doc(i, "issue") for i in issues]
    synonyms = synonyms_of(kb)
    alike: dict[str, set[str]] = {}
    for issue in issues:
        matches = rank(issue.title, docs, len(docs), synonyms)
        own = next((m.score for m in matches if m.doc.location == issue.id), 0.0)
        threshold = own * kb.config.recurring.similarity
        alike[issue.id] = {m.doc.location for m in matches if own and m.score >= threshold}
    groups: list[list[Issue]] = []
    taken: set[str] = set()
    for issue in issues:
        if issue.id in taken:
            continue
        group = [
            other
            for other in issues
            if other.id not in taken and other.id in alike[issue.id] and issue.id in alike[other.id]
        ]
        if len(group) >= kb.config.recurring.count:
            groups.append(group)
            taken.update(i.id for i in group)
    return groups


def _root_cause(kb: KnowledgeBase, members: list[Issue]) -> str | None:
    from crmkb.records.change_request import ChangeRequest
    from crmkb.records.solution import Solution

    ids = {i.id for i in members}
    for cr in sorted(kb.of(ChangeRequest).values(), key=lambda c: c.id):
        if ids & set(cr.issues):
            return cr.id
    for solution in sorted(kb.of(Solution).values(), key=lambda s: s.id):
        if solution.root_cause and ids & set(solution.issues):
            return solution.id
    return None


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    """A warning on the latest issue of each cluster without a root cause (none on a write:
    warnings never decide one)."""
    from crmkb.records.base import LOCATE_WARNINGS

    if not LOCATE_WARNINGS.get():
        return
    for cluster in clusters(kb, kb.today):
        if cluster.root_cause:
            continue
        latest = cluster.issues[-1]
        yield latest.warning(("module",), describe(kb, cluster) + _("; ") + ask_root_cause())


def describe(kb: KnowledgeBase, cluster: Cluster) -> str:
    from crmkb.labels import labels

    days = kb.config.recurring.window_days
    ids = ", ".join(cluster.ids)
    if cluster.module and cluster.cause:
        cause = labels(language()).of("cause", cluster.cause)
        text = _(
            "recurring problem: {n} issues in module {module} with cause {cause} "
            "within {days} days ({ids})"
        )
        from crmkb.records.crm_module import CrmModule

        found = kb.of(CrmModule).get(cluster.module)
        module = found.name if found is not None else cluster.module
        return text.format(n=len(cluster.issues), module=module, cause=cause, days=days, ids=ids)
    text = _("recurring problem: {n} alike issues within {days} days ({ids})")
    return text.format(n=len(cluster.issues), days=days, ids=ids)


def ask_root_cause() -> str:
    return _(
        "find the root cause: link a change request to one of them, "
        "or give their solution a `root_cause`"
    )
