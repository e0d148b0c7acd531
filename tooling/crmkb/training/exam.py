"""One exam attempt: preconditions, the clock and deadline, answers, and the written result.

The terminal dialogue lives in `crmkb.cli.exam`; this module decides and never prints.

Time limit: the clock is `time.monotonic` (or a simulated clock in tests). An answer given
after the deadline is not counted, and the attempt ends there, `timed_out: true`. Running out
of time is handing in the paper: the attempt is graded on the answers given in time
(unanswered questions count as wrong) and is `complete`, so it can pass or fail.

Interruption: Ctrl-C or end of input once the first question is shown records the attempt as
`incomplete` (never passed; it counts as a failed attempt for the retake wait, so aborting a
bad attempt is not a free retry). Interrupted before that, nothing is written. Either way the
file appears whole or not at all (`crmkb.store.create_numbered`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from crmkb.errors import KbError, RecordErrors, UsageError
from crmkb.knowledge_base import KnowledgeBase, check
from crmkb.records import REGISTRY
from crmkb.records.certification import Certification
from crmkb.records.exam_result import ExamResult
from crmkb.records.person import Person
from crmkb.records.question_bank import Answer, Question
from crmkb.training.draw import Paper, attempts, next_allowed
from crmkb.training.grading import Grade, grade

if TYPE_CHECKING:
    from crmkb.signatures import Signer

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
        duration = min(self.limit_seconds, math.floor(self.elapsed()))
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


@dataclass(frozen=True)
class Filed:
    """Where a finished result went: its place in the repository, or a fallback file."""

    record: ExamResult
    path: Path | None  # None: no file could be written anywhere; `text` is all there is
    text: str
    problem: str = ""  # why it is not in records/exam-results/


def seal(fields: dict[str, Any], signer: Signer) -> dict[str, Any]:
    """The result fields with the proctor and the proctor's signature over all of them."""
    from crmkb.signatures import signed_message

    signed = {**fields, "proctor": signer.proctor}
    check_fields = ExamResult.model_validate({"id": "EXR-0000", **signed}).signed_fields()
    return {**signed, "signature": signer.sign(signed_message(check_fields))}


def render(record_id: str, fields: dict[str, Any]) -> tuple[ExamResult, str]:
    import yaml

    record = ExamResult.model_validate({"id": record_id, **fields})
    data = record.model_dump(exclude_none=True, exclude_unset=True)  # what was signed
    if "signature" in data:
        data["signature"] = yaml_block(data["signature"])
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=100,
    )
    return record, text


class yaml_block(str):
    """A string dumped as a `|` block, so a signature keeps its armor lines."""


def _dumper() -> type[Any]:
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def block(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value.strip() + "\n", style="|")

    Dumper.add_representer(yaml_block, block)
    return Dumper


_Dumper = _dumper()


def file_result(root: Path, fields: dict[str, Any], fallback_dirs: list[Path]) -> Filed:
    """Write a result under the next free EXR id, whole or not at all; else a fallback file.

    The one place results are written (so moving it onto a new write path is one change).
    When records/exam-results/ cannot take the file (full disk, read-only, missing rights),
    the same signed text goes whole to the first fallback folder that takes it; when none
    does, the caller shows the text itself.
    """
    from crmkb.store import create_numbered, used_numbers

    written: list[tuple[ExamResult, str]] = []

    def render_as(record_id: str) -> str:
        written[:] = [render(record_id, fields)]
        return written[-1][1]

    try:
        _, path = create_numbered(root, REGISTRY["exam-result"], render_as)
        return Filed(written[-1][0], path, written[-1][1])
    except OSError as exc:
        problem = f"{REGISTRY['exam-result'].directory}/: {exc.strerror or exc}"
    try:
        number = max(used_numbers(root / REGISTRY["exam-result"].directory, "EXR"), default=0)
    except OSError:
        number = 0
    record, text = render(f"EXR-{number + 1:04d}", fields)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    name = f"crmkb-exam-{record.person}-{record.certification}-{stamp}.yml"
    for folder in fallback_dirs:
        target = folder / name
        try:
            handle = open(target, "x", encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError:
            continue
        try:
            with handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            with contextlib.suppress(OSError):
                target.unlink()  # a partial fallback is worse than none
            continue
        return Filed(record, target, text, problem)
    return Filed(record, None, text, problem)


def default_fallback_dirs() -> list[Path]:
    """Where a result goes when records/exam-results/ cannot take it, most durable first."""
    import tempfile

    folders = [Path.home(), Path(tempfile.gettempdir()), Path("/dev/shm")]
    extra = os.environ.get("CRMKB_EXAM_FALLBACK")
    return ([Path(extra)] if extra else []) + folders


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
