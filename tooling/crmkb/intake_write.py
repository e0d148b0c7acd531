"""Writing intake problems as new issue records with their evidence, in one change."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crmkb import roundtrip
from crmkb.errors import UsageError
from crmkb.i18n import _
from crmkb.intake import Problem, Report, assign_files

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase


@dataclass(frozen=True)
class Created:
    id: str
    title: str
    path: str
    evidence: tuple[str, ...]
    reporter: str = ""
    confirmed: bool = True  # False: the reporter is a claim the lead confirms


@dataclass(frozen=True)
class Intake:
    """What one report created, and what it refused (problems past the cap)."""

    created: list[Created]
    refused: list[str]


def create_issues(
    root: Path,
    today: dt.date,
    report: Report,
    source: str,
    reporter_of: Callable[[KnowledgeBase], tuple[str, bool]] | None = None,
) -> Intake:
    """One issue per problem, evidence copied; all or nothing.

    The reporter is `reporter_of(kb)` (the person, and whether that is confirmed), or by
    default the person with the sender's email, confirmed when the mail was verified.
    A report already taken in (the same `report.key`, else the same `source`) is refused;
    problems past `intake.max_problems` are refused, each named, and the rest are created.
    """
    from crmkb.evidence import check_file
    from crmkb.people_lookup import module_id, owner_of
    from crmkb.records import REGISTRY
    from crmkb.store import writing
    from crmkb.writes import commit

    if report.reported > today:
        raise UsageError(
            _("the report is dated {day}, after today ({today})").format(
                day=report.reported, today=today
            )
        )
    files = assign_files(report)
    kind = REGISTRY["issue"]
    made: list[Created] = []
    with writing(root, today) as change:
        kb, _unused = change.checked()
        taken, refused = _capped(report, kb.config.intake.max_problems)
        for number in taken:
            for name in files[number]:
                check_file(name, report.files[name])
        if report.key:
            source = f"{source} <{report.key}>"
        _not_taken_in(kb, source, report.key)
        reporter, confirmed = (reporter_of or _by_sender(report))(kb)
        new_files: list[tuple[Path, bytes]] = []
        for problem in report.problems[: len(taken)]:
            if not problem.module:
                raise UsageError(
                    _("problem {number} names no module; add 模块：…").format(number=problem.number)
                )
            try:
                module = module_id(kb, problem.module)
            except UsageError as exc:
                raise UsageError(
                    _("problem {number}: {error}").format(number=problem.number, error=exc)
                ) from None
            draft = _Draft(root, problem, module, files[problem.number], report, source)
            draft.owner = owner_of(kb, draft)
            draft.reporter, draft.confirmed = reporter, confirmed
            draft.language = kb.config.language
            issue_id, path = change.create(kind, draft.render)
            pairs = zip(draft.paths, draft.shots, strict=True)
            new_files += [(root / p, report.files[s]) for p, s in pairs]
            shown, paths = change.shown(path), tuple(draft.paths)
            made.append(Created(issue_id, problem.title, shown, paths, reporter, confirmed))
        if made:
            commit(change, new_files)
    return Intake(made, refused)


def _capped(report: Report, cap: int) -> tuple[list[int], list[str]]:
    """The problems one report may create, and the refusal of the rest."""
    numbers = [p.number for p in report.problems]
    if len(numbers) <= cap:
        return numbers, []
    first, last = numbers[cap], numbers[-1]
    span = str(first) if first == last else f"{first}–{last}"
    return numbers[:cap], [
        _(
            "problems {span} were not taken in: one mail creates at most {cap} issues "
            "(intake.max_problems in crmkb.yml); send them in another mail"
        ).format(span=span, cap=cap)
    ]


_MARK = re.compile(r"<([^<>]*)>\s*$")


def _not_taken_in(kb: KnowledgeBase, source: str, key: str) -> None:
    """Refuse a report already taken in (the same mail or form twice): its source is noted,
    ending in its key; keys are compared as `same_mail_key` normalises them."""
    from crmkb.records.issue import Issue

    for issue in kb.of(Issue).values():
        if not issue.history:
            continue
        first = issue.history[0].text
        mark = _MARK.search(first)
        seen = re.sub(r"[\s<>]+", "", mark.group(1)).lower() if mark else None
        if first == source or (key and seen == key):
            raise UsageError(
                _("this report was already taken in as {id}; nothing was written").format(
                    id=issue.id
                )
            )


def _by_sender(report: Report) -> Callable[[KnowledgeBase], tuple[str, bool]]:
    def find(kb: KnowledgeBase) -> tuple[str, bool]:
        from crmkb.identity import by_email

        found = by_email(kb, report.sender)
        if found is None:
            raise UsageError(
                _("no person has the email {address}; add it to records/people.yml").format(
                    address=report.sender
                )
            )
        return found, report.verified

    return find


@dataclass
class _Draft:
    """One problem on its way to a record: rendered once the change gives it an id."""

    root: Path
    problem: Problem
    module: str
    shots: list[str]
    report: Report
    source: str
    owner: str | None = None
    reporter: str = ""
    confirmed: bool = True
    language: str = "zh"
    paths: list[str] = field(default_factory=list)

    def render(self, issue_id: str) -> str:
        from crmkb.evidence import placed

        self.paths = placed(self.root, issue_id, self.shots, set())
        return _render(issue_id, self)


def _render(issue_id: str, draft: _Draft) -> str:
    problem, report = draft.problem, draft.report
    front: dict[str, object] = {
        "id": issue_id,
        "title": problem.title,
        "reporter": draft.reporter,
        "reported": report.reported,
        "module": draft.module,
        "severity": problem.severity,
    }
    if not draft.confirmed:
        front["reporter_confirmed"] = False  # no points until the lead confirms it
    if draft.owner:
        front["owner"] = draft.owner
    front["status"] = "reported"
    if draft.paths:
        front["evidence"] = draft.paths
    entry = {"on": report.reported, "by": draft.reporter, "step": "reported", "text": draft.source}
    notes = [{"on": report.reported, "text": note} for note in report.notes]
    front["history"] = [entry, *notes]
    yaml_text = roundtrip.merge("", roundtrip.yaml11_safe(front))
    said = "\n".join(problem.text).strip() or "（上报人未写现象）"
    if draft.language == "en":
        body = f"## Symptom\n\n{said}\n\n## Context and reproduction\n\n\n\n## Investigation\n\n"
    else:
        body = f"## 现象\n\n{said}\n\n## 情景与复现\n\n\n\n## 原因分析\n\n"
    return f"---\n{yaml_text}---\n\n{body}"
