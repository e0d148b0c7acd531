"""Loading through the record cache: which files it proves unchanged, and records built from
it only when a command first uses them (see `crmkb.record_cache` for the cache itself)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import (
    Callable,
    ItemsView,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
    ValuesView,
)
from typing import Any, NamedTuple, TypeVar

from pydantic import ValidationError

from crmkb.errors import KbError, RecordError
from crmkb.record_cache import RecordCache, Row, StatKey
from crmkb.records.base import Kind, Record
from crmkb.yamlfile import Document, read_text

R = TypeVar("R", bound=Record)
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


def where(records: MutableMapping[str, R], wanted: Mapping[str, Callable[[str], bool]]) -> list[R]:
    """`records.values()`, less cached records ruled out by `wanted` (see `Records.where`)."""
    if isinstance(records, Records):
        return records.where(wanted)  # type: ignore[return-value]  # a Records of kind R
    return list(records.values())


class Records(MutableMapping[str, Record]):
    """One kind's records by id, in file order; cached ones are validated from the cache on
    first use (all of them at once when the records are iterated), their YAML text and body
    fetched only when something reads them."""

    def __init__(self, cache: RecordCache, kind: Kind, fallback: Callable[[str], Record]) -> None:
        self._cache = cache
        self._kind = kind
        self._fallback = fallback  # parses a file when its cache entry has gone meanwhile
        self._items: dict[str, Record | None] = {}
        self._later: dict[str, tuple[str, str]] = {}  # id -> (path, digest), not yet built
        self._rows: dict[str, Row] = {}  # rows already in memory, by path
        self._texts = _Texts(cache)

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
        rows = {**self._rows, **(self._cache.field_rows(wanted) if wanted else {})}
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
        if row.yaml_text is not None and row.body is not None:
            doc = Document(row.path, None, row.yaml_text, row.yaml_line, row.body, row.body_line)
        else:
            doc = _CachedDocument(row, self._texts)
        record.attach(doc)
        return record

    def _build_all(self) -> None:
        if self._later:
            self._build_some(list(self._later))

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


class _Texts:
    """The YAML texts and bodies of cached records, fetched from the cache when first read: at
    the first read, every text not fetched yet of the records built so far, in one pass."""

    def __init__(self, cache: RecordCache) -> None:
        self._cache = cache
        self._waiting: list[str] = []
        self._known: dict[str, tuple[str, str, str]] = {}

    def expect(self, path: str) -> None:
        self._waiting.append(path)

    def of(self, path: str, digest: str) -> tuple[str, str]:
        if path not in self._known:
            self._known.update(self._cache.texts([*self._waiting, path]))
            self._waiting.clear()
        found = self._known.get(path)
        if found is None or found[0] != digest:
            return self._from_file(path, digest)
        return found[1], found[2]

    def _from_file(self, path: str, digest: str) -> tuple[str, str]:
        """The texts read from the file itself, when the cache lost them meanwhile; the file
        must still hold the text the record's fields were taken from."""
        from crmkb.record_cache import digest as digest_of
        from crmkb.yamlfile import markdown_document, yaml_document

        text = read_text(self._cache.root / path, path)
        if digest_of(text) != digest:
            raise KbError(f"{path} changed while kb was reading it; run the command again")
        doc = (markdown_document if path.endswith(".md") else yaml_document)(text, path)
        return doc.yaml_text, doc.body


class _CachedDocument(Document):
    """A cached record's Document: its YAML text and body are fetched when first read."""

    _digest: str
    _texts: _Texts

    def __init__(self, row: Row, texts: _Texts) -> None:
        for name, value in (
            ("path", row.path),
            ("data", None),
            ("yaml_line", row.yaml_line),
            ("body_line", row.body_line),
        ):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_digest", row.digest)
        object.__setattr__(self, "_texts", texts)
        texts.expect(row.path)

    @property
    def yaml_text(self) -> str:
        return self._texts.of(self.path, self._digest)[0]

    @property
    def body(self) -> str:
        return self._texts.of(self.path, self._digest)[1]
