"""Exam results (EXR-0001): one attempt at a certification, written once by `kb exam`.

A result certifies only when a proctor named in `records/proctors/allowed_signers` signed it
(SSH signature over every field but the id, `crmkb.signatures`). `kb check` also trusts
nothing it can recompute: the questions must be a paper the certification could have drawn,
the score is graded again from the exam pool's key, and the pass flag, expiry and retake wait
must follow from it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from crmkb.errors import RecordError
from crmkb.records.base import (
    Date,
    Flag,
    Int,
    Kind,
    PersonId,
    Record,
)
from crmkb.records.question_bank import Answer

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase
    from crmkb.records.certification import Certification
    from crmkb.records.question_bank import Question


class ExamResult(Record):
    id: str = Field(pattern=r"^EXR-\d{4,}$")
    person: PersonId
    certification: str = Field(pattern=r"^CERT-[A-Z0-9-]+$")
    taken: Date
    duration_seconds: Int = Field(ge=0, le=7 * 86400)
    status: Literal["complete", "incomplete"] = "complete"
    timed_out: Flag = False
    # How the answers came in: at the terminal, or a paper exam typed in by the proctor.
    via: Literal["terminal", "answers-file"] = "terminal"
    questions: list[str] = Field(min_length=1)
    answers: dict[str, Answer] = Field(default_factory=dict)
    score: Int = Field(ge=0, le=100)
    passed: Flag
    expires: Date | None = None
    proctor: PersonId | None = None
    signature: str | None = None

    def signed_fields(self) -> dict[str, object]:
        """What the proctor's signature covers (see `crmkb.signatures.signed_message`).

        Exactly the fields written in the file: a field added to this model later, with a
        default, must not change what old results were signed over.
        """
        return self.model_dump(
            mode="json", exclude={"id", "signature"}, exclude_unset=True, exclude_none=True
        )

    @property
    def failed(self) -> bool:
        return not self.passed


def exam_questions(kb: KnowledgeBase, cert: Certification) -> dict[str, Question]:
    """Every exam-pool question of a certification's modules, retired ones included."""
    from crmkb.records.question_bank import QuestionBank

    return {
        q.id: q
        for bank in kb.of(QuestionBank).values()
        if bank.pool == "exam" and bank.module in cert.modules
        for q in bank.questions
    }


def module_of(kb: KnowledgeBase, cert: Certification) -> dict[str, str]:
    """Question id -> training module, for a certification's exam pools."""
    from crmkb.records.question_bank import QuestionBank

    return {
        q.id: bank.module
        for bank in kb.of(QuestionBank).values()
        if bank.pool == "exam" and bank.module in cert.modules
        for q in bank.questions
    }


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.certification import Certification
    from crmkb.records.person import Person

    certs = kb.of(Certification)
    results = list(kb.of(ExamResult).values())
    ungraded = 0
    for result in results:
        yield from kb.refs(result, ("person",), result.person, Person)
        yield from kb.refs(result, ("certification",), result.certification, Certification)
        if result.taken > kb.today:
            yield result.error(("taken",), f"exam date {result.taken} is in the future")
        cert = certs.get(result.certification)
        if cert is None:
            continue
        if not exam_questions(kb, cert):
            ungraded += 1
            continue
        yield from _paper_problems(kb, result, cert)
        yield from _grading_problems(kb, result, cert)
    if ungraded:
        from crmkb.records.question_bank import pool_absent

        plural = "" if ungraded == 1 else "s"
        kb.skipped.append(
            f"question, spread and grading checks of {ungraded} exam result{plural}: "
            + pool_absent(kb)
        )
    yield from signature_problems(kb, results)
    yield from _retake_problems(kb)


def signature_problems(kb: KnowledgeBase, results: list[ExamResult]) -> Iterator[RecordError]:
    """Every result must carry a good signature of a proctor other than the candidate."""
    from crmkb import signatures
    from crmkb.records import proctors

    signers = proctors.register(kb)
    yield from signers.errors
    allowed = kb.root / signatures.ALLOWED_SIGNERS
    accepted = signers.proctors() if allowed.is_file() else None  # missing: said once below
    claims: list[tuple[ExamResult, signatures.Claim]] = []
    first_of: dict[bytes, str] = {}
    for result in results:
        if result.signature is None or result.proctor is None:
            missing = "signature" if result.proctor is not None else "proctor and signature"
            yield result.error(
                (),
                f"this result has no {missing}, so it certifies nothing: results are written "
                "and signed by kb exam with a proctor's key (kb exam CERT --person ID --key KEY)",
            )
            continue
        if result.proctor == result.person:
            yield result.error(("proctor",), "a candidate cannot proctor their own exam")
        message = signatures.signed_message(result.signed_fields())
        # The same sitting, however its signature is wrapped or re-signed: a copy.
        seen = [first_of.get(k) for k in (signatures.blob(result.signature), message)]
        original = next((s for s in seen if s is not None), None)
        if original is not None:
            yield result.error(
                ("signature",),
                f"this is a copy of {original} (the same signed sitting); delete the copy",
            )
            continue
        first_of.setdefault(signatures.blob(result.signature), result.id)
        first_of.setdefault(message, result.id)
        if accepted is not None and result.proctor not in accepted:
            yield result.error(
                ("proctor",),
                f"{result.proctor} is not a proctor: {signatures.ALLOWED_SIGNERS} accepts no "
                "line for this person (an active person with a proctor role and their own "
                "key); have a proctor sign the exam",
            )
            continue
        claims.append((result, signatures.Claim(message, result.signature, result.proctor)))
    if not claims:
        return
    if accepted is None:
        yield RecordError(
            signatures.ALLOWED_SIGNERS,
            1,
            1,
            "this file is missing, so no exam result can be verified; add each proctor's "
            'public key as a line: P001 namespaces="crmkb-exam-result" ssh-ed25519 AAAA…',
        )
        return
    try:
        with signatures.allowed_file(signers.text()) as trusted:
            reasons = signatures.verify(trusted, (c for _, c in claims))
    except signatures.SigningError as exc:
        yield RecordError(signatures.ALLOWED_SIGNERS, 1, 1, f"cannot verify exam results: {exc}")
        return
    for (result, _), reason in zip(claims, reasons, strict=True):
        if reason is not None:
            yield result.error(
                ("signature",),
                f"the signature does not verify for proctor {result.proctor} ({reason}): "
                "the result changed after it was signed, or the key is not that proctor's "
                f"key in {signatures.ALLOWED_SIGNERS}; restore the file from git",
            )


def _paper_problems(
    kb: KnowledgeBase, result: ExamResult, cert: Certification
) -> Iterator[RecordError]:
    """The questions must be a paper this certification could have drawn."""
    if len(result.questions) != cert.questions_per_exam:
        yield result.error(
            ("questions",),
            f"{len(result.questions)} questions, but {cert.id} draws exactly "
            f"{cert.questions_per_exam} per exam",
        )
        return
    modules = module_of(kb, cert)
    drawn = Counter(modules[q] for q in result.questions if q in modules)
    if sum(drawn.values()) != len(result.questions):
        return  # a question from elsewhere is reported by _grading_problems
    sizes = Counter(modules.values())
    expected = {m: n for m, n in cert.spread_over(dict(sizes)).items() if n}
    if dict(drawn) != expected:
        have = ", ".join(f"{m}: {n}" for m, n in sorted(drawn.items()))
        want = ", ".join(f"{m}: {n}" for m, n in sorted(expected.items()))
        yield result.error(
            ("questions",),
            f"the questions do not follow {cert.id}'s spread over its modules: "
            f"drawn {have}; expected {want}",
        )


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
