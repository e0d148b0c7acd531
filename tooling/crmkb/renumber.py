"""Giving records new ids: the file, the evidence folder and every reference, in one change.

An id is replaced wherever it stands as a whole token in any record file: front matter
(solutions' issue lists, `duplicate_of`, change-request and feedback links, evidence paths),
body text and history text. The text around it is kept byte for byte; the renumbered record
gets a history entry through the round-trip editor. The whole renumbering is one journalled
store change, checked with `kb check`'s rules before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crmkb import roundtrip
from crmkb.editing import Entry, append_history, kind_of, normalise_id
from crmkb.errors import RecordError, UsageError
from crmkb.evidence import FOLDER
from crmkb.i18n import N_, _, speaking
from crmkb.records import REGISTRY
from crmkb.records.base import Kind
from crmkb.store import Change, writing
from crmkb.store.branch_ids import id_line, ids_at, ids_on_disk, numbered_kinds, revision, taken_on

NOTE = N_("renumbered from {old} to {new}: the id was taken on another branch")
# An id is a whole token: not part of a longer id, word or file name (ISS-0050-note.png).
_EDGE_BEFORE = r"(?<![A-Za-z0-9_-])"
_EDGE_AFTER = r"(?![A-Za-z0-9_-])"


@dataclass(frozen=True)
class Renumbered:
    moved: dict[str, str]  # old id -> new id
    written: list[str]
    removed: list[str]


def record_files(root: Path) -> list[str]:
    """Every record file of every kind, as repository paths."""
    found = []
    for kind in REGISTRY:
        if kind.list_key:
            if (root / (kind.directory + kind.suffix)).is_file():
                found.append(kind.directory + kind.suffix)
        else:
            folder = root / kind.directory
            found += [
                p.relative_to(root).as_posix() for p in sorted(folder.glob(f"*{kind.suffix}"))
            ]
    return found


def substitute(text: str, mapping: dict[str, str]) -> str:
    """`text` with every id of `mapping` that stands as a token replaced, in one pass."""
    olds = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(_EDGE_BEFORE + "(" + "|".join(map(re.escape, olds)) + ")" + _EDGE_AFTER)
    return pattern.sub(lambda m: mapping[m.group(1)], text)


def onto(root: Path, base: str) -> dict[str, str]:
    """New ids for every record this branch added that `base` took since: the next numbers
    free on both sides, in the order of the old ones."""
    taken = taken_on(root, base)
    if not taken:
        return {}
    used = set(ids_at(root, revision(root, base))) | set(ids_on_disk(root))
    mapping = {}
    for item in taken:
        kind = kind_of(item.record_id)
        numbers = [int(i.rsplit("-", 1)[1]) for i in used if kind.id_regex.fullmatch(i)]
        new = f"{kind.prefix}-{max(numbers, default=0) + 1:04d}"
        used.add(new)
        mapping[item.record_id] = new
    return mapping


def taken_errors(root: Path, base: str, head: str | None = None) -> list[RecordError]:
    """A located error for each id this branch added that `base` took since (kb check --base)."""
    found = []
    for taken in taken_on(root, base, head):
        line, col = id_line(root, head, taken.path)
        message = _(
            "{id} was also added on {base} since this branch left it; "
            "run: kb renumber --onto {base}"
        ).format(id=taken.record_id, base=base)
        found.append(RecordError(taken.path, line, col, message))
    return found


def renumber(root: Path, today: dt.date, plan: Callable[[], dict[str, str]]) -> Renumbered:
    """Move each record of the plan (old id -> new id) and every reference to it; the plan is
    made under the repository lock, so no other kb command takes a new id meanwhile."""
    from crmkb.identity import whoami
    from crmkb.writes import commit

    with writing(root, today) as store:
        mapping = {normalise_id(old): normalise_id(new) for old, new in plan().items()}
        if not mapping:
            return Renumbered({}, [], [])
        kb, found = store.checked()
        kinds = {old: _check_pair(store, old, new, mapping) for old, new in mapping.items()}
        broken = [e for e in found if e.severity == "error" and _names_any(e.path, mapping)]
        if broken:
            raise UsageError(
                _("{path} has errors; fix them (kb check) before renumbering").format(
                    path=broken[0].path
                )
            )
        paths = {f"{k.directory}/{old}{k.suffix}": old for old, k in kinds.items()}
        by = whoami(kb)
        with speaking(kb.config.language):  # history is written in the content language
            note = _(NOTE)
        for shown in record_files(root):
            text = store.read(shown)
            moved = substitute(text, mapping)
            old = paths.get(shown)
            if old is None:
                if moved != text:
                    store.write(shown, moved)
                continue
            kind = kinds[old]
            target = f"{kind.directory}/{mapping[old]}{kind.suffix}"
            if kind.markdown and "history" in kind.model.model_fields:
                matter = roundtrip.parse(root / target, target, moved)
                entry = Entry(today, note.format(old=old, new=mapping[old]), by)
                append_history(matter.data, tuple(kind.model.model_fields), entry)
                moved = matter.render()
            store.write(target, moved)
            store.remove(shown)
        for old, new in mapping.items():
            _move_evidence(store, old, new)
        written = commit(store)
    gone = set(store.removed())
    return Renumbered(mapping, [p for p in written if p not in gone], sorted(gone))


def _names_any(path: str, mapping: dict[str, str]) -> bool:
    return any(path.rsplit("/", 1)[-1].startswith(old + ".") for old in mapping)


def _check_pair(store: Change, old: str, new: str, mapping: dict[str, str]) -> Kind:
    kb, _found = store.checked()
    kind = kind_of(old)
    if kind not in numbered_kinds():
        raise UsageError(_("{id} has no sequence number to change").format(id=old))
    if kind_of(new) is not kind:
        raise UsageError(
            _("{new} is not an id of the same kind as {old}; use {prefix}-NNNN").format(
                new=new, old=old, prefix=kind.prefix
            )
        )
    if old == new:
        raise UsageError(_("{id} already has that id").format(id=old))
    if old not in kb.records.get(kind.name, {}):
        raise UsageError(_("no {kind} {id}; see kb list {kind}").format(kind=kind.name, id=old))
    target = store.root / kind.directory / f"{new}{kind.suffix}"
    taken = new in kb.records.get(kind.name, {}) or new in kb.invalid or target.exists()
    if taken or new in mapping or list(mapping.values()).count(new) > 1:
        raise UsageError(
            _("{id} is taken; choose a free id (kb renumber --onto BASE picks them)").format(id=new)
        )
    if (store.root / FOLDER / new).exists():
        raise UsageError(
            _("{folder} already exists; move it away or choose another id").format(
                folder=f"{FOLDER}/{new}"
            )
        )
    return kind


def _move_evidence(store: Change, old: str, new: str) -> None:
    folder = store.root / FOLDER / old
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        shown = store.shown(path)
        if path.is_symlink() or not path.is_file():
            raise UsageError(
                _("{path} is not a plain file; move it by hand, then renumber").format(path=shown)
            )
        store.place(f"{FOLDER}/{new}/{path.name}", path.read_bytes())
        store.remove(path)
