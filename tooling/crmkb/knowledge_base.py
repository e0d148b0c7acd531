"""Loading the whole knowledge base: every record parsed, validated and cross-checked once."""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pydantic import ValidationError

from crmkb import cached_records, forked, record_cache, split_load
from crmkb.config import Config, load_config
from crmkb.errors import KbError, RecordError, RecordErrors
from crmkb.record_cache import RecordCache, Row, StatKey
from crmkb.records import REGISTRY
from crmkb.records.base import (
    LOCATE_WARNINGS,
    Kind,
    Record,
    body_problem,
    validation_errors,
)
from crmkb.records.markup import markup_problems
from crmkb.yamlfile import Document, markdown_document, read_text_stat, yaml_document

R = TypeVar("R", bound=Record)
Progress = Callable[[int], None]


@dataclass
class KnowledgeBase:
    """All valid records of a repository, by kind and id."""

    root: Path
    config: Config = field(default_factory=Config)
    today: dt.date = field(default_factory=dt.date.today)
    records: dict[str, MutableMapping[str, Record]] = field(default_factory=dict)
    # Ids of records whose files exist but failed to load: their own errors are reported, so
    # references to them are not reported again as unknown ids.
    invalid: set[str] = field(default_factory=set)
    # Checks `kb check` could not run here (the exam pool kept outside the repository).
    skipped: list[str] = field(default_factory=list)
    # What `kb check` notes besides problems (where the SLA calendar's days came from).
    notes: list[str] = field(default_factory=list)
    # The content hash of every record file read, by repository path: what the record cache
    # and the cached cross-record results are keyed by.
    sources: dict[str, str] = field(default_factory=dict)
    cache: RecordCache | None = None
    # Kinds whose folder could not be read: that error is reported once, not once per reference.
    unreadable: set[str] = field(default_factory=set)

    def of(self, model: type[R]) -> MutableMapping[str, R]:
        return self.records.setdefault(REGISTRY.by_model[model].name, {})  # type: ignore[return-value]

    def get(self, record_id: str) -> Record | None:
        for kind in REGISTRY:
            found = self.records.get(kind.name, {}).get(record_id)
            if found is not None:
                return found
        return None

    def all(self) -> Iterator[Record]:
        for kind in REGISTRY:
            yield from self.records.get(kind.name, {}).values()

    def refs(
        self, record: Record, loc: tuple[str | int, ...], target: str, model: type[Record]
    ) -> Iterator[RecordError]:
        """An error when `target` is not the id of an existing `model` record."""
        kind = REGISTRY.by_model[model]
        if target not in self.of(model) and target not in self.invalid:
            if kind.name in self.unreadable:
                return
            where = kind.directory + (kind.suffix if kind.list_key else "/")
            yield record.error(loc, f"unknown {kind.name} '{target}'; it is not defined in {where}")


class _Entry(NamedTuple):
    name: str
    path: str  # a plain string: building a Path per file costs more than parsing it
    is_link: bool
    shown_in: str = ""  # the folder named in messages, when not the kind's own


def _exam_pool_entries(root: Path, config: Config) -> list[_Entry]:
    """Question banks in the exam-pool folder that crmkb.yml names, outside records/."""
    if not config.exam_pool:
        return []
    folder = (root / config.exam_pool).resolve()
    if not folder.is_dir():
        return []
    shown = config.exam_pool.rstrip("/")
    return sorted(
        _Entry(p.name, str(p), False, shown)
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".")
    )


# Hidden names a record folder may hold: git's placeholder, and a write's temporary files, which
# exist only while a journal does (and `kb check` reports the journal).
_QUIET_HIDDEN = (".gitkeep", ".kb-tmp")


def _record_entries(root: Path, kind: Kind) -> list[_Entry]:
    """Each of a kind's record files, sorted by name; RecordErrors if the folder is unreadable."""
    if kind.list_key:
        single = root / (kind.directory + kind.suffix)
        return [_Entry(single.name, str(single), single.is_symlink())] if single.exists() else []
    folder = os.path.join(root, kind.directory)
    try:
        # scandir: one directory read that also tells symlinks apart, no stat per file.
        with os.scandir(folder) as entries:
            found = [
                _Entry(e.name, e.path, e.is_symlink())
                for e in entries
                if not e.name.endswith(_QUIET_HIDDEN) and not e.is_dir()
            ]
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        message = f"cannot read this folder: {exc.strerror}; its records were not checked"
        raise RecordErrors([RecordError(kind.directory + "/", 1, 1, message)]) from None
    return sorted(found)


