"""The ways back to investigation: a fix the user rejects, a resolved problem that returns.

The current pass's later step dates move into the history (so reports still know what was
true then), `dates.investigating` and `restarted` take the day, and the SLA clock restarts as
`sla.reopen` says.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from crmkb import roundtrip
from crmkb.editing import Edited, Entry, edit_record
from crmkb.errors import KbError, UsageError
from crmkb.records.base import Record
from crmkb.records.issue import STEP_ORDER, WAYS_BACK, Issue

ORDER = tuple(Issue.model_fields)
_NAMES = {"reject": "the user rejected the fix", "reopen": "reopened"}


def go_back(
    root: Path, today: dt.date, issue_id: str, how: str, reason: str, on: dt.date, by: str | None
) -> Edited:
    """`how` is reject (verifying -> investigating) or reopen (resolved -> investigating)."""
    if not reason.strip():
        raise UsageError(f"kb {how} needs --reason saying why")

    def change(data: Any, record: Record) -> None:
        assert isinstance(record, Issue)
        if WAYS_BACK.get(record.status) != how:
            wanted = "verifying" if how == "reject" else "resolved"
            raise KbError(f"{record.id} is '{record.status}'; kb {how} applies to a {wanted} issue")
        from crmkb.lifecycle import check_date

        check_date(on, today, record.events()[-1])
        _keep_past_steps(data, record)
        dates = data.get("dates")
        for state in STEP_ORDER:
            if dates is not None and state in dates:
                del dates[state]
        if dates is None:
            roundtrip.put(data, "dates", {"investigating": on}, ORDER)
        else:
            dates["investigating"] = on
        roundtrip.put(data, "status", "investigating", ORDER)
        roundtrip.put(data, "restarted", on, ORDER)

    entry = Entry(on, f"{_NAMES[how]}: {reason.strip()}", by, "investigating")
    also = _mark_solution(reason, on) if how == "reopen" else None
    return edit_record(root, today, issue_id, change, entry, also=also)


def _mark_solution(reason: str, on: dt.date) -> Any:
    """The reopened issue's solution is marked 需复核 in the same transaction."""

    def also(store: Any, kb: Any, record: Record) -> None:
        from crmkb.records.solution import Solution
        from crmkb.teaching import mark_recheck

        assert isinstance(record, Issue)
        solution = kb.of(Solution).get(record.solution or "")
        if solution is None:
            return
        matter = roundtrip.parse(
            store.root / solution.path, solution.path, store.read(solution.path)
        )
        mark_recheck(matter.data, record.id, reason, on)
        store.write(solution.path, matter.render())

    return also


def _keep_past_steps(data: Any, issue: Issue) -> None:
    """Write each step of the pass that is undone into the history, unless it is there."""
    from crmkb.editing import append_history

    noted = {(e.step, e.on) for e in issue.history}
    for state, when in issue.timeline()[1:]:
        if (state, when) not in noted:
            append_history(data, ORDER, Entry(when, f"{state} (earlier pass)", None, state))
