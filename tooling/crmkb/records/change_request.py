"""Change requests (CR-0001): reason and goal, options, evaluation, decision, pilot, rollout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from crmkb.errors import RecordError
from crmkb.records.base import (
    MAX_ITEMS,
    Date,
    Flag,
    Kind,
    Number,
    PersonId,
    Record,
    Slug,
    Text,
    Title,
)
from crmkb.records.history import Entry
from crmkb.records.issue import IssueId
from crmkb.records.personal_data import AcceptedValue

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

Status = Literal[
    "requested",
    "options_proposed",
    "evaluated",
    "decided",
    "developing",
    "piloting",
    "rolled_out",
    "rejected",
]


class _Part(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class Option(_Part):
    key: Text
    summary: Text
    custom_development: Flag = False
    proposed: Date | None = None


class Evaluation(_Part):
    option: Text
    by: PersonId
    on: Date
    verdict: Literal["accept", "reject", "revise"]
    comment: Text | None = None


class Decision(_Part):
    option: Text | None = None
    on: Date
    by: PersonId
    note: Text | None = None


class Milestone(_Part):
    name: Text
    due: Date
    done: Date | None = None


class Development(_Part):
    cost: Number = Field(ge=0, le=1e12, allow_inf_nan=False)
    vendor: Text | None = None
    milestones: list[Milestone] = Field(default_factory=list)


class Pilot(_Part):
    users: list[PersonId] = Field(min_length=1)
    start: Date
    end: Date | None = None
    outcome: Text | None = None


class ChangeRequest(Record):
    id: str = Field(pattern=r"^CR-\d{4,}$")
    title: Title
    requester: PersonId
    requested: Date
    module: Slug
    status: Status = "requested"
    reason: Text | None = None
    goal: Text | None = None
    options: list[Option] = Field(default_factory=list)
    evaluations: list[Evaluation] = Field(default_factory=list)
    decision: Decision | None = None
    development: Development | None = None
    pilot: Pilot | None = None
    rollout: Date | None = None
    issues: list[IssueId] = Field(default_factory=list)
    owner: PersonId | None = None  # whose queue it is in (default: the module's owner)
    history: list[Entry] = Field(default_factory=list)
    # Values the personal-data warning accepts in this record (not a person's: a hotline).
    personal_data_ok: list[AcceptedValue] = Field(default_factory=list, max_length=MAX_ITEMS)

    @property
    def chosen(self) -> Option | None:
        if self.decision is None or self.decision.option is None:
            return None
        return next((o for o in self.options if o.key == self.decision.option), None)

    def late_milestones(self, today: dt.date) -> list[tuple[int, Milestone]]:
        """(position, milestone) of each milestone past due and not done while in development.

        The one rule for "overdue": `kb check` warns about these and the site flags them.
        """
        if self.development is None or self.status != "developing":
            return []
        return [
            (i, m)
            for i, m in enumerate(self.development.milestones)
            if m.done is None and m.due < today
        ]


def template(language: str) -> str:
    if language == "en":
        return "## Background\n\n\n\n## Notes\n\n"
    return "## 背景\n\n\n\n## 备注\n\n"


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records import change_stages
    from crmkb.records.crm_module import CrmModule
    from crmkb.records.issue import Issue
    from crmkb.records.person import Person

    for cr in kb.of(ChangeRequest).values():
        yield from kb.refs(cr, ("requester",), cr.requester, Person)
        yield from kb.refs(cr, ("module",), cr.module, CrmModule)
        if cr.owner:
            yield from kb.refs(cr, ("owner",), cr.owner, Person)
        for i, entry in enumerate(cr.history):
            if entry.by:
                yield from kb.refs(cr, ("history", i, "by"), entry.by, Person)
        for i, issue in enumerate(cr.issues):
            yield from kb.refs(cr, ("issues", i), issue, Issue)
        for i, ev in enumerate(cr.evaluations):
            yield from kb.refs(cr, ("evaluations", i, "by"), ev.by, Person)
        if cr.pilot:
            for i, user in enumerate(cr.pilot.users):
                yield from kb.refs(cr, ("pilot", "users", i), user, Person)
        for loc, message in change_stages.problems(cr, kb.today):
            yield cr.error(loc, message)
        for i, m in cr.late_milestones(kb.today):
            where = ("development", "milestones", i, "due")
            yield cr.warning(where, f"milestone '{m.name}' was due {m.due} and is not done")


KIND = Kind(
    name="change",
    model=ChangeRequest,
    directory="records/changes",
    id_pattern=r"CR-\d{4,}",
    markdown=True,
    prefix="CR",
    title="变更需求",
    check=check,
    template=template,
    date_field="requested",
)
