"""Moving an issue one step along its lifecycle, editing its file (and its solution's) in place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from crmkb import roundtrip
from crmkb.errors import KbError, RecordError, RecordErrors, UsageError
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.base import Record
from crmkb.records.issue import TRANSITIONS, Issue
from crmkb.store import Change, writing

R = TypeVar("R", bound=Record)

# The command that enters each state: messages name commands, not only states.
COMMAND = {
    "investigating": "investigate",
    "escalated": "escalate",
    "proposed": "propose",
    "verifying": "verify",
    "resolved": "resolve",
    "duplicate": "duplicate",
    "declined": "decline",
}
ISSUE_ORDER = tuple(Issue.model_fields)


def load_for_edit(change: Change, record_id: str, model: type[R]) -> tuple[KnowledgeBase, R]:
    """The knowledge base and one record of it, refusing a record that fails validation now."""
    from crmkb.records import REGISTRY

    kb, found = change.checked()
    kind = REGISTRY.by_model[model]
    path = f"{kind.directory}/{record_id}{kind.suffix}"
    own = [e for e in found if e.path == path and e.severity == "error"]
    if own:
        note = RecordError(
            path, 1, 1, f"{record_id} has errors; fix them before editing it with kb"
        )
        raise RecordErrors([*own, note])
    record = kb.of(model).get(record_id)
    if record is None:
        raise UsageError(f"no {kind.name} {record_id!r}; see kb list {kind.name}")
    return kb, record


def check_date(on: dt.date, today: dt.date, previous: tuple[str, dt.date]) -> None:
    """Refuse a step dated in the future or before the step it follows."""
    if on > today:
        raise UsageError(
            f"--on {on} is in the future (today is {today}); date the step today or earlier"
        )
    if on < previous[1]:
        raise UsageError(
            f"--on {on} is before the {previous[0]} date {previous[1]}; "
            f"date this step on or after {previous[1]}"
        )


def legal_steps(status: str) -> str:
    nexts = TRANSITIONS[status]
    if not nexts:
        return "none: the issue is closed"
    return ", ".join(f"{state} (kb {COMMAND[state]})" for state in nexts)


@dataclass(frozen=True)
class Step:
    """What a lifecycle command asks for: the target state, its date and the fields it needs."""

    target: str
    on: dt.date
    cause: str | None = None
    solution: str | None = None
    new_solution_title: str | None = None
    duplicate_of: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Moved:
    issue: str
    before: str
    after: str
    on: dt.date
    written: tuple[str, ...]


def move(root: Path, today: dt.date, issue_id: str, step: Step) -> Moved:
    """Apply one lifecycle step to an issue; every file is either fully updated or untouched."""
    with writing(root, today) as change:
        kb, issue = load_for_edit(change, issue_id, Issue)
        if step.target not in TRANSITIONS[issue.status]:
            raise KbError(
                f"{issue.id} is '{issue.status}' and cannot move to '{step.target}'; "
                f"legal next steps: {legal_steps(issue.status)}"
            )
        state, when = issue.timeline()[-1]
        check_date(step.on, today, (state, when))
        _require_fields(kb, issue, step)
        matter = roundtrip.parse(root / issue.path, issue.path, change.read(issue.path))
        _edit_issue(matter.data, issue, step)
        if step.target == "resolved" and step.new_solution_title:
            _create_solution(change, kb, issue, step, matter)
        if step.target == "resolved" and step.solution:
            _link_solution(change, kb, issue, step.solution)
        if issue.solution and issue.solution != matter.data.get("solution"):
            _unlink_solution(change, kb, issue)
        change.write(issue.path, matter.render())
        written = change.commit()
    return Moved(issue.id, issue.status, step.target, step.on, tuple(written))


def _require_fields(kb: KnowledgeBase, issue: Issue, step: Step) -> None:
    from crmkb.records.solution import Solution

    if step.target == "resolved":
        if not (step.solution or step.new_solution_title):
            raise UsageError("kb resolve needs --solution SOL-… or --new-solution --title …")
        if step.solution and step.solution not in kb.of(Solution):
            raise UsageError(f"no solution {step.solution!r}; see kb list solution")
        if not (step.cause or issue.cause):
            raise UsageError(f"{issue.id} has no cause yet; pass --cause (e.g. --cause user_error)")
    if step.target == "duplicate":
        if step.duplicate_of == issue.id:
            raise UsageError(f"{issue.id} cannot be a duplicate of itself")
        if step.duplicate_of not in kb.of(Issue):
            raise UsageError(f"no issue {step.duplicate_of!r} to be a duplicate of")
    if step.target == "declined" and not (step.reason and step.reason.strip()):
        raise UsageError("kb decline needs --reason saying why the report is declined")


def _edit_issue(data: Any, issue: Issue, step: Step) -> None:
    order = ISSUE_ORDER
    roundtrip.put(data, "status", step.target, order)
    if "dates" in data and isinstance(data["dates"], dict):
        data["dates"][step.target] = step.on
    else:
        roundtrip.put(data, "dates", {step.target: step.on}, order)
    if step.target == "escalated":
        roundtrip.put(data, "handled_by", "consultant", order)
    if step.cause:
        roundtrip.put(data, "cause", step.cause, order)
    if step.solution:
        roundtrip.put(data, "solution", step.solution, order)
    if step.duplicate_of:
        roundtrip.put(data, "duplicate_of", step.duplicate_of, order)
    if step.reason:
        roundtrip.put(data, "decline_reason", step.reason.strip(), order)


def plain_data(matter: roundtrip.FrontMatter) -> dict[str, Any]:
    """The edited front matter as the record loader will read it back."""
    from crmkb.yamlfile import parse_yaml

    loaded = parse_yaml(roundtrip.merge(matter.yaml_text, matter.data), matter.display)
    return loaded if isinstance(loaded, dict) else {}


def _solution_matter(change: Change, kb: KnowledgeBase, solution_id: str) -> roundtrip.FrontMatter:
    from crmkb.records.solution import Solution

    solution = kb.of(Solution)[solution_id]
    return roundtrip.parse(change.root / solution.path, solution.path, change.read(solution.path))


def _link_solution(change: Change, kb: KnowledgeBase, issue: Issue, solution_id: str) -> None:
    from crmkb.records.solution import Solution

    matter = _solution_matter(change, kb, solution_id)
    listed = matter.data.get("issues")
    if listed is None:
        roundtrip.put(
            matter.data, "issues", roundtrip.flow_list([issue.id]), tuple(Solution.model_fields)
        )
    elif issue.id not in listed:
        listed.append(issue.id)
    change.write(matter.display, matter.render())


def _unlink_solution(change: Change, kb: KnowledgeBase, issue: Issue) -> None:
    """The solution the issue named before stops listing it (it now names another)."""
    from crmkb.records.solution import Solution

    if issue.solution not in kb.of(Solution):
        return
    matter = _solution_matter(change, kb, issue.solution or "")
    listed = matter.data.get("issues")
    if listed is not None and issue.id in listed:
        listed.remove(issue.id)
        change.write(matter.display, matter.render())


def _create_solution(
    change: Change, kb: KnowledgeBase, issue: Issue, step: Step, matter: roundtrip.FrontMatter
) -> None:
    """Create a draft solution for the issue and point the issue at it."""
    from crmkb.records import REGISTRY

    kind = REGISTRY["solution"]
    title = step.new_solution_title or ""

    def render(solution_id: str) -> str:
        front = roundtrip.yaml11_safe({"id": solution_id, "title": title, "confidence": "draft"})
        front.insert(2, "modules", roundtrip.flow_list([issue.module]))
        front.insert(3, "issues", roundtrip.flow_list([issue.id]))
        body = kind.template(kb.config.language) if kind.template else ""
        return f"---\n{roundtrip.merge('', front)}---\n\n{body}"

    solution_id, _ = change.create(kind, render)
    roundtrip.put(matter.data, "solution", solution_id, ISSUE_ORDER)
