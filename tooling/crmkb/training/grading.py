"""Grading an exam attempt: score, pass flag and expiry follow from the answer key alone."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from crmkb.records.question_bank import Answer, Question


@dataclass(frozen=True)
class Grade:
    correct: int
    total: int
    score: int
    passed: bool
    expires: dt.date | None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (Jan 31 + 1 month = Feb 28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def grade(
    questions: Sequence[Question],
    answers: Mapping[str, Answer],
    *,
    pass_mark: int,
    validity_months: int,
    taken: dt.date,
    complete: bool,
) -> Grade:
    """Score in whole percent rounded down; an incomplete attempt never passes.

    Unanswered questions count as wrong, so a timed-out or interrupted attempt is graded on
    the answers given in time against every question drawn.
    """
    correct = sum(1 for q in questions if q.id in answers and q.correct(answers[q.id]))
    total = len(questions)
    score = correct * 100 // total if total else 0
    passed = complete and score >= pass_mark
    expires = add_months(taken, validity_months) if passed else None
    return Grade(correct, total, score, passed, expires)


class AnswerError(ValueError):
    """An answer that does not fit its question; `reason` picks the wording on screen."""

    def __init__(self, reason: Literal["true_false", "keys", "single"], keys: str = "") -> None:
        self.reason = reason
        self.keys = keys
        super().__init__(
            {
                "true_false": "answer true or false (对 / 错)",
                "keys": f"answer with option keys from {keys}",
                "single": "this question has one correct option; answer with one key",
            }[reason]
        )


_SEPARATORS = re.compile(r"[\s,，、;；/]+")


def parse_answer(question: Question, raw: object, shown: Mapping[str, str] | None = None) -> Answer:
    """An answer as typed or as written in an answers file, checked against the question.

    Accepts `A`, `a`, `A,C`, `A、C`, `AC`, `a c`, `[A, C]`, `true`/`false`, `对`/`错`, `T`/`F`;
    option keys match in any case. `shown` maps the letters shown on screen (options are
    shuffled per sitting) to the question's own keys. Raises AnswerError when it does not fit.
    """
    if question.type == "true_false":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in {"true", "t", "y", "yes", "对", "是", "正确", "√"}:
            return True
        if word in {"false", "f", "n", "no", "错", "否", "错误", "×"}:
            return False
        raise AnswerError("true_false")
    table = {k.casefold(): v for k, v in (shown or {k: k for k in question.options}).items()}
    tokens = _tokens(raw)
    if len(tokens) == 1 and tokens[0].casefold() not in table and len(tokens[0]) > 1:
        tokens = list(tokens[0])  # AC -> A, C
    keys = [table.get(t.casefold()) for t in tokens]
    if not keys or None in keys:
        raise AnswerError("keys", ", ".join(sorted(shown or question.options)))
    found = [k for k in keys if k is not None]
    if question.type == "single":
        if len(found) != 1:
            raise AnswerError("single")
        return found[0]
    return sorted(set(found))


def _tokens(raw: object) -> list[str]:
    if isinstance(raw, list):
        return [str(k).strip() for k in raw]
    if isinstance(raw, bool) or raw is None:
        return []
    return [p for p in _SEPARATORS.split(str(raw).strip()) if p]
