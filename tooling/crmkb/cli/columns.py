"""The columns `kb list` shows for each record kind, and a table aligned by terminal width."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from crmkb.cli.options import pad
from crmkb.records.base import Record

Column = tuple[str, Callable[[Record], str]]


def _field(name: str) -> Callable[[Record], str]:
    def get(record: Record) -> str:
        value = getattr(record, name, None)
        if isinstance(value, list):
            return ",".join(str(v) for v in value) or "-"
        return "-" if value is None else str(value)

    return get


def _judgement(record: Record) -> str:
    return "reasonable" if getattr(record, "reasonable", False) else "unreasonable"


def _reuse(record: Record) -> str:
    return str(len(getattr(record, "issues", [])))


def _owner(record: Record) -> str:
    """The record's own owner; '(module)' marks one that falls back to its module's owner."""
    own = getattr(record, "owner", None)
    return str(own) if own else "(module)"


def _conforming(record: Record) -> str:
    findings = getattr(record, "findings", [])
    return f"{sum(f.conforms for f in findings)}/{len(findings)}"


def _open_follow_ups(record: Record) -> str:
    return str(sum(1 for f in getattr(record, "follow_up", []) if f.done is None))


def _label(record: Record) -> str:
    for name in ("title", "summary", "name"):
        value = getattr(record, name, None)
        if value:
            return str(value)
    return ""


COLUMNS: dict[str, list[Column]] = {
    "issue": [
        ("STATUS", _field("status")),
        ("SEVERITY", _field("severity")),
        ("MODULE", _field("module")),
        ("OWNER", _owner),
        ("REPORTED", _field("reported")),
    ],
    "solution": [
        ("CONFIDENCE", _field("confidence")),
        ("MODULES", _field("modules")),
        ("REUSE", _reuse),
        ("PUBLISHED", _field("published")),
    ],
    "change": [
        ("STATUS", _field("status")),
        ("MODULE", _field("module")),
        ("OWNER", _owner),
        ("REQUESTED", _field("requested")),
    ],
    "audit": [
        ("DATE", _field("date")),
        ("AUDITOR", _field("auditor")),
        ("MODULE", _field("module")),
        ("CONFORMS", _conforming),
        ("OPEN", _open_follow_ups),
    ],
    "data-check": [
        ("CHECK", _field("check")),
        ("DATE", _field("date")),
        ("FOUND", _field("found")),
        ("FIXED", _field("fixed")),
    ],
    "feedback": [
        ("JUDGEMENT", _judgement),
        ("PERSON", _field("person")),
        ("RECEIVED", _field("received")),
    ],
}


def columns(kind: str) -> list[Column]:
    last = {"feedback": "SUMMARY", "issue": "TITLE", "solution": "TITLE", "change": "TITLE"}
    last |= {"audit": "TITLE", "data-check": "TITLE"}
    return [("ID", lambda r: r.id), *COLUMNS.get(kind, []), (last.get(kind, "NAME"), _label)]


def table(kind: str, records: list[Record]) -> list[str]:
    """Header and one line per record, each column as wide as its widest cell."""
    from crmkb.cli.options import width

    cols = columns(kind)
    rows = [[get(r) for _, get in cols] for r in records]
    head = [name for name, _ in cols]
    widths = [max(width(cell) for cell in column) for column in zip(head, *rows, strict=False)]
    lines = []
    for cells in [head, *rows]:
        padded = [pad(c, w) for c, w in zip(cells[:-1], widths, strict=False)]
        lines.append("  ".join([*padded, cells[-1]]).rstrip())
    return lines


def as_row(record: Record, kind: str) -> dict[str, Any]:
    return {name.lower(): get(record) for name, get in columns(kind)}
