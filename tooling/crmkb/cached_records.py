"""Loading through the record cache: which files it proves unchanged, and records built from
it only when a command first uses them (see `crmkb.record_cache` for the cache itself)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, ItemsView, Iterator, MutableMapping, Sequence, ValuesView
from typing import Any, NamedTuple

from pydantic import ValidationError

from crmkb.errors import RecordError
from crmkb.record_cache import RecordCache, Row, StatKey
from crmkb.records.base import Kind, Record
from crmkb.yamlfile import Document, read_text

Parsed = tuple[list[Record], list[RecordError], set[str], str]


class Hit(NamedTuple):
    """A file the cache proves unchanged since it loaded without error, or a valid file the
    second loading process sent back as its `row`: its record is built when first used."""

    path: str
    record_id: str
    digest: str
    row: Row | None = None


def parse_with_cache(
    cache: RecordCache,
    tasks: Sequence[tuple[Kind, Any]],
    parse: Callable[[list[tuple[Kind, Any]]], list[Parsed | Row]],
) -> list[Parsed | Hit]:
    """Each task's file as a cache hit, or parsed by `parse`; parsed files that loaded
    without any error are remembered."""
    results: list[Parsed | Hit | None] = [None] * len(tasks)
    misses: list[int] = []
    keys: dict[int, StatKey | None] = {}
    for i, (kind, entry) in enumerate(tasks):
        if kind.list_key or entry.is_link:  # a few files, or a link that may be retargeted
            misses.append(i)
            continue
        display = f"{kind.directory}/{entry.name}"
        keys[i] = key = StatKey.of(entry.path)
        row = cache.entry(kind.name, display, key, lambda e=entry, d=display: read_text(e.path, d))
        if row is None:
            misses.append(i)
        else:
            results[i] = Hit(display, entry.name[: -len(kind.suffix)], row.digest)
    taken = time.time_ns()  # before any miss is read: conservative for the racy rule
    for i, parsed in zip(misses, parse([tasks[i] for i in misses]), strict=True):
        key = keys.get(i)
        if isinstance(parsed, Row):
            row = parsed._replace(taken=taken, **(key._asdict() if key else {}))
            results[i] = Hit(
                row.path, tasks[i][1].name[: -len(tasks[i][0].suffix)], row.digest, row
            )
            if key is not None:
                cache.remember(row)
            continue
        results[i] = parsed
        records, errors, _, text_hash = parsed
        if key is not None and len(records) == 1 and not errors and text_hash:
            row = row_of(tasks[i][0], records[0], text_hash)
            cache.remember(row._replace(taken=taken, **key._asdict()))
    cache.save(f"{kind.directory}/{entry.name}" for kind, entry in tasks if not kind.list_key)
    return [r for r in results if r is not None]


def row_of(kind: Kind, record: Record, text_hash: str) -> Row:
    """The cache row of a valid record (its stat fields and time taken still to be filled)."""
    doc = record._doc
    assert doc is not None  # every loaded record is attached to its file
    return Row(
        record.path,
        kind.name,
        -1,
        -1,
        -1,
        -1,
        -1,
        text_hash,
        record.model_dump_json(),
        doc.yaml_text,
        doc.yaml_line,
        doc.body,
        doc.body_line,
    )


class Records(MutableMapping[str, Record]):
    """One kind's records by id, in file order; cached ones are validated from the cache on
    first use (all of them at once when the records are iterated)."""

    def __init__(self, cache: RecordCache, kind: Kind, fallback: Callable[[str], Record]) -> None:
        self._cache = cache
        self._kind = kind
        self._fallback = fallback  # parses a file when its cache entry has gone meanwhile
        self._items: dict[str, Record | None] = {}
        self._later: dict[str, str] = {}  # id -> path, for records not yet built
        self._rows: dict[str, Row] = {}  # rows already in memory, by path

    @property
    def deferred(self) -> int:
        """How many records are still waiting in the cache to be built."""
        return len(self._later)

    def path_of(self, record_id: str) -> str:
        """The file a record comes from, without building the record."""
        record = self._items[record_id]
        return record.path if record is not None else self._later[record_id]

    def defer(self, hit: Hit) -> None:
        self._items[hit.record_id] = None
        self._later[hit.record_id] = hit.path
        if hit.row is not None:
            self._rows[hit.path] = hit.row

    def __getitem__(self, record_id: str) -> Record:
        record = self._items[record_id]
        if record is None:
            path = self._later.pop(record_id)
            row = self._rows.pop(path, None) or self._cache.full_rows([path]).get(path)
            record = self._build(row, path)
            self._items[record_id] = record
        return record

    def _build(self, row: Row | None, path: str) -> Record:
        record = None
        if row is not None:
            with contextlib.suppress(ValidationError):
                record = self._kind.model.model_validate_json(row.fields)
        if record is None or row is None:
            return self._fallback(path)
        doc = Document(row.path, None, row.yaml_text, row.yaml_line, row.body, row.body_line)
        record.attach(doc)
        return record

    def _build_all(self) -> None:
        if not self._later:
            return
        wanted = [path for path in self._later.values() if path not in self._rows]
        rows = {**self._rows, **(self._cache.full_rows(wanted) if wanted else {})}
        self._rows.clear()
        for record_id, path in self._later.items():
            self._items[record_id] = self._build(rows.get(path), path)
        self._later.clear()

    def naming(self, quoted: list[str], stored: dict[str, bool]) -> set[str]:
        """Ids of the records whose fields, as JSON, hold one of the `quoted` JSON strings.

        `stored` answers for the cache's entries by path (`RecordCache.naming`), so records not
        built yet stay unbuilt; any other record is looked at itself."""
        found: set[str] = set()
        for record_id, record in self._items.items():
            if record is not None:
                hit = holds(record.model_dump_json(), quoted)
            elif (row := self._rows.get(self._later[record_id])) is not None:
                hit = holds(row.fields, quoted)
            elif self._later[record_id] in stored:
                hit = stored[self._later[record_id]]
            else:  # its entry is gone: build it from the file
                hit = holds(self[record_id].model_dump_json(), quoted)
            if hit:
                found.add(record_id)
        return found

    def values(self) -> ValuesView[Record]:
        self._build_all()
        return super().values()

    def items(self) -> ItemsView[str, Record]:
        self._build_all()
        return super().items()

    def __setitem__(self, record_id: str, record: Record) -> None:
        self._later.pop(record_id, None)
        self._items[record_id] = record

    def __delitem__(self, record_id: str) -> None:
        self._later.pop(record_id, None)
        del self._items[record_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._items


def holds(fields: str, quoted: list[str]) -> bool:
    """Whether a record's fields (JSON) hold one of the `quoted` JSON strings."""
    return any(q in fields for q in quoted)
