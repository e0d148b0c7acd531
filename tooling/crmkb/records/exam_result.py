"""Exam results (EXR-0001): one attempt at a certification, written once by `kb exam`.

`kb check` trusts nothing in a result that it can recompute: the score is graded again from
the exam pool's key, and the pass flag, expiry and retake wait must follow from it. The
`digest` is a SHA-256 over every other field, so a hand edit shows even where the numbers
still add up (a changed answer, date or duration).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from crmkb.errors import RecordError
from crmkb.records.base import Date, Kind, PersonId, Record
from crmkb.records.question_bank import Answer

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase
    from crmkb.records.certification import Certification
    from crmkb.records.question_bank import Question

DIGEST_PREFIX = "sha256:"


class ExamResult(Record):
    id: str = Field(pattern=r"^EXR-\d{4,}$")
    person: PersonId
    certification: str = Field(pattern=r"^CERT-[A-Z0-9-]+$")
    taken: Date
    duration_seconds: int = Field(ge=0, le=7 * 86400)
    status: Literal["complete", "incomplete"] = "complete"
    timed_out: bool = False
    # How the answers came in; a reviewer can refuse an answers-file result as a certificate.
    via: Literal["terminal", "answers-file"] = "terminal"
    questions: list[str] = Field(min_length=1)
    answers: dict[str, Answer] = Field(default_factory=dict)
    score: int = Field(ge=0, le=100)
    passed: bool
    expires: Date | None = None
    digest: str = Field(pattern=r"^sha256:[0-9a-f]{64}$")

    def content_digest(self) -> str:
        """The digest this result should carry: over every field but `digest` itself."""
        return content_digest(self.model_dump(mode="json", exclude={"digest"}))

    @property
    def failed(self) -> bool:
        return not self.passed


def content_digest(fields: dict[str, object]) -> str:
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return DIGEST_PREFIX + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def exam_questions(kb: KnowledgeBase, cert: Certification) -> dict[str, Question]:
    """Every exam-pool question of a certification's modules, retired ones included."""
    from crmkb.records.question_bank import QuestionBank

    return {
        q.id: q
        for bank in kb.of(QuestionBank).values()
        if bank.pool == "exam" and bank.module in cert.modules
        for q in bank.questions
    }


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.certification import Certification
    from crmkb.records.person import Person

    certs = kb.of(Certification)
    for result in kb.of(ExamResult).values():
        yield from kb.refs(result, ("person",), result.person, Person)
        yield from kb.refs(result, ("certification",), result.certification, Certification)
        if result.taken > kb.today:
            yield result.error(("taken",), f"exam date {result.taken} is in the future")
        if result.digest != result.content_digest():
            yield result.error(
                ("digest",),
                "this result differs from what kb exam wrote (digest mismatch); results are "
                "never edited: restore the file from git, and record a retake as a new result",
            )
        cert = certs.get(result.certification)
        if cert is not None:
            yield from _grading_problems(kb, result, cert)
    yield from _retake_problems(kb)


def _grading_problems(
    kb: KnowledgeBase, result: ExamResult, cert: Certification
) -> Iterator[RecordError]:
    from crmkb.training.grading import grade

    pool = exam_questions(kb, cert)
    drawn: list[Question] = []
    for i, qid in enumerate(result.questions):
        if qid not in pool:
            yield result.error(
                ("questions", i),
                f"question {qid} is not in the exam pool of {cert.id}'s modules; "
                "results may only hold questions drawn from those pools",
            )
        elif any(q.id == qid for q in drawn):
            yield result.error(("questions", i), f"question {qid} is listed twice")
        else:
            drawn.append(pool[qid])
    for qid, given in result.answers.items():
        if qid not in result.questions:
            yield result.error(("answers", qid), f"answer to {qid}, which was not drawn")
        elif qid in pool and not _well_formed(pool[qid], given):
            yield result.error(
                ("answers", qid), f"answer {given!r} is not a possible answer to {qid}"
            )
    if len(drawn) != len(result.questions):
        return
    limit = cert.time_limit_minutes * 60
    if result.duration_seconds > limit:
        yield result.error(
            ("duration_seconds",),
            f"duration {result.duration_seconds}s is over the time limit of {limit}s",
        )
    expected = grade(
        drawn,
        result.answers,
        pass_mark=cert.pass_mark,
        validity_months=cert.validity_months,
        taken=result.taken,
        complete=result.status == "complete",
    )
    if result.score != expected.score:
        yield result.error(
            ("score",),
            f"score {result.score} does not follow from the answers: the key gives "
            f"{expected.correct} of {expected.total} correct, score {expected.score}",
        )
    if result.passed != expected.passed:
        yield result.error(
            ("passed",),
            f"passed is {str(result.passed).lower()} but should be "
            f"{str(expected.passed).lower()} (score {expected.score}, pass mark "
            f"{cert.pass_mark}, status {result.status})",
        )
    if result.expires != expected.expires:
        want = expected.expires or "absent (only a passed result expires)"
        yield result.error(
            ("expires",),
            f"expires should be {want}: taken {result.taken} + {cert.validity_months} months",
        )


def _well_formed(question: Question, given: Answer) -> bool:
    from crmkb.training.grading import parse_answer

    try:
        return parse_answer(question, given) == given
    except ValueError:
        return False


def _retake_problems(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.certification import Certification

    certs = kb.of(Certification)
    attempts: dict[tuple[str, str], list[ExamResult]] = {}
    for result in kb.of(ExamResult).values():
        attempts.setdefault((result.person, result.certification), []).append(result)
    for (_, cert_id), results in attempts.items():
        cert = certs.get(cert_id)
        if cert is None or cert.retake_wait_days == 0:
            continue
        ordered = sorted(results, key=lambda r: (r.taken, r.id))
        for before, after in itertools.pairwise(ordered):
            allowed = before.taken + dt.timedelta(days=cert.retake_wait_days)
            if before.failed and after.taken < allowed:
                yield after.error(
                    ("taken",),
                    f"retake on {after.taken} is too early: {before.id} failed on "
                    f"{before.taken} and {cert_id} asks for {cert.retake_wait_days} days' "
                    f"wait, so the next attempt is allowed from {allowed}",
                )


KIND = Kind(
    name="exam-result",
    model=ExamResult,
    directory="records/exam-results",
    id_pattern=r"EXR-\d{4,}",
    prefix="EXR",
    title="考试记录",
    check=check,
    date_field="taken",
)
