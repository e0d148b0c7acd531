"""The cross-record errors after a change, recomputed only for the records it can affect.

`kb check` runs every kind's rules over every record (`knowledge_base.cross_check`). A write
changes a few files, so its check keeps the errors of the state before the change and reruns
the rules only for the records whose errors can differ. The result equals the errors of
`cross_check` on the knowledge base after the change (warnings never decide a write);
tests/store/test_incremental.py checks that on random edits and lifecycle steps.

What each kind's rules read, and so what one record's errors depend on:

- issue (records/issue.py, sla.py): its own fields; whether the person, module, solution and
  issue ids it names exist or failed to load (`kb.invalid`); the solution it names (does it
  list this issue?) and its `duplicate_of` issue (is that a duplicate too?); the evidence files
  it lists and its evidence folder; today, crmkb.yml and the calendar.
- solution: its own fields and body; the person, module and issue ids it names; whether the
  issues it lists name it back.
- change request: its own fields and today; the person, module and issue ids it names.
- feedback: its own fields and today; whether the person and records (any kind) it names exist.
- audit: its own fields and today; whether the people, module, role or training module and the
  records (any kind) it names exist. data check: its own fields and today; the module and people
  it names (its "found again" rule across runs only warns).

So an error of these six kinds depends only on its own record and on the records whose ids it
names: when a change rewrites files holding ids C, only the rewritten records and the records
naming an id in C can change. Those are found without building every record: the record cache
keeps each record's fields as JSON, and SQLite finds the entries holding '"ISS-0002"' in one
pass (a superset: a title that is exactly an id matches too, which rechecks one more record).

The other kinds' rules are aggregate or read whole kinds: unique training slots, question ids
and texts across banks, exam pools summed over banks, signatures and retakes across results,
synonym groups; people, roles and modules are one file each. A change that writes one of their
files, or changes an id one of their records names, is checked in full; so is a change made
while a file the rules read besides records changed (attachments, proctors' keys, calendar,
crmkb.yml: kb attach places its evidence before it commits).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field

from crmkb.cached_records import Records, holds
from crmkb.errors import RecordError
from crmkb.knowledge_base import KnowledgeBase, path_of
from crmkb.records import REGISTRY
from crmkb.records.base import Record

PER_RECORD = frozenset({"issue", "solution", "change", "feedback", "audit", "data-check"})


@dataclass
class After:
    """The knowledge base after a change, with what the change touched."""

    kb: KnowledgeBase
    errors: list[RecordError]  # load errors (the written files parsed again)
    paths: set[str] = field(default_factory=set)  # record files written
    kinds: set[str] = field(default_factory=set)  # their kinds
    # Ids whose records may differ: those in the written files before and after, and the
    # files' names (a file that fails to load makes its name an id known to be invalid).
    ids: set[str] = field(default_factory=set)
    written: dict[str, set[str]] = field(default_factory=dict)  # kind -> ids of its records


class Overlay(MutableMapping[str, Record]):
    """A kind's records after a change: the loaded ones, with the written files' records
    swapped in, none built before it is used. Iteration keeps the order of a fresh load
    (file order, a new file in its sorted place), which aggregate rules depend on."""

    def __init__(self, base: MutableMapping[str, Record]) -> None:
        self.base = base
        self.gone: set[str] = set()
        self.put: dict[str, Record] = {}

    def path_of(self, record_id: str) -> str:
        if record_id in self.put:
            return self.put[record_id].path
        return path_of(self.base, record_id)

    def ids_at(self, path: str) -> set[str]:
        """The ids of the records a file holds now."""
        return {key for key in self if self.path_of(key) == path}

    def __getitem__(self, key: str) -> Record:
        if key in self.put:
            return self.put[key]
        if key in self.gone:
            raise KeyError(key)
        return self.base[key]

    def __contains__(self, key: object) -> bool:
        return key in self.put or (key not in self.gone and key in self.base)

    def __setitem__(self, key: str, value: Record) -> None:
        self.put[key] = value

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self.put.pop(key, None)
        self.gone.add(key)

    def __iter__(self) -> Iterator[str]:
        by_path: dict[str, list[str]] = {}
        for key, record in self.put.items():
            by_path.setdefault(record.path, []).append(key)
        fresh = sorted(by_path, reverse=True)  # popped from the end: smallest first
        for key in self.base:
            if not by_path:
                if key not in self.gone:
                    yield key
                continue
            path = path_of(self.base, key)
            while fresh and fresh[-1] < path:
                yield from by_path[fresh.pop()]
            if path in by_path:
                if fresh and fresh[-1] == path:
                    yield from by_path[fresh.pop()]
            elif key not in self.gone:
                yield key
        while fresh:
            yield from by_path[fresh.pop()]

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Scoped(MutableMapping[str, Record]):
    """A kind's records as the rules see them in an incremental check: iterating gives only
    the records to check, looking up by id finds any record."""

    def __init__(self, bucket: MutableMapping[str, Record], ids: set[str]) -> None:
        self.bucket = bucket
        self.ids = sorted(key for key in ids if key in bucket)

    def __getitem__(self, key: str) -> Record:
        return self.bucket[key]

    def __contains__(self, key: object) -> bool:
        return key in self.bucket

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __setitem__(self, key: str, value: Record) -> None:
        raise TypeError("the records of an incremental check are read-only")

    def __delitem__(self, key: str) -> None:
        raise TypeError("the records of an incremental check are read-only")


def scope(before: KnowledgeBase, after: After) -> dict[str, set[str]] | None:
    """For each per-record kind, the ids of the records whose errors the change can alter;
    None when the change must be checked in full."""
    if not after.kinds <= PER_RECORD:
        return None
    quoted = sorted(json.dumps(i, ensure_ascii=False) for i in after.ids)
    if any(q[1:-1] != i for q, i in zip(quoted, sorted(after.ids), strict=True)):
        return None  # an id JSON would escape: the text search could miss it
    stored = _stored(before, quoted)
    found: dict[str, set[str]] = {}
    for kind in REGISTRY:
        bucket = after.kb.records.get(kind.name, {})
        naming = _naming(bucket, quoted, stored)
        if kind.name not in PER_RECORD:
            if naming:
                return None
            continue
        found[kind.name] = naming | after.written.get(kind.name, set())
    return found


def _stored(kb: KnowledgeBase, quoted: list[str]) -> dict[str, bool]:
    """The cache's answer for records not built yet ({} when every record is built)."""
    waiting = any(isinstance(b, Records) and b.deferred for b in kb.records.values())
    if not waiting or kb.cache is None:
        return {}
    return kb.cache.naming(quoted) or {}  # no answer: the records are built and looked at


