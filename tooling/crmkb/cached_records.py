"""Loading through the record cache: which files it proves unchanged, and records built from
it only when a command first uses them (see `crmkb.record_cache` for the cache itself)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
    ValuesView,
)
from functools import partial
from typing import Any, NamedTuple, TypeVar

from pydantic import ValidationError

from crmkb.errors import RecordError
from crmkb.record_cache import RecordCache, Row, StatKey, trusted
from crmkb.records.base import Kind, Record
from crmkb.yamlfile import Document, read_text

R = TypeVar("R", bound=Record)
Parsed = tuple[list[Record], list[RecordError], set[str], str, StatKey | None]


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
    parse: Callable[[list[tuple[Kind, Any]], int], list[Parsed | Row | Hit]],
) -> list[Parsed | Hit]:
    """Each task's file as a cache hit, or parsed by `parse` (given the time its entries are
    taken); parsed files that loaded without any error are remembered. `parse` gives a valid
    file as its whole entry: a Row to remember, or a Hit whose entry is written elsewhere."""
    results: list[Parsed | Hit | None] = [None] * len(tasks)
    misses: list[int] = []
    known = cache.rows()
    for i, (kind, entry) in enumerate(tasks):
        # A list file holds many records and is never cached; a link may be retargeted, or
        # lead out of the repository, without any change to its own stat fields.
        if kind.list_key or entry.is_link:
            misses.append(i)
            continue
        display = f"{kind.directory}/{entry.name}"
        keys = known.get(display)
        if keys is None:  # a miss: its stat fields are taken when it is read
            misses.append(i)
            continue
        key = StatKey.of(entry.path)
        if key is None or keys[1] != kind.name:
            misses.append(i)
            continue
        # Tuple comparisons in the common case: this runs once per record file.
        if trusted(keys, key) or cache.same_text(
            keys, key, partial(read_text, entry.path, display)
        ):
            results[i] = Hit(display, entry.name[: -len(kind.suffix)], keys[7])
        else:
            misses.append(i)
    taken = time.time_ns()  # before any miss is read: conservative for the racy rule
    for i, parsed in zip(misses, parse([tasks[i] for i in misses], taken), strict=True):
        kind, entry = tasks[i]
        if isinstance(parsed, Row):
            parsed = Hit(parsed.path, entry.name[: -len(kind.suffix)], parsed.digest, parsed)
            cache.remember(parsed.row)  # type: ignore[arg-type]
        if isinstance(parsed, Hit):
            results[i] = parsed
            continue
        results[i] = parsed
        if (row := entry_of(kind, entry, parsed, taken)) is not None:
            cache.remember(row)
    cache.save(f"{kind.directory}/{entry.name}" for kind, entry in tasks if not kind.list_key)
    return [r for r in results if r is not None]


def entry_of(kind: Kind, entry: Any, parsed: Parsed, taken: int) -> Row | None:
    """The cache entry a parsed file becomes (taken at `taken`), or None: only a file that
    holds one record and loaded without any error, read with its stat fields, and neither a
    list file (many records) nor a link (it may be retargeted without any change to its own
    stat fields)."""
    records, errors, _, text_hash, key = parsed
    if kind.list_key or entry.is_link or key is None or errors or len(records) != 1:
        return None
    return row_of(kind, records[0], text_hash, key, taken) if text_hash else None


def row_of(kind: Kind, record: Record, text_hash: str, key: StatKey, taken: int) -> Row:
    """The cache row of a valid record read with these stat fields at `taken`."""
    doc = record._doc
    assert doc is not None  # every loaded record is attached to its file
    return Row(
        doc.path,
        kind.name,
        *key,
        taken,
        text_hash,
        record.model_dump_json(),
        doc.yaml_text,
        doc.yaml_line,
        doc.body,
        doc.body_line,
    )


def where(records: MutableMapping[str, R], wanted: Mapping[str, Callable[[str], bool]]) -> list[R]:
    """`records.values()`, less cached records ruled out by `wanted` (see `Records.where`)."""
    if isinstance(records, Records):
        return records.where(wanted)  # type: ignore[return-value]  # a Records of kind R
    return list(records.values())


class Records(MutableMapping[str, Record]):
    """One kind's records by id, in file order; cached ones are validated from the cache on
    first use (all of them at once when the records are iterated)."""

    def __init__(self, cache: RecordCache, kind: Kind, fallback: Callable[[str], Record]) -> None:
        self._cache = cache
        self._kind = kind
        self._fallback = fallback  # parses a file when its cache entry has gone meanwhile
        self._items: dict[str, Record | None] = {}
        self._later: dict[str, tuple[str, str]] = {}  # id -> (path, digest), not yet built
        self._rows: dict[str, Row] = {}  # rows already in memory, by path

    @property
    def deferred(self) -> int:
        """How many records are still waiting in the cache to be built."""
        return len(self._later)

    def path_of(self, record_id: str) -> str:
        """The file a record comes from, without building the record."""
        record = self._items[record_id]
        return record.path if record is not None else self._later[record_id][0]

    def defer(self, hit: Hit) -> None:
        self._items[hit.record_id] = None
        self._later[hit.record_id] = (hit.path, hit.digest)
        if hit.row is not None:
            self._rows[hit.path] = hit.row

    def prefetch(self, record_ids: Iterable[str]) -> None:
        """Build these records now, in one cache lookup, rather than one lookup each."""
        self._build_some([rid for rid in record_ids if rid in self._later])

    def __getitem__(self, record_id: str) -> Record:
        if self._items[record_id] is None:
            self._build_some([record_id])
        record = self._items[record_id]
        assert record is not None
        return record

    def where(self, wanted: Mapping[str, Callable[[str], bool]]) -> list[Record]:
        """The records, in file order, less cached ones whose kept fields show that a named
        field is a text `wanted` rejects (those are never built). A field absent or not a text
        rules nothing out, so the caller still tests every record it gets."""
        if self._later and wanted:
            names = list(wanted)
            values = self._cache.field_values(self._kind.name, names)
            tests = [wanted[name] for name in names]
            proven = {path: digest for path, digest in self._later.values()}
            ruled_out = {
                path
                for path, (digest, texts) in values.items()
                if any(t is not None and not keep(t) for t, keep in zip(texts, tests, strict=True))
                and proven.get(path) == digest
            }
            keep_ids = [rid for rid, (path, _) in self._later.items() if path not in ruled_out]
            self._build_some(keep_ids)
            return [
                r
                for rid, r in self._items.items()
                if r is not None and not (rid in self._later and self._later[rid][0] in ruled_out)
            ]
        return list(self.values())

    def _build_some(self, record_ids: list[str]) -> None:
        wanted = [
            self._later[rid][0] for rid in record_ids if self._later[rid][0] not in self._rows
        ]
        rows = {**self._rows, **(self._cache.full_rows(wanted) if wanted else {})}
        for record_id in record_ids:
            path, digest = self._later.pop(record_id)
            self._rows.pop(path, None)
            self._items[record_id] = self._build(rows.get(path), path, digest)

    def _build(self, row: Row | None, path: str, digest: str) -> Record:
        record = None
        if row is not None and row.digest == digest:
            with contextlib.suppress(ValidationError):
                record = self._kind.model.model_validate_json(row.fields)
        if record is None or row is None:
            return self._fallback(path)
        assert row.yaml_text is not None and row.body is not None  # full rows carry them
        doc = Document(row.path, None, row.yaml_text, row.yaml_line, row.body, row.body_line)
        record.attach(doc)
        return record

    def _build_all(self) -> None:
        if self._later:
            self._build_some(list(self._later))

    def naming(self, quoted: list[str], stored: dict[str, bool]) -> set[str]:
        """Ids of the records whose fields, as JSON, hold one of the `quoted` JSON strings.

        `stored` answers for the cache's entries by path (`RecordCache.naming`), so records not
        built yet stay unbuilt; any other record is looked at itself."""
        found: set[str] = set()
        for record_id, record in self._items.items():
            if record is not None:
                hit = holds(record.model_dump_json(), quoted)
            elif (row := self._rows.get(path := self._later[record_id][0])) is not None:
                hit = holds(row.fields, quoted)
            elif path in stored:
                hit = stored[path]
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
