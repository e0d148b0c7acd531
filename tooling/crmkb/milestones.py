"""Change-request milestones past their due date and not done: kb check, kb sla and the site
show them, by one rule (`ChangeRequest.late_milestones`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crmkb.records.change_request import ChangeRequest

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase


@dataclass(frozen=True)
class LateMilestone:
    cr_id: str
    title: str
    name: str
    due: dt.date
    days_late: int

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.cr_id,
            "title": self.title,
            "milestone": self.name,
            "due": str(self.due),
            "days_late": self.days_late,
        }


def overdue_milestones(kb: KnowledgeBase, owner: str | None = None) -> list[LateMilestone]:
    from crmkb.people_lookup import owner_of
    from crmkb.sla import kb_calendar

    calendar = kb_calendar(kb)
    found = []
    for cr in sorted(kb.of(ChangeRequest).values(), key=lambda c: c.id):
        if owner is not None and owner_of(kb, cr) != owner:
            continue
        for _, m in cr.late_milestones(kb.today):  # the rule kb check warns by
            late = max(1, calendar.between(m.due, kb.today))
            found.append(LateMilestone(cr.id, cr.title, m.name, m.due, late))
    return found
