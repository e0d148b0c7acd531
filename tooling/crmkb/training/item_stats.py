"""Exam item statistics with Moodle's definitions: facility index and discrimination index.

For each question, over the attempts that drew it:
- facility index F = 100 × mean score on the question (share answered correctly);
- discrimination index D = 100 × r(x, X), the Pearson correlation between the score x on the
  question and the score X on the rest of the paper (the share of the paper's other questions
  answered correctly). Undefined when either does not vary.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Attempt = Mapping[str, bool]  # question id -> answered correctly


@dataclass(frozen=True)
class ItemStat:
    question: str
    attempts: int
    facility: float
    discrimination: float | None
    flags: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "attempts": self.attempts,
            "facility": round(self.facility, 2),
            "discrimination": None
            if self.discrimination is None
            else round(self.discrimination, 2),
            "flags": list(self.flags),
        }


def item_statistics(attempts: Sequence[Attempt]) -> list[ItemStat]:
    """One ItemStat per question that appears in any attempt, by question id."""
    questions = sorted({q for attempt in attempts for q in attempt})
    return [_item(q, [a for a in attempts if q in a]) for q in questions]


def _item(question: str, attempts: list[Attempt]) -> ItemStat:
    scores = [1.0 if a[question] else 0.0 for a in attempts]
    rest = [(sum(a.values()) - a[question]) / (len(a) - 1) if len(a) > 1 else 0.0 for a in attempts]
    facility = 100 * sum(scores) / len(scores)
    discrimination = _correlation(scores, rest)
    flags = []
    if facility == 100:
        flags.append("everyone right")
    elif facility == 0:
        flags.append("everyone wrong")
    if discrimination is not None and discrimination < 0:
        flags.append("negative discrimination")
    if len(attempts) < 5:
        flags.append("few attempts")
    d = None if discrimination is None else 100 * discrimination
    return ItemStat(question, len(attempts), facility, d, tuple(flags))


def _correlation(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    vx = sum((x - mx) ** 2 for x in xs)
    vy = sum((y - my) ** 2 for y in ys)
    if vx == 0 or vy == 0:
        return None
    return cov / math.sqrt(vx * vy)
