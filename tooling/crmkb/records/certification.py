"""Certifications (CERT-OP): what an exam covers and what passing it means."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from crmkb.errors import RecordError
from crmkb.records.base import Kind, Record, Text

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase


class Certification(Record):
    id: str = Field(pattern=r"^CERT-[A-Z0-9-]+$")
    name: Text
    modules: list[str] = Field(min_length=1)
    questions_per_exam: int = Field(ge=1)
    pass_mark: int = Field(ge=1, le=100)
    time_limit_minutes: int = Field(ge=1)
    validity_months: int = Field(ge=1)
    retake_wait_days: int = Field(0, ge=0)


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.question_bank import QuestionBank
    from crmkb.records.training_module import TrainingModule

    exam_pool = [b for b in kb.of(QuestionBank).values() if b.pool == "exam"]
    for cert in kb.of(Certification).values():
        for i, module in enumerate(cert.modules):
            yield from kb.refs(cert, ("modules", i), module, TrainingModule)
        available = sum(len(b.questions) for b in exam_pool if b.module in cert.modules)
        if available < cert.questions_per_exam:
            yield cert.error(
                ("questions_per_exam",),
                f"{cert.questions_per_exam} questions per exam but the exam pools of its "
                f"modules hold only {available}",
            )


KIND = Kind(
    name="certification",
    model=Certification,
    directory="records/certifications",
    id_pattern=r"CERT-[A-Z0-9-]+",
    prefix="CERT",
    title="上岗认证",
    check=check,
)
