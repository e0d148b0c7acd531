"""Judgement steps that are not lifecycle moves: judging feedback, validating a solution."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from crmkb import roundtrip
from crmkb.editing import Edited, Entry, edit_record
from crmkb.errors import KbError, UsageError
from crmkb.records.base import Record
from crmkb.records.feedback import Feedback
from crmkb.records.solution import Solution, has_steps

# Which confidence each solution command moves from, and to.
SOLUTION_STEPS = {"validate": ("draft", "validated"), "archive": ("validated", "archived")}


def judge(
    root: Path,
    today: dt.date,
    feedback_id: str,
    reasonable: bool,
    reason: str,
    links: list[str],
    on: dt.date,
) -> Edited:
    """Record whether feedback is reasonable, why, and (if it is) what acts on it."""
    if not reason.strip():
        raise UsageError("kb feedback judge needs --reason saying why")
    order = tuple(Feedback.model_fields)

    def change(data: Any, record: Record) -> None:
        if not isinstance(record, Feedback):
            raise UsageError(f"{record.id} is not feedback; judge an FB-… record")
        roundtrip.put(data, "reasonable", reasonable, order)
        roundtrip.put(data, "response", reason.strip(), order)
        fresh = [link for link in links if link not in record.links]
        if fresh and data.get("links") is None:
            roundtrip.put(data, "links", roundtrip.flow_list(fresh), order)
        elif fresh:
            data["links"].extend(fresh)

    verdict = "reasonable" if reasonable else "unreasonable"
    entry = Entry(on, f"judged {verdict}: {reason.strip()}")
    return edit_record(root, today, feedback_id, change, entry)


def solution_step(root: Path, today: dt.date, solution_id: str, how: str, on: dt.date) -> Edited:
    """`how` is validate (draft -> validated, needs steps) or archive (validated -> archived)."""
    before, after = SOLUTION_STEPS[how]
    order = tuple(Solution.model_fields)

    def change(data: Any, record: Record) -> None:
        if not isinstance(record, Solution):
            raise UsageError(f"{record.id} is not a solution")
        if record.confidence != before:
            raise KbError(
                f"{record.id} is '{record.confidence}'; kb solution {how} applies to a "
                f"{before} solution"
            )
        if not has_steps(record.body):
            raise KbError(f"{record.id} has no steps yet; write them before it is {after}")
        roundtrip.put(data, "confidence", after, order)
        if how == "validate" and record.published is None:
            roundtrip.put(data, "published", on, order)

    return edit_record(root, today, solution_id, change, Entry(on, f"{after}"))
