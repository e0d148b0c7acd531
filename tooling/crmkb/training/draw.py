"""Drawing an exam paper: the certification's spread over modules, unseen questions first,
and each question's options in a shuffled order."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field

from crmkb.errors import KbError
from crmkb.knowledge_base import KnowledgeBase
from crmkb.records.certification import Certification
from crmkb.records.exam_result import ExamResult
from crmkb.records.person import Person
from crmkb.records.question_bank import Question, QuestionBank


@dataclass(frozen=True)
class Paper:
    """The questions drawn for one attempt, in the order they are asked."""

    certification: Certification
    person: Person
    questions: tuple[Question, ...]
    unseen: int
    modules: dict[str, str] = field(default_factory=dict)  # question id -> training module
    # Per question, the option keys in the order shown: shown letter A is order[0], and so on.
    option_order: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def shown_keys(self, question: Question) -> dict[str, str]:
        """Letter on screen -> the question's own option key, for this sitting's order."""
        order = self.option_order.get(question.id, tuple(sorted(question.options)))
        return {chr(ord("A") + i): key for i, key in enumerate(order)}


def attempts(kb: KnowledgeBase, person: str, cert: str) -> list[ExamResult]:
    """A person's earlier results for a certification, oldest first."""
    found = [
        r for r in kb.of(ExamResult).values() if r.person == person and r.certification == cert
    ]
    return sorted(found, key=lambda r: (r.taken, r.id))


def next_allowed(kb: KnowledgeBase, person: str, cert: Certification) -> dt.date | None:
    """The first day a retake is allowed after a failed last attempt, or None if no wait."""
    earlier = attempts(kb, person, cert.id)
    if not earlier or earlier[-1].passed or cert.retake_wait_days == 0:
        return None
    return earlier[-1].taken + dt.timedelta(days=cert.retake_wait_days)


def draw(kb: KnowledgeBase, cert: Certification, person: Person, rng: random.Random) -> Paper:
    """Draw `questions_per_exam` questions within the spread, preferring unseen ones.

    Within each module, questions the person has never been asked come first; when those
    run out, the ones asked least often fill the rest. The paper is then shuffled.
    """
    seen = Counter(q for r in attempts(kb, person.id, cert.id) for q in r.questions)
    pools: dict[str, list[Question]] = {m: [] for m in cert.modules}
    for bank in kb.of(QuestionBank).values():
        if bank.pool == "exam" and bank.module in pools:
            pools[bank.module].extend(bank.drawable())
    if not any(pools.values()):
        from crmkb.records.question_bank import pool_absent

        raise KbError(f"{cert.id} cannot be drawn: {pool_absent(kb)}")
    spread = cert.spread_over({m: len(qs) for m, qs in pools.items()})
    if sum(spread.values()) < cert.questions_per_exam:
        raise KbError(
            f"{cert.id} needs {cert.questions_per_exam} questions but its exam pools hold "
            f"only {sum(len(qs) for qs in pools.values())}; run kb check and add questions"
        )
    chosen: list[Question] = []
    module_of = {q.id: m for m, qs in pools.items() for q in qs}
    for module, count in spread.items():
        candidates = sorted(pools[module], key=lambda q: q.id)
        rng.shuffle(candidates)
        # A stable sort on the shuffled list keeps random order among equally seen questions.
        candidates.sort(key=lambda q: seen[q.id])
        chosen.extend(candidates[:count])
    rng.shuffle(chosen)
    unseen = sum(1 for q in chosen if seen[q.id] == 0)
    # Options are shuffled per sitting too, after the draw, so one seed gives one paper.
    order = {q.id: tuple(rng.sample(sorted(q.options), len(q.options))) for q in chosen}
    modules = {q.id: module_of[q.id] for q in chosen}
    return Paper(cert, person, tuple(chosen), unseen, modules, order)
