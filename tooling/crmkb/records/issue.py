"""Issue records (ISS-0001): one reported problem, its lifecycle and its cross-record rules."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints

from crmkb.errors import RecordError
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

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase

IssueId = Annotated[str, StringConstraints(pattern=r"^ISS-\d{4,}$")]
SolutionRef = Annotated[str, StringConstraints(pattern=r"^SOL-\d{4,}$")]
Status = Literal[
    "reported",
    "investigating",
    "escalated",
    "proposed",
    "verifying",
    "resolved",
    "duplicate",
    "declined",
]
Step = Literal[
    "investigating", "escalated", "proposed", "verifying", "resolved", "duplicate", "declined"
]
Severity = Literal["low", "medium", "high", "critical"]
Cause = Literal[
    "system_defect",
    "configuration",
    "user_error",
    "process",
    "master_data",
    "training_gap",
    "requirement",
]

# Which states each state may move to. The side exits end the lifecycle like `resolved` does.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "reported": ("investigating", "duplicate", "declined"),
    "investigating": ("escalated", "verifying", "resolved", "duplicate", "declined"),
    "escalated": ("proposed", "declined"),
    "proposed": ("verifying",),
    "verifying": ("resolved",),
    "resolved": (),
    "duplicate": (),
    "declined": (),
}
STEP_ORDER: tuple[str, ...] = typing.get_args(Step)
CLOSED: frozenset[str] = frozenset({"resolved", "duplicate", "declined"})


class Issue(Record):
    id: IssueId
    title: Title
    reporter: PersonId
    reported: Date
    module: Slug
    severity: Severity
    cause: Cause | None = None
    status: Status = "reported"
    handled_by: Literal["internal", "consultant"] = "internal"
    dates: dict[Step, Date] = Field(default_factory=dict)
    solution: SolutionRef | None = None
    duplicate_of: IssueId | None = None
    decline_reason: Text | None = None
    workaround: Text | None = None  # what the user can do until it is fixed
    evidence: list[Text] = Field(default_factory=list, max_length=MAX_ITEMS)
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED

    @property
    def closed_on(self) -> dt.date | None:
        if self.status not in CLOSED:
            return None
        return self.dates.get(self.status)  # type: ignore[arg-type]

    def timeline(self) -> list[tuple[str, dt.date]]:
        """(state, date entered) from the report on, in lifecycle order."""
        steps = [(s, d) for s in STEP_ORDER if (d := self.dates.get(s))]  # type: ignore[call-overload]
        return [("reported", self.reported), *steps]


def lifecycle_problems(issue: Issue, today: dt.date) -> Iterator[tuple[tuple[str, ...], str]]:
    """Field path and message for each way the issue's dates and status disagree."""
    walk = [s for s, _ in issue.timeline()]
    for here, there in itertools.pairwise(walk):
        if there not in TRANSITIONS[here]:
            legal = ", ".join(TRANSITIONS[here]) or "none"
            yield (
                ("dates", there),
                f"'{here}' cannot move to '{there}' (legal next states: {legal})",
            )
    if walk[-1] != issue.status:
        yield (
            ("status",),
            (
                f"status is '{issue.status}' but the last dated step is '{walk[-1]}'; "
                f"add dates.{issue.status} or correct the status"
            ),
        )
    previous = ("reported", issue.reported)
    for state, when in issue.timeline():
        loc = ("reported",) if state == "reported" else ("dates", state)
        if when > today:
            yield loc, f"{state} date {when} is in the future (today is {today})"
        if when < previous[1]:
            yield loc, f"{state} date {when} is before the {previous[0]} date {previous[1]}"
        previous = (state, when)


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.crm_module import CrmModule
    from crmkb.records.person import Person
    from crmkb.records.solution import Solution

    issues = kb.of(Issue)
    solutions = kb.of(Solution)
    for issue in issues.values():
        yield from kb.refs(issue, ("reporter",), issue.reporter, Person)
        yield from kb.refs(issue, ("module",), issue.module, CrmModule)
        for loc, message in lifecycle_problems(issue, kb.today):
            yield issue.error(loc, message)
        yield from _closing_fields(issue)
        if issue.solution:
            yield from kb.refs(issue, ("solution",), issue.solution, Solution)
            solution = solutions.get(issue.solution)
            if solution is not None and issue.id not in solution.issues:
                yield issue.error(
                    ("solution",),
                    f"{issue.solution} does not list {issue.id} in its issues; add it there",
                )
        if issue.duplicate_of:
            if issue.duplicate_of == issue.id:
                yield issue.error(("duplicate_of",), "an issue cannot be a duplicate of itself")
            else:
                yield from kb.refs(issue, ("duplicate_of",), issue.duplicate_of, Issue)
        for i, evidence in enumerate(issue.evidence):
            problem = evidence_problem(kb.root, evidence)
            if problem:
                yield issue.error(("evidence", i), problem)
    from crmkb import sla  # overdue deadlines are warnings; `kb check --strict` fails on them

    yield from sla.check(kb)


def _closing_fields(issue: Issue) -> Iterator[RecordError]:
    if issue.status == "resolved":
        if not issue.solution:
            yield issue.error(("status",), "a resolved issue needs `solution: SOL-…`")
        if not issue.cause:
            yield issue.error(("status",), "a resolved issue needs a `cause`")
    if (issue.status == "duplicate") != (issue.duplicate_of is not None):
        where = ("duplicate_of",) if issue.duplicate_of else ("status",)
        yield issue.error(where, "`duplicate_of` is set exactly when status is 'duplicate'")
    if issue.status == "declined" and not issue.decline_reason:
        yield issue.error(("status",), "a declined issue needs a `decline_reason`")
    if "escalated" in issue.dates and issue.handled_by != "consultant":
        yield issue.error(("handled_by",), "an escalated issue is handled_by 'consultant'")


def evidence_problem(root: Path, evidence: str) -> str | None:
    """Why an evidence path is unacceptable, or None when it is a file inside the repository."""
    if any(ord(c) < 0x20 or c == "\x7f" for c in evidence):
        return f"evidence path {evidence!r} holds a control character; write the file's real path"
    candidate = Path(evidence)
    if candidate.is_absolute() or ".." in candidate.parts:
        return (
            f"evidence path '{evidence}' leaves the repository; use a path like records/evidence/…"
        )
    full = root / candidate
    try:
        resolved = full.resolve(strict=True)
    except PermissionError:
        return f"evidence file '{evidence}' cannot be read: a folder on its path is not readable"
    except (OSError, RuntimeError):
        return f"evidence file '{evidence}' does not exist; add it or fix the path"
    if not resolved.is_relative_to(root.resolve()):
        return (
            f"evidence path '{evidence}' points outside the repository (symlink); copy the file in"
        )
    if not resolved.is_file():
        return f"evidence path '{evidence}' is not a file"
    if not os.access(resolved, os.R_OK):
        return f"evidence file '{evidence}' cannot be read: permission denied"
    return None


def template(language: str) -> str:
    if language == "en":
        return (
            "## Symptom\n\n\n\n## Context and reproduction\n\n1. \n\n"
            "## Investigation\n\n\n\n## Workaround\n\n"
        )
    return "## 现象\n\n\n\n## 情景与复现\n\n1. \n\n## 原因分析\n\n\n\n## 临时办法\n\n"


KIND = Kind(
    name="issue",
    model=Issue,
    directory="records/issues",
    id_pattern=r"ISS-\d{4,}",
    markdown=True,
    prefix="ISS",
    title="问题",
    check=check,
    template=template,
    date_field="reported",
)
