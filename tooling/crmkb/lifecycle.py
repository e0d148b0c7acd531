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
from crmkb.records.issue import TRANSITIONS, Issue, lifecycle_problems

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


def load_for_edit(
    root: Path, today: dt.date, record_id: str, model: type[R]
) -> tuple[KnowledgeBase, R]:
    """The knowledge base and one record of it, refusing a record that fails validation now."""
    from crmkb.knowledge_base import check
    from crmkb.records import REGISTRY

    kb, found = check(root, today=today, reuse_rules=True)  # the state before the edit
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
    kb, issue = load_for_edit(root, today, issue_id, Issue)
    if step.target not in TRANSITIONS[issue.status]:
        raise KbError(
            f"{issue.id} is '{issue.status}' and cannot move to '{step.target}'; "
            f"legal next steps: {legal_steps(issue.status)}"
        )
    state, when = issue.timeline()[-1]
    check_date(step.on, today, (state, when))
    _require_fields(kb, issue, step)
    matter = roundtrip.read(root / issue.path, issue.path)
    _edit_issue(matter.data, issue, step)
    if step.target == "resolved" and step.new_solution_title:
        return _resolve_new(root, kb, issue, step, matter)
    changes = [(matter, matter.render())]
    if step.target == "resolved" and step.solution:
        changes.append(_link_solution(root, kb, issue, step.solution))
    _validate(matter, today)
    roundtrip.write_all(changes)
    return Moved(issue.id, issue.status, step.target, step.on, tuple(m.display for m, _ in changes))


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


def _validate(matter: roundtrip.FrontMatter, today: dt.date) -> None:
    """A last guard: the edited front matter must itself be a valid issue."""
    from pydantic import ValidationError

    plain = plain_data(matter)
    try:
        edited = Issue.model_validate(plain)
    except ValidationError as exc:
        raise KbError(
            f"{matter.display} would become invalid: {exc}; nothing was changed"
        ) from None
    for _, message in lifecycle_problems(edited, today):
        raise KbError(f"{matter.display} would become invalid: {message}; nothing was changed")


def plain_data(matter: roundtrip.FrontMatter) -> dict[str, Any]:
    """The edited front matter as the record loader will read it back."""
    from crmkb.yamlfile import parse_yaml

    loaded = parse_yaml(roundtrip.merge(matter.yaml_text, matter.data), matter.display)
    return loaded if isinstance(loaded, dict) else {}


def _link_solution(
    root: Path, kb: KnowledgeBase, issue: Issue, solution_id: str
) -> tuple[roundtrip.FrontMatter, str]:
    from crmkb.records.solution import Solution

    solution = kb.of(Solution)[solution_id]
    matter = roundtrip.read(root / solution.path, solution.path)
    listed = matter.data.get("issues")
    if listed is None:
        roundtrip.put(
            matter.data, "issues", roundtrip.flow_list([issue.id]), tuple(Solution.model_fields)
        )
    elif issue.id not in listed:
        listed.append(issue.id)
    return matter, matter.render()


def _resolve_new(
    root: Path, kb: KnowledgeBase, issue: Issue, step: Step, matter: roundtrip.FrontMatter
) -> Moved:
    """Create a draft solution for the issue, then point the issue at it."""
    from crmkb.records import REGISTRY
    from crmkb.store import create_numbered

    kind = REGISTRY["solution"]
    title = step.new_solution_title or ""

    def render(solution_id: str) -> str:
        front = roundtrip.yaml11_safe({"id": solution_id, "title": title, "confidence": "draft"})
        front.insert(2, "modules", roundtrip.flow_list([issue.module]))
        front.insert(3, "issues", roundtrip.flow_list([issue.id]))
        body = kind.template(kb.config.language) if kind.template else ""
        return f"---\n{roundtrip.merge('', front)}---\n\n{body}"

    solution_id, path = create_numbered(root, kind, render)
    roundtrip.put(matter.data, "solution", solution_id, ISSUE_ORDER)
    try:
        _validate(matter, kb.today)
        roundtrip.write_all([(matter, matter.render())])
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    written = (matter.display, path.relative_to(root).as_posix())
    return Moved(issue.id, issue.status, step.target, step.on, written)