def _unreadable_records_folder(root: Path) -> list[RecordError]:
    """An error when records/ itself cannot be listed (every kind would look empty)."""
    try:
        os.listdir(root / "records")
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        message = f"cannot read this folder: {exc.strerror}; no record was checked"
        return [RecordError("records/", 1, 1, message)]
    return []


def escapes_root(root: Path, path: Path) -> bool:
    """Whether `path` is, or lies under, a symlink leading out of the repository."""
    return not path.resolve().is_relative_to(root.resolve())


def _outside_error(root: Path, path: Path, what: str) -> RecordError:
    message = (
        f"this {what} is a symlink to a {what} outside the repository; "
        f"replace the link with the {what} itself"
    )
    return RecordError(path.relative_to(root).as_posix(), 1, 1, message)


def _display(kind: Kind, entry: _Entry) -> str:
    if entry.shown_in:  # a file of the exam pool kept outside records/
        return f"{entry.shown_in}/{entry.name}"
    # The same as path.relative_to(root).as_posix(), without pathlib's cost per file.
    return kind.directory + kind.suffix if kind.list_key else f"{kind.directory}/{entry.name}"


def _parse_file(
    root: Path, kind: Kind, entry: _Entry, invalid: set[str]
) -> tuple[list[Record], list[RecordError], str, StatKey | None]:
    """The records in one file, its errors, the hash of its text ('' when unread), and its
    stat fields taken before it was read."""
    display = _display(kind, entry)
    if entry.is_link and escapes_root(root, Path(entry.path)):
        return [], [_outside_error(root, Path(entry.path), "file")], "", None
    if entry.name.startswith("."):
        message = (
            "hidden file in a record folder; kb does not read it: rename it without the "
            "leading '.' to make it a record, or move it out of records/"
        )
        return [], [RecordError(display, 1, 1, message)], "", None
    if not entry.name.endswith(kind.suffix):
        example = f"{kind.prefix}-0001{kind.suffix}" if kind.prefix else f"<id>{kind.suffix}"
        article = "an" if kind.name[0] in "aeiou" else "a"
        message = (
            f"not {article} {kind.name} record; {kind.directory}/ holds files named like {example}"
        )
        return [], [RecordError(display, 1, 1, message)], "", None
    text_hash = ""
    key = None
    try:
        text, info = read_text_stat(entry.path, display)
        key = StatKey(info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        text_hash = record_cache.digest(text)
        doc = (markdown_document if kind.markdown else yaml_document)(text, display)
    except RecordErrors as exc:
        invalid.add(entry.name[: -len(kind.suffix)])
        return [], exc.errors, text_hash, key
    return (*parse_document(kind, doc, entry.name, invalid), text_hash, key)


def parse_document(
    kind: Kind, doc: Document, name: str, invalid: set[str]
) -> tuple[list[Record], list[RecordError]]:
    """Validate one parsed file of `kind`; ids of records that fail go into `invalid`."""
    if kind.list_key:
        return _parse_list(kind, doc, invalid)
    records, errors = _parse_one(kind, doc, name)
    too_long = body_problem(doc)
    if too_long:
        errors.append(too_long)
    elif doc.body:
        errors += markup_problems(doc)
    if not records:
        invalid.add(name[: -len(kind.suffix)])
    return records, errors


def _parse_one(kind: Kind, doc: Document, name: str) -> tuple[list[Record], list[RecordError]]:
    if not isinstance(doc.data, dict):
        what = "front matter" if kind.markdown else "file"
        message = f"the {what} must be a mapping of fields (key: value)"
        return [], [RecordError(doc.path, doc.yaml_line, 1, message)]
    try:
        record = kind.model.model_validate(doc.data)
    except ValidationError as exc:
        return [], validation_errors(exc, doc, kind.model)
    record.attach(doc)
    if name[: -len(kind.suffix)] != record.id:
        message = (
            f"id '{record.id}' does not match the file name '{name}'; "
            f"rename the file to {record.id}{kind.suffix} or change the id"
        )
        return [record], [record.error(("id",), message)]
    return [record], []


def _parse_list(
    kind: Kind, doc: Document, invalid: set[str]
) -> tuple[list[Record], list[RecordError]]:
    key = kind.list_key or ""
    items = doc.data.get(key) if isinstance(doc.data, dict) else None
    if not isinstance(items, list) or set(doc.data) != {key}:
        message = f"this file must hold one top-level key '{key}:' with a list of entries"
        return [], [RecordError(doc.path, 1, 1, message)]
    records: list[Record] = []
    errors: list[RecordError] = []
    for i, item in enumerate(items):
        try:
            record = kind.model.model_validate(item)
        except ValidationError as exc:
            errors.extend(validation_errors(exc, doc, kind.model, (key, i)))
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                invalid.add(item["id"])
            continue
        record.attach(doc, (key, i))
        records.append(record)
    return records, errors


Parsed = cached_records.Parsed
# Below this many files a second process costs more than it saves.
PARALLEL_MIN_FILES = 2000


def _parse_chunk(root: Path, chunk: list[tuple[str, _Entry]]) -> list[Parsed]:
    parsed: list[Parsed] = []
    for kind_name, entry in chunk:
        invalid: set[str] = set()
        records, errors, text_hash, key = _parse_file(root, REGISTRY[kind_name], entry, invalid)
        parsed.append((records, errors, invalid, text_hash, key))
    return parsed


def _parse_shipped(
    root: Path, chunk: list[tuple[str, _Entry]], taken: int
) -> list[Parsed | cached_records.Hit]:
    """`_parse_chunk` in the second process (see `split_load.shipped`)."""
    return split_load.shipped(chunk, _parse_chunk(root, chunk), taken)


def _parse_all(
    root: Path,
    tasks: list[tuple[Kind, _Entry]],
    progress: Progress | None,
    cache: RecordCache,
    taken: int,
) -> list[Parsed | Row | cached_records.Hit]:
    """Parse every file; a large knowledge base is split with a forked second process, which
    also writes the record cache while this one goes on (see `RecordCache.share_writing`)."""
    named = [(kind.name, entry) for kind, entry in tasks]
    if len(named) < PARALLEL_MIN_FILES or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
        return list(_parse_with_progress(root, named, progress))
    # The second process also turns its records into cache entries and sends them back:
    # about an eighth more work per file, so this process keeps a little more than half.
    half = len(named) * 53 // 100
    writes = cache.release_for_fork()
    worker = forked.fork(
        partial(_parse_shipped, root, named[half:], taken),
        partial(split_load.write_shipped, root) if writes else None,
    )
    if writes:
        cache.reconnect()
    if worker is None:
        return list(_parse_with_progress(root, named, progress))
    own = _parse_with_progress(root, named[:half], progress)
    rest = worker.result()
    if rest is None:  # the second process failed: parse its part here
        rest = list(_parse_chunk(root, named[half:]))
    elif writes:
        cache.share_writing(worker)
        own = split_load.hand_over(worker, named[:half], own, taken)
    else:
        worker.join()
        rest = [item.row if isinstance(item, cached_records.Hit) else item for item in rest]
    if progress:
        progress(len(rest))
    both: list[Parsed | Row | cached_records.Hit] = [*own, *rest]
    return both


def _parse_with_progress(
    root: Path, named: list[tuple[str, _Entry]], progress: Progress | None
) -> list[Parsed]:
    if progress is None:
        return _parse_chunk(root, named)
    parsed: list[Parsed] = []
    for item in named:
        parsed.extend(_parse_chunk(root, [item]))
        progress(1)
    return parsed


def load_records(
    root: Path,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
    exam_pool: bool = False,
    wait_for_cache: bool = True,
) -> tuple[KnowledgeBase, list[RecordError]]:
    """Parse and validate every record file, collecting errors instead of stopping.

    `exam_pool` also reads the exam pool kept outside records/ (crmkb.yml `exam_pool`):
    `kb check` and `kb exam` do, the site build never does. Without `wait_for_cache`, a
    second process may still be writing the record cache: `kb.cache.wait_for_writer()`.
    """
    # Loading allocates millions of short-lived objects and keeps every record: the cyclic
    # garbage collector would rescan the growing heap again and again while finding nothing
    # (records hold no reference cycles), so it is paused for the load.
    paused = gc.isenabled()
    gc.disable()
    try:
        kb, errors = _load_records(root, today, progress, exam_pool)
        if wait_for_cache and kb.cache is not None:
            kb.cache.wait_for_writer()
        return kb, errors
    finally:
        if FREEZE_AFTER_LOAD:
            # In a one-shot `kb` command the records live as long as the process: freezing
            # moves them out of the collector's generations, so enabling it costs no full pass
            # over every object. Long-lived processes (kb serve, a build, tests) never freeze,
            # or every reload's objects would stay for good.
            gc.freeze()
        if paused:
            gc.enable()


# Set by the `kb` command line for its one-shot commands (see load_records).
FREEZE_AFTER_LOAD = False


def _load_records(
    root: Path, today: dt.date | None, progress: Progress | None, exam_pool: bool
) -> tuple[KnowledgeBase, list[RecordError]]:
    errors: list[RecordError] = []
    try:
        config = load_config(root)
    except RecordErrors as exc:
        config, errors = Config(), list(exc.errors)
    kb = KnowledgeBase(root=root, config=config, today=today or dt.date.today())
    tasks: list[tuple[Kind, _Entry]] = []
    errors.extend(_unreadable_records_folder(root))
    for kind in REGISTRY:
        kb.records.setdefault(kind.name, {})
        folder = root / kind.directory
        if not kind.list_key and folder.is_dir() and escapes_root(root, folder):
            errors.append(_outside_error(root, folder, "folder"))
            continue
        try:
            tasks.extend((kind, entry) for entry in _record_entries(root, kind))
            if exam_pool and kind.name == "questions":
                tasks.extend((kind, entry) for entry in _exam_pool_entries(root, config))
        except RecordErrors as exc:
            errors.extend(exc.errors)
            kb.unreadable.add(kind.name)
    # Ids are unique within a kind: numbered ids carry their kind's prefix, and a role and a
    # CRM module may share a slug such as `customer` without meaning the same thing.
    kb.cache = RecordCache.open(root)
    cache = kb.cache
    parsed = cached_records.parse_with_cache(
        cache, tasks, lambda misses, taken: _parse_all(root, misses, progress, cache, taken)
    )
    if progress is not None:
        progress(sum(isinstance(item, cached_records.Hit) for item in parsed))
    for kind in REGISTRY:
        kb.records[kind.name] = cached_records.Records(kb.cache, kind, partial(_reparse, kb, kind))
    for (kind, entry), item in zip(tasks, parsed, strict=True):
        bucket = kb.records[kind.name]
        if isinstance(item, cached_records.Hit) and item.record_id not in bucket:
            bucket.defer(item)  # type: ignore[attr-defined]
            kb.sources[item.path] = item.digest
            continue
        if isinstance(item, cached_records.Hit):  # a second record with that id: report it
            item = _parse_chunk(root, [(kind.name, entry)])[0]
        records, found, invalid, text_hash, _ = item
        errors.extend(found)
        kb.invalid |= invalid
        kb.sources[_display(kind, entry)] = text_hash
        for record in records:
            if record.id in bucket:
                other = bucket[record.id]
                message = f"duplicate id '{record.id}' (also used in {other.path}); pick a free id"
                errors.append(record.error(("id",), message))
                continue
            bucket[record.id] = record
    return kb, errors


def load_lists(root: Path, names: tuple[str, ...]) -> KnowledgeBase:
    """Only the records of the list kinds `names` (people, modules): enough to turn names into
    ids before a write loads everything under its lock. Their errors are left to that load."""
    kb = KnowledgeBase(root=root)
    for name in names:
        kind = REGISTRY[name]
        bucket = kb.records.setdefault(name, {})
        for entry in _record_entries(root, kind) if kind.list_key else []:
            for record in _parse_file(root, kind, entry, kb.invalid)[0]:
                bucket.setdefault(record.id, record)
    return kb


def _reparse(kb: KnowledgeBase, kind: Kind, path: str) -> Record:
    """A record whose cache entry vanished after the load proved its file unchanged."""
    name = path.rsplit("/", 1)[-1]
    entry = _Entry(name, str(kb.root / path), False)
    records, errors, _, _ = _parse_file(kb.root, kind, entry, set())
    if errors or len(records) != 1:
        raise KbError(f"{path} changed while kb was reading it; run the command again")
    return records[0]


def cross_check(kb: KnowledgeBase) -> list[RecordError]:
    """Apply every kind's cross-record rules."""
    from crmkb import attachments

    refused = list(attachments.problems(kb.root))
    found: list[RecordError] = list(refused)
    for kind in REGISTRY:
        found.extend(kind.check(kb))
    # A refused attachment is reported as such, not also as evidence no issue lists.
    bad = {e.path for e in refused}
    return [e for e in found if not (e.path in bad and e.severity == "warning")]


def count_files(root: Path) -> int:
    total = 0
    for kind in REGISTRY:
        try:
            total += len(_record_entries(root, kind))
        except RecordErrors:
            continue
    return total


def check(
    root: Path,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
    exam_pool: bool = False,
    reuse_rules: bool = False,
) -> tuple[KnowledgeBase, list[RecordError]]:
    """Load and cross-check everything; returns the records and every error and warning.

    With `reuse_rules`, the cross-record results of an earlier command are reused when every
    input is the same (record files, config, attachments, today, code); `kb check` never does,
    nor does a load that reads the exam pool (its results depend on that pool as well).
    """
    kb, errors = load_records(
        root, today=today, progress=progress, exam_pool=exam_pool, wait_for_cache=False
    )
    try:  # the cross-record rules run while a second process may write the record cache
        reuse = reuse_rules and not exam_pool
        errors.extend(remembered_rules(kb, errors) if reuse else cross_check(kb))
    finally:
        if kb.cache is not None:
            kb.cache.wait_for_writer()
    return kb, sorted(set(errors), key=RecordError.order)


def remembered_rules(kb: KnowledgeBase, load_errors: list[RecordError]) -> list[RecordError]:
    """`cross_check(kb)`, reused from the record cache when every input is the same."""
    if kb.cache is None:
        return cross_check(kb)
    located = LOCATE_WARNINGS.get()  # a write path's results carry unlocated warnings
    inputs = record_cache.fingerprint(kb.root, kb.today, kb.sources, load_errors, rule_files(kb))
    inputs += "" if located else "-unlocated"
    stored = kb.cache.derived("rules", inputs)
    if stored is not None:
        return record_cache.errors_from_json(stored)
    found = cross_check(kb)
    kb.cache.keep("rules", inputs, [e.as_dict() for e in found])
    return found


def rule_files(kb: KnowledgeBase) -> list[Path]:
    """Files the rules read besides the records: attachments, the proctors' keys (signature
    checks) and a company calendar file (SLA deadlines), when crmkb.yml names one."""
    from crmkb import attachments
    from crmkb.signatures import ALLOWED_SIGNERS

    return [
        kb.root / ALLOWED_SIGNERS,
        kb.root / kb.config.calendar,
        *(
            Path(parent, name)
            for folder in attachments.ATTACHMENT_FOLDERS
            for parent, dirs, names in os.walk(kb.root / folder)
            for name in [*dirs, *names]
        ),
    ]


def load(root: Path, *, today: dt.date | None = None) -> KnowledgeBase:
    """The knowledge base, or RecordErrors when any record has an error (warnings pass)."""
    kb, errors = check(root, today=today, reuse_rules=True)
    fatal = [e for e in errors if e.severity == "error"]
    if fatal:
        raise RecordErrors(fatal)
    return kb


def load_readable(
    root: Path, *, today: dt.date | None = None, exam_pool: bool = False
) -> tuple[KnowledgeBase, list[RecordError]]:
    """The records that pass `kb check`, for commands that only read; and, for each file left
    out, its first error. A broken record must not stop the lead from querying the others."""
    kb, errors = check(root, today=today, exam_pool=exam_pool, reuse_rules=True)
    broken: dict[str, RecordError] = {}
    for error in errors:
        if error.severity == "error":
            broken.setdefault(error.path, error)
    for kind in REGISTRY:
        if kind.list_key or not broken:  # one bad entry must not hide every person or role
            continue
        bucket = kb.records.get(kind.name, {})
        for record_id in [rid for rid in bucket if path_of(bucket, rid) in broken]:
            del bucket[record_id]
            kb.invalid.add(record_id)
    return kb, sorted(broken.values())


def path_of(bucket: Mapping[str, Record], record_id: str) -> str:
    """A record's file, without building a record a lazy mapping still holds (the record
    cache's `Records`, a write's `Overlay`: each answers `path_of` itself)."""
    lazy = getattr(bucket, "path_of", None)
    return str(lazy(record_id)) if lazy is not None else bucket[record_id].path


def find_root(start: Path) -> Path | None:
    """The repository root: the nearest folder at or above `start` with crmkb.yml or records/."""
    for folder in (start, *start.parents):
        if (folder / "crmkb.yml").is_file() or (folder / "records").is_dir():
            return folder
    return None


def as_jsonable(record: Record) -> dict[str, Any]:
    data = record.model_dump(mode="json", exclude_none=True)
    if record.body:
        data["body"] = record.body
    data["path"] = record.path
    return data
