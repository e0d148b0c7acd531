"""Exam results (EXR-0001): one attempt at a certification, written once by `kb exam`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from crmkb.errors import RecordError
from crmkb.records.base import Kind, PersonId, Record
from crmkb.records.question_bank import Answer

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase


class ExamResult(Record):
    id: str = Field(pattern=r"^EXR-\d{4,}$")
    person: PersonId
    certification: str = Field(pattern=r"^CERT-[A-Z0-9-]+$")
    taken: dt.date
    duration_seconds: int = Field(ge=0)
    status: Literal["complete", "incomplete"] = "complete"
    questions: list[str] = Field(min_length=1)
    answers: dict[str, Answer] = Field(default_factory=dict)
    score: int = Field(ge=0, le=100)
    passed: bool
    expires: dt.date | None = None


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.certification import Certification
    from crmkb.records.person import Person

    for result in kb.of(ExamResult).values():
        yield from kb.refs(result, ("person",), result.person, Person)
        yield from kb.refs(result, ("certification",), result.certification, Certification)
        if result.taken > kb.today:
            yield result.error(("taken",), f"exam date {result.taken} is in the future")


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
