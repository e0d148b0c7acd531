"""Solution records (SOL-0001): the archived answer to one or more issues."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from crmkb.errors import RecordError
from crmkb.records.base import MAX_ITEMS, MAX_TAGS, Date, Kind, PersonId, Record, Slug, Tag, Title
from crmkb.records.history import Entry
from crmkb.records.issue import IssueId
from crmkb.records.personal_data import AcceptedValue

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase


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
        if solution.confidence == "draft" and not has_steps(solution.body):
            message = (
                "this draft has no steps yet; write them under the steps heading "
                "(it is not published until it has them)"
            )
            yield solution.warning(("confidence",), message)


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
