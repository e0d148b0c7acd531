"""One exam attempt: preconditions, the clock and deadline, answers, and the written result.

The terminal dialogue lives in `crmkb.cli.exam`; this module decides and never prints.

Time limit: the clock is `time.monotonic` (or a simulated clock in tests). An answer given
after the deadline is not counted, and the attempt ends there, `timed_out: true`. Running out
of time is handing in the paper: the attempt is graded on the answers given in time
(unanswered questions count as wrong) and is `complete`, so it can pass or fail.

Interruption: Ctrl-C or end of input once the first question is shown records the attempt as
`incomplete` (never passed; it counts as a failed attempt for the retake wait, so aborting a
bad attempt is not a free retry). Interrupted before that, nothing is written. Either way the
file appears whole or not at all (`crmkb.store.writing`).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from crmkb.errors import KbError, RecordErrors, UsageError
from crmkb.knowledge_base import KnowledgeBase, check
from crmkb.records import REGISTRY
from crmkb.records.certification import Certification
from crmkb.records.person import Person
from crmkb.records.question_bank import Answer, Question
from crmkb.training.draw import Paper, attempts, next_allowed
from crmkb.training.grading import Grade, grade

Clock = Callable[[], float]
# The record kinds an exam depends on; errors elsewhere (an issue record) do not block it.
_EXAM_KINDS = ("person", "role", "training", "questions", "certification", "exam-result")


def load_for_exam(root: Path, today: dt.date) -> KnowledgeBase:
    """The knowledge base, refusing to run an exam on training records with errors."""
    kb, found = check(root, today=today, exam_pool=True)
    folders = tuple(REGISTRY[k].directory for k in _EXAM_KINDS)
    fatal = [e for e in found if e.severity == "error" and e.path.startswith(folders)]
    if fatal:
        raise RecordErrors(fatal)
    return kb


def candidate(kb: KnowledgeBase, cert_id: str, person_id: str) -> tuple[Certification, Person]:
    """The certification and person, once they exist and a retake is allowed today."""
    cert = kb.of(Certification).get(cert_id)
    if cert is None:
        known = ", ".join(sorted(kb.of(Certification))) or "none defined"
        raise UsageError(f"unknown certification {cert_id!r}; choose one of: {known}")
    person = kb.of(Person).get(person_id)
    if person is None:
        raise UsageError(f"unknown person {person_id!r}; people are listed in records/people.yml")
    if not person.active:
        raise UsageError(f"{person.id} {person.name} is not active in records/people.yml")
    allowed = next_allowed(kb, person.id, cert)
    if allowed is not None and kb.today < allowed:
        last = attempts(kb, person.id, cert.id)[-1]
        raise KbError(
            f"{person.id} did not pass {cert.id} on {last.taken} ({last.id}); the retake wait "
            f"is {cert.retake_wait_days} days, so the next attempt is allowed from {allowed}"
        )
    return cert, person


class TimeUp(Exception):
    """Raised (by the terminal's alarm) when the deadline passes during a question."""


@dataclass
class Session:
    """The running attempt: which answers came in time, and how it ended."""

    paper: Paper
    taken: dt.date
    clock: Clock = time.monotonic
    started: float = 0.0
    answers: dict[str, Answer] = field(default_factory=dict)
    asked: int = 0
    timed_out: bool = False
    ended: float | None = None

    def __post_init__(self) -> None:
        self.started = self.clock()

    @property
    def limit_seconds(self) -> int:
        return self.paper.certification.time_limit_minutes * 60

    def elapsed(self) -> float:
        return (self.ended if self.ended is not None else self.clock()) - self.started

    def remaining(self) -> float:
        return max(0.0, self.limit_seconds - self.elapsed())

    def ask(self) -> Question | None:
        """The next question, or None when the paper is done or time is up."""
        if self.ended is not None or self.asked >= len(self.paper.questions):
            return None
        if self.remaining() <= 0:
            self.time_up()
            return None
        self.asked += 1
        return self.paper.questions[self.asked - 1]

    def answer(self, question: Question, given: Answer | None) -> bool:
        """Record an answer (None skips); False, and the attempt ends, if it came too late."""
        if self.elapsed() > self.limit_seconds:
            self.time_up()
            return False
        if given is not None:
            self.answers[question.id] = given
        return True

    def time_up(self) -> None:
        self.timed_out = True
        self.ended = self.started + self.limit_seconds

    def result(self, status: Literal["complete", "incomplete"]) -> tuple[dict[str, Any], Grade]:
        """The exam-result fields (without id and digest) and the grade they carry."""
        cert = self.paper.certification
        mark = grade(
            self.paper.questions,
            self.answers,
            pass_mark=cert.pass_mark,
            validity_months=cert.validity_months,
            taken=self.taken,
            complete=status == "complete",
        )
        # A timed-out sitting lasted the whole limit: `started + limit - started` in floats
        # can fall a hair short of the limit, and flooring that would record 599 for 600.
        elapsed = self.limit_seconds if self.timed_out else math.floor(self.elapsed())
        duration = min(self.limit_seconds, elapsed)
        fields: dict[str, Any] = {
            "person": self.paper.person.id,
            "certification": cert.id,
            "taken": self.taken,
            "duration_seconds": duration,
            "status": status,
            "timed_out": self.timed_out,
            "questions": [q.id for q in self.paper.questions],
            "answers": {
                q.id: self.answers[q.id] for q in self.paper.questions if q.id in self.answers
            },
            "score": mark.score,
            "passed": mark.passed,
        }
        if mark.expires is not None:
            fields["expires"] = mark.expires
        return fields, mark


class Interrupted(Exception):
    """The sitting was stopped from outside: Ctrl-C, Ctrl-\\, a closed terminal, a kill."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


def review_modules(session: Session) -> list[str]:
    """Training modules to revise, named only when that cannot single out a wrong answer.

    Modules with a skipped question are named (the candidate knows those were wrong). A
    module with a wrong answer is named only if every such module had two or more answered
    questions on the paper and not all of them were wrong: then each of those answers could
    still have been a right one. Otherwise every module on the paper is named, which reveals
    nothing.
    """
    modules = session.paper.modules
    skipped = {
        modules.get(q.id, "") for q in session.paper.questions if q.id not in session.answers
    }
    marks: dict[str, list[bool]] = {}
    for question in session.paper.questions:
        if question.id in session.answers:
            right = question.correct(session.answers[question.id])
            marks.setdefault(modules.get(question.id, ""), []).append(right)
    wrong = [m for m, got in marks.items() if not all(got)]
    answered = sum(len(marks[m]) for m in wrong)
    mistakes = sum(marks[m].count(False) for m in wrong)
    if wrong and not (all(len(marks[m]) >= 2 for m in wrong) and mistakes < answered):
        return sorted(set(modules.values()))
    return sorted(skipped | set(wrong))
