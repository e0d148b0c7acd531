"""Editing one record in place with a history entry, guarded so kb never writes a bad record.

Used by `kb edit`, `note`, `assign`, `attach`, the ways back, the judgement commands and the
solution lifecycle: the change is applied to the round-trip front matter, an entry is
appended to `history`, the result is validated with the kind's own rules, then committed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmkb import roundtrip
from crmkb.errors import KbError, UsageError
from crmkb.records import REGISTRY
from crmkb.records.base import Kind, Record

Change = Callable[[Any, Record], None]
_NUMBERED = re.compile(r"^([A-Za-z]+)-(\d{4,})$")


def normalise_id(value: str) -> str:
    """ISS-0001 for iss-0001 (and surrounding spaces); other ids are returned unchanged."""
    text = value.strip()
    match = _NUMBERED.match(text)
    return f"{match.group(1).upper()}-{match.group(2)}" if match else text


def kind_of(record_id: str) -> Kind:
    """The numbered record kind an id belongs to, or a UsageError naming the known prefixes."""
    for kind in REGISTRY:
        if kind.prefix and kind.id_regex.fullmatch(record_id):
            return kind
    known = ", ".join(f"{k.prefix}-0001" for k in REGISTRY if k.prefix)
    raise UsageError(f"{record_id!r} is not a record id like {known}")


@dataclass(frozen=True)
class Entry:
    """The history entry an edit appends."""

    on: dt.date
    text: str
    by: str | None = None
    step: str | None = None

    def as_yaml(self) -> dict[str, Any]:
        item: dict[str, Any] = {"on": self.on}
        if self.by:
            item["by"] = self.by
        if self.step:
            item["step"] = self.step
        item["text"] = self.text
        return item


@dataclass(frozen=True)
class Edited:
    id: str
    path: str
    written: tuple[str, ...]


def append_history(data: Any, order: Sequence[str], entry: Entry) -> None:
    item = entry.as_yaml()
    if data.get("history") is None:
        roundtrip.put(data, "history", [item], order)
    else:
        data["history"].append(roundtrip.yaml11_safe(item))


def edit_record(
    root: Path,
    today: dt.date,
    record_id: str,
    change: Change,
    entry: Entry | None,
    new_files: Sequence[tuple[Path, bytes]] = (),
    also: Callable[[Any, Any, Record], None] | None = None,
) -> Edited:
    """Apply `change` and `entry` to one record; refused (nothing written) when invalid.

    `also(store, kb, record)` writes other records in the same transaction (kb reopen marks
    the issue's solution for review)."""
    from crmkb.identity import whoami
    from crmkb.lifecycle import load_for_edit
    from crmkb.store import writing
    from crmkb.writes import commit

    kind = kind_of(record_id)
    with writing(root, today) as store:
        kb, record = load_for_edit(store, record_id, kind.model)
        if entry is not None and entry.by is None:
            entry = dataclasses.replace(entry, by=whoami(kb))
        matter = roundtrip.parse(root / record.path, record.path, store.read(record.path))
        change(matter.data, record)
        if entry is not None:
            append_history(matter.data, tuple(kind.model.model_fields), entry)
        if matter.data.get("id") != record.id:
            raise KbError(f"the id of {record.id} cannot be changed; nothing was changed")
        store.write(record.path, matter.render())
        if also is not None:
            also(store, kb, record)
        written = commit(store, new_files)
    return Edited(record.id, record.path, tuple(written))
