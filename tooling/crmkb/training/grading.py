"""Grading an exam attempt: score, pass flag and expiry follow from the answer key alone."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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


def parse_answer(question: Question, raw: object) -> Answer:
    """An answer as typed or as written in an answers file, checked against the question.

    Accepts `A`, `a`, `A,C`, `AC`, `[A, C]`, `true`/`false`, `对`/`错`, `T`/`F`; raises
    ValueError with the accepted forms when it does not fit.
    """
    if question.type == "true_false":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in {"true", "t", "y", "yes", "对", "是", "正确", "√"}:
            return True
        if word in {"false", "f", "n", "no", "错", "否", "错误", "×"}:
            return False
        raise ValueError("answer true or false (对 / 错)")
    keys = _keys(raw)
    unknown = [k for k in keys if k not in question.options]
    if unknown or not keys:
        raise ValueError(f"answer with option keys from {', '.join(sorted(question.options))}")
    if question.type == "single":
        if len(keys) != 1:
            raise ValueError("this question has one correct option; answer with one key")
        return keys[0]
    return sorted(set(keys))


def _keys(raw: object) -> list[str]:
    if isinstance(raw, list):
        return [str(k).strip().upper() for k in raw]
    if isinstance(raw, bool) or raw is None:
        return []
    text = str(raw).strip().upper()
    parts = [p for p in text.replace("，", ",").replace(" ", ",").split(",") if p]
    if len(parts) == 1 and len(parts[0]) > 1 and parts[0].isalpha():
        return list(parts[0])
    return parts
