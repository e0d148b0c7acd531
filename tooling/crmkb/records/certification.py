"""Certifications (CERT-OP): what an exam covers and what passing it means."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from crmkb.errors import RecordError
from crmkb.records.base import (
    Int,
    Kind,
    Record,
    Text,
)

if TYPE_CHECKING:
    from crmkb.knowledge_base import KnowledgeBase


class Certification(Record):
    id: str = Field(pattern=r"^CERT-[A-Z0-9-]+$")
    name: Text
    modules: list[str] = Field(min_length=1)
    questions_per_exam: Int = Field(ge=1, le=500)
    # Questions drawn from each module's exam pool; omitted means an even spread.
    spread: dict[str, Int] | None = None
    pass_mark: Int = Field(ge=1, le=100)
    time_limit_minutes: Int = Field(ge=1, le=1440)
    validity_months: Int = Field(ge=1, le=600)
    retake_wait_days: Int = Field(0, ge=0, le=3650)

    def spread_over(self, available: dict[str, int]) -> dict[str, int]:
        """How many questions each module contributes to one exam.

        With an explicit `spread` that is it. Otherwise the questions are shared out evenly in
        module order, and a module whose pool is too small passes its shortfall to the next
        modules that still have questions; the result can total less than questions_per_exam
        only when the pools together are too small, which `check` reports.
        """
        if self.spread is not None:
            return {m: self.spread.get(m, 0) for m in self.modules}
        counts = dict.fromkeys(self.modules, 0)
        remaining = self.questions_per_exam
        while remaining > 0:
            open_modules = [m for m in self.modules if counts[m] < available.get(m, 0)]
            if not open_modules:
                break
            for module in open_modules[:remaining]:
                counts[module] += 1
                remaining -= 1
        return counts


def check(kb: KnowledgeBase) -> Iterator[RecordError]:
    from crmkb.records.question_bank import QuestionBank, pool_absent
    from crmkb.records.training_module import TrainingModule

    pools = [b for b in kb.of(QuestionBank).values() if b.pool == "exam"]
    certs = kb.of(Certification).values()
    if certs and not pools:
        n = len(certs)
        kb.skipped.append(
            f"exam pool size and spread checks of {n} certification{'' if n == 1 else 's'}: "
            + pool_absent(kb)
        )
    for cert in certs:
        for i, module in enumerate(cert.modules):
            yield from kb.refs(cert, ("modules", i), module, TrainingModule)
        if not pools:
            continue
        available = {
            m: sum(len(b.drawable()) for b in pools if b.module == m) for m in cert.modules
        }
        if sum(available.values()) < cert.questions_per_exam:
            yield cert.error(
                ("questions_per_exam",),
                f"{cert.questions_per_exam} questions per exam but the exam pools of its "
                f"modules hold only {sum(available.values())}",
            )
        if cert.spread is not None:
            yield from _spread_problems(cert, available)


def _spread_problems(cert: Certification, available: dict[str, int]) -> Iterator[RecordError]:
    spread = cert.spread or {}
    for module, count in spread.items():
        if module not in cert.modules:
            yield cert.error(
                ("spread", module),
                f"spread names {module}, which is not one of this certification's modules "
                f"{cert.modules}; add it to modules or remove it from spread",
            )
        elif count < 0:
            yield cert.error(("spread", module), "a spread count is 0 or more")
        elif count > available[module]:
            yield cert.error(
                ("spread", module),
                f"spread draws {count} questions from {module} but its exam pool holds only "
                f"{available[module]}",
            )
    total = sum(spread.values())
    if total != cert.questions_per_exam:
        yield cert.error(
            ("spread",),
            f"spread adds up to {total} questions but questions_per_exam is "
            f"{cert.questions_per_exam}; make them equal",
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
