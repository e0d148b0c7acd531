"""Solution records (SOL-0001): the archived answer to one or more issues."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from crmkb.errors import RecordError
from crmkb.i18n import _
from crmkb.records.base import (
    MAX_ITEMS,
    MAX_TAGS,
    Date,
    Kind,
    PersonId,
    Record,
    Slug,
    Tag,
    Text,
    Title,
)
from crmkb.records.history import Entry
from crmkb.records.issue import IssueId
from crmkb.records.personal_data import AcceptedValue

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase


# Who was told about a fix: a role (sales-rep) or a person (P012).
Audience = Annotated[str, StringConstraints(pattern=r"^(P\d{3,}|[a-z][a-z0-9-]*)$")]
TrainingId = Annotated[str, StringConstraints(pattern=r"^TM-[A-Z]{2}-\d{2,}$")]


class _Part(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


class Told(_Part):
    """One time the fix was taught to its users (宣导)."""

    on: Date
    audience: list[Audience] = Field(min_length=1, max_length=MAX_ITEMS)
    channel: Literal["meeting", "mail", "training"]
    training: TrainingId | None = None  # the training module updated (channel: training)
    note: Text | None = None


class Recheck(_Part):
    """Set by `kb reopen`: a problem this solution fixed came back (需复核)."""

    since: Date
    issue: IssueId
    reason: Text


class Solution(Record):
    id: str = Field(pattern=r"^SOL-\d{4,}$")
    title: Title
    modules: list[Slug] = Field(min_length=1)
    issues: list[IssueId] = Field(default_factory=list)
    confidence: Literal["draft", "validated", "archived"] = "draft"
    published: Date | None = None
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    owner: PersonId | None = None  # keeps the article current (KCS)
    reviewed: Date | None = None  # last checked still right
    told: list[Told] = Field(default_factory=list, max_length=MAX_ITEMS)
    # The cause behind a cluster of recurring issues that this solution removes.
    root_cause: Text | None = None
    recheck: Recheck | None = None
    history: list[Entry] = Field(default_factory=list)
    # Values the personal-data warning accepts in this record (not a person's: a hotline).
    personal_data_ok: list[AcceptedValue] = Field(default_factory=list, max_length=MAX_ITEMS)


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.crm_module import CrmModule
    from crmkb.records.issue import Issue
    from crmkb.records.person import Person

    issues = kb.of(Issue)
    for solution in kb.of(Solution).values():
        if solution.owner:
            yield from kb.refs(solution, ("owner",), solution.owner, Person)
        for i, module in enumerate(solution.modules):
            yield from kb.refs(solution, ("modules", i), module, CrmModule)
        for i, issue_id in enumerate(solution.issues):
            issue = issues.get(issue_id)
            if issue is None:
                yield from kb.refs(solution, ("issues", i), issue_id, Issue)
            elif issue.solution != solution.id:
                yield solution.error(
                    ("issues", i),
                    f"{issue_id} does not name this solution; set `solution: {solution.id}` there",
                )
        yield from _teaching(kb, solution)
        if solution.confidence == "draft" and not has_steps(solution.body):
            message = (
                "this draft has no steps yet; write them under the steps heading "
                "(it is not published until it has them)"
            )
            yield solution.warning(("confidence",), message)


def _teaching(kb: KnowledgeBase, solution: Solution) -> Iterator[RecordError]:
    """Who was told (宣导) exists; a validated fix with a prevention note is taught in time;
    a solution whose problem came back (需复核) is reviewed."""
    from crmkb.records.person import Person
    from crmkb.records.role import Role
    from crmkb.records.training_module import TrainingModule

    for i, told in enumerate(solution.told):
        for j, who in enumerate(told.audience):
            model = Person if who.startswith("P") and who[1:].isdigit() else Role
            yield from kb.refs(solution, ("told", i, "audience", j), who, model)
        if told.training:
            yield from kb.refs(solution, ("told", i, "training"), told.training, TrainingModule)
        if told.on > kb.today:
            message = _("the date {date} it was taught on is in the future")
            yield solution.error(("told", i, "on"), message.format(date=told.on))
    since = solution.published
    late = since is not None and (kb.today - since).days > kb.config.teach_within_days
    untaught = solution.confidence == "validated" and late and not solution.told
    if untaught and prevention_note(solution.body):
        message = _(
            "validated on {date} with a prevention note, but nobody was told yet; "
            "record who was taught and how (kb solution teach)"
        )
        yield solution.warning(("confidence",), message.format(date=since))
    if solution.recheck is not None:
        message = _(
            "needs review: {issue} came back on {date}; check the steps still hold, "
            "then kb solution review"
        )
        found = solution.recheck
        yield solution.warning(("recheck",), message.format(issue=found.issue, date=found.since))


_PREVENTION_HEADING = re.compile(r"^##\s*(预防与宣导|Prevention and training)\s*$", re.MULTILINE)
_STEPS_HEADING = re.compile(r"^##\s*(解决步骤|Steps)\s*$", re.MULTILINE)


def has_steps(body: str) -> bool:
    """Whether the body's steps section holds more than the template's empty '1. '."""
    found = _STEPS_HEADING.search(body)
    if found is None:
        return False
    rest = body[found.end() :]
    section = rest.split("\n## ", 1)[0]
    words = re.sub(r"(?m)^\s*(\d+[.)]|[-*+])\s*", "", section)
    return bool(words.strip())


def prevention_note(body: str) -> str:
    """The text under the prevention heading (empty when there is none)."""
    found = _PREVENTION_HEADING.search(body)
    if found is None:
        return ""
    return body[found.end() :].split("\n## ", 1)[0].strip()


def publishable(solution: Solution) -> bool:
    """A draft with no steps yet stays off the site; every other solution is published."""
    return solution.confidence != "draft" or has_steps(solution.body)


def template(language: str) -> str:
    if language == "en":
        return "## Symptom\n\n\n\n## Cause\n\n\n\n## Steps\n\n1. \n\n## Prevention and training\n\n"
    return "## 现象\n\n\n\n## 原因\n\n\n\n## 解决步骤\n\n1. \n\n## 预防与宣导\n\n"


KIND = Kind(
    name="solution",
    model=Solution,
    directory="records/solutions",
    id_pattern=r"SOL-\d{4,}",
    markdown=True,
    prefix="SOL",
    title="解决方案",
    check=check,
    template=template,
    date_field="published",
)
