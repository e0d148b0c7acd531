"""Teaching a fix (宣导) and reviewing a solution whose problem came back (需复核)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from crmkb import roundtrip
from crmkb.editing import Edited, Entry, edit_record
from crmkb.errors import UsageError
from crmkb.i18n import _
from crmkb.records.base import Record
from crmkb.records.solution import Solution

ORDER = tuple(Solution.model_fields)


def teach(
    root: Path,
    today: dt.date,
    solution_id: str,
    audience: list[str],
    channel: str,
    training: str | None,
    note: str | None,
    on: dt.date,
) -> Edited:
    """Record that the fix was taught: when, to whom (roles or people), how."""
    if not audience:
        raise UsageError(_("name who was told with --to (a role such as sales-rep, or P012)"))
    if on > today:
        message = _("--on {on} is in the future (today is {today})")
        raise UsageError(message.format(on=on, today=today))
    told: dict[str, Any] = {"on": on, "audience": roundtrip.flow_list(audience)}
    told["channel"] = channel
    if training:
        told["training"] = training
    if note and note.strip():
        told["note"] = note.strip()

    def change(data: Any, record: Record) -> None:
        if not isinstance(record, Solution):
            raise UsageError(_("{id} is not a solution").format(id=record.id))
        item = roundtrip.yaml11_safe(told)
        if data.get("told") is None:
            roundtrip.put(data, "told", [item], ORDER)
        else:
            data["told"].append(item)

    text = _("taught to {audience} ({channel})").format(
        audience=", ".join(audience), channel=channel_name(channel)
    )
    return edit_record(root, today, solution_id, change, Entry(on, text))


def review(root: Path, today: dt.date, solution_id: str, note: str, on: dt.date) -> Edited:
    """The solution was checked again after its problem came back: `reviewed` takes the day
    and the 需复核 mark goes."""
    if not note.strip():
        raise UsageError(_("kb solution review needs --note saying what was checked"))

    def change(data: Any, record: Record) -> None:
        if not isinstance(record, Solution):
            raise UsageError(_("{id} is not a solution").format(id=record.id))
        roundtrip.put(data, "reviewed", on, ORDER)
        if "recheck" in data:
            del data["recheck"]

    text = _("reviewed: {note}").format(note=note.strip())
    return edit_record(root, today, solution_id, change, Entry(on, text))


def mark_recheck(data: Any, issue_id: str, reason: str, on: dt.date) -> None:
    """Flag a solution 需复核 because `issue_id` (which it fixed) was reopened."""
    mark = roundtrip.yaml11_safe({"since": on, "issue": issue_id, "reason": reason.strip()})
    roundtrip.put(data, "recheck", mark, ORDER)


def channel_name(channel: str) -> str:
    names = {
        "meeting": _("meeting"),
        "mail": _("mail"),
        "training": _("training module updated"),
    }
    return names.get(channel, channel)