def _naming(
    bucket: MutableMapping[str, Record], quoted: list[str], stored: dict[str, bool]
) -> set[str]:
    """Ids of the bucket's records whose fields hold one of the quoted ids."""
    if isinstance(bucket, Overlay):
        put = {k for k, r in bucket.put.items() if holds(r.model_dump_json(), quoted)}
        base = _naming(bucket.base, quoted, stored)
        return put | {k for k in base if k not in bucket.gone and k not in bucket.put}
    if isinstance(bucket, Records):
        return bucket.naming(quoted, stored)
    return {k for k, r in bucket.items() if holds(r.model_dump_json(), quoted)}


def rerun(
    before_errors: list[RecordError], after: After, ids: dict[str, set[str]]
) -> list[RecordError]:
    """The cross-record errors after the change: the rules rerun for the records in `ids`,
    the errors from before kept for every other file."""
    records = after.kb.records
    view = KnowledgeBase(
        root=after.kb.root,
        config=after.kb.config,
        today=after.kb.today,
        records={k: Scoped(b, ids[k]) if k in ids else b for k, b in records.items()},
        invalid=after.kb.invalid,
        unreadable=after.kb.unreadable,
    )
    fresh = [
        error
        for kind in REGISTRY
        if kind.name in ids
        for error in kind.check(view)
        if error.severity == "error"
    ]
    checked = set(after.paths)
    for name, keys in ids.items():
        checked |= {path_of(records[name], key) for key in keys if key in records[name]}
    kept = [e for e in before_errors if e.severity == "error" and e.path not in checked]
    return sorted(set(kept + fresh))
