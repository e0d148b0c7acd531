"""Answer sheets for `kb exam --answers FILE`: the exam without a terminal, for tests and drills.

answers:                 # question id -> answer; drawn questions not listed are left blank
  Q-OP-01-01: A
  Q-OP-02-03: [A, C]
  Q-OP-03-01: true
seconds_per_answer: 30   # optional: a simulated clock advancing this much per question
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crmkb.errors import UsageError, located
from crmkb.yamlfile import load_yaml


@dataclass(frozen=True)
class AnswerSheet:
    answers: dict[str, object]
    seconds_per_answer: float | None = None


def load_answer_sheet(path: Path) -> AnswerSheet:
    """Read an answer sheet; a wrong shape is a located error that says what to write."""
    if not path.is_file():
        raise UsageError(f"answers file {path} does not exist")
    doc = load_yaml(path, str(path))
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise located(
            path, 1, 1, "an answers file holds 'answers:', a mapping of question id to answer"
        )
    unknown = sorted(set(data) - {"answers", "seconds_per_answer"})
    if unknown:
        raise located(
            path, 1, 1, f"unknown key {unknown[0]!r}; use answers: and seconds_per_answer:"
        )
    step = data.get("seconds_per_answer")
    if step is not None and (
        isinstance(step, bool) or not isinstance(step, (int, float)) or step < 0
    ):
        raise located(path, 1, 1, "seconds_per_answer is a number of seconds, 0 or more")
    answers = {str(k): v for k, v in data["answers"].items()}
    return AnswerSheet(answers, float(step) if step is not None else None)


class SimulatedClock:
    """A clock that moves only when told to: deterministic time limits in tests."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
