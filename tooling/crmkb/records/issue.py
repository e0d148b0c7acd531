"""Issue records (ISS-0001): one reported problem, its lifecycle and its cross-record rules."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints

from crmkb.errors import RecordError
from crmkb.records.base import (
    MAX_ITEMS,
    MAX_TAGS,
    PENDING_FILES,
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
from crmkb.records.personal_data import AcceptedValue

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
# The ways back to investigation (kb reject, kb reopen): they restart a pass, not a new state.
WAYS_BACK: dict[str, str] = {"verifying": "reject", "resolved": "reopen"}
STEP_ORDER: tuple[str, ...] = typing.get_args(Step)
CLOSED: frozenset[str] = frozenset({"resolved", "duplicate", "declined"})


class Issue(Record):
    id: IssueId
    title: Title
    reporter: PersonId
    # False: the reporter is only claimed (a mail the mail system did not vouch for); the
    # lead confirms or corrects it (true), and the report earns no points until then.
    reporter_confirmed: bool | None = None
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
    owner: PersonId | None = None  # whose queue it is in (default: the module's owner)
    # The latest day a rejected fix or a reopened problem went back to investigation.
    restarted: Date | None = None
    history: list[Entry] = Field(default_factory=list)
    # Values the personal-data warning accepts in this record (not a person's: a hotline).
    personal_data_ok: list[AcceptedValue] = Field(default_factory=list, max_length=MAX_ITEMS)

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

    def events(self) -> list[tuple[str, dt.date]]:
        """Every state entered, oldest first: earlier passes (from the history) and this one."""
        past = [(e.step, e.on) for e in self.history if e.step]
        merged = dict.fromkeys([*past, *self.timeline()])
        return sorted(merged, key=lambda ev: (ev[1], ev[0] != "reported"))

    def state_on(self, day: dt.date) -> str | None:
        """The status the issue had at the end of `day` (None: not reported yet)."""
        before = [state for state, when in self.events() if when <= day]
        return before[-1] if before else None


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
    if issue.status != "reported" and issue.status not in issue.dates:
        yield (
            ("status",),
            (
                f"status is '{issue.status}' but dates has no {issue.status}: add the day it "
                f"became {issue.status} (dates.{issue.status}: YYYY-MM-DD) or correct the status"
            ),
        )
    elif walk[-1] != issue.status:
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
    if issue.restarted is not None:
        if issue.restarted > today:
            yield ("restarted",), f"restarted date {issue.restarted} is in the future"
        if issue.restarted < issue.reported:
            yield ("restarted",), f"restarted date {issue.restarted} is before the report"


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.crm_module import CrmModule
    from crmkb.records.person import Person
    from crmkb.records.solution import Solution

    issues = kb.of(Issue)
    solutions = kb.of(Solution)
    for issue in issues.values():
        yield from kb.refs(issue, ("reporter",), issue.reporter, Person)
        yield from kb.refs(issue, ("module",), issue.module, CrmModule)
        if issue.owner:
            yield from kb.refs(issue, ("owner",), issue.owner, Person)
        for i, entry in enumerate(issue.history):
            if entry.by:
                yield from kb.refs(issue, ("history", i, "by"), entry.by, Person)
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
                original = issues.get(issue.duplicate_of)
                if original is not None and original.duplicate_of:
                    yield issue.error(
                        ("duplicate_of",),
                        f"{original.id} is itself a duplicate of {original.duplicate_of}; "
                        f"point duplicate_of at {original.duplicate_of}",
                    )
        for i, evidence in enumerate(issue.evidence):
            problem = evidence_problem(kb.root, evidence)
            if problem:
                yield issue.error(("evidence", i), problem)
    yield from _unlinked_evidence(kb, issues.values())
    from crmkb import recurring, sla  # warnings; `kb check --strict` fails on them

    yield from sla.check(kb)
    yield from recurring.check(kb)


def _unlinked_evidence(kb: KnowledgeBase, issues: Iterable[Issue]) -> Iterator[RecordError]:
    """A file in an issue's evidence folder that the issue does not list (e.g. left behind by
    a killed kb attach). Only for issues whose own evidence list is sound, so one mistake is
    reported once."""
    evidence = kb.root / "records/evidence"
    names: set[str] | None = set()
    try:  # one listing, rather than a stat per issue
        names = set(os.listdir(evidence))
    except (FileNotFoundError, NotADirectoryError):
        pass
    except OSError:  # unreadable: look each issue's folder up, as before
        names = None
    for issue in issues:
        if names is not None and issue.id not in names:
            continue
        folder = evidence / issue.id
        if not folder.is_dir():
            continue
        if any(evidence_problem(kb.root, e) for e in issue.evidence):
            continue
        for path in sorted(folder.iterdir()):
            shown = path.relative_to(kb.root).as_posix()
            usual = path.is_file() and not path.is_symlink()
            if usual and path.name.startswith(".") and path.name != ".gitkeep":
                message = (
                    "a hidden or temporary file (an interrupted write leaves one); it is never "
                    "published: delete it"
                )
                yield RecordError(shown, 1, 1, message, "warning")
            elif usual and shown not in issue.evidence:
                message = "no issue lists this evidence file; link it with kb attach or delete it"
                yield RecordError(shown, 1, 1, message, "warning")


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
    placed, removed = PENDING_FILES.get()
    if evidence in placed:
        return None  # a change checked before it writes the file (kb renumber moves evidence)
    if evidence in removed:
        return f"evidence file '{evidence}' does not exist; add it or fix the path"
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
