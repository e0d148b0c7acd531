"""Checking a change before it is written: the knowledge base after it, by `kb check`'s rules.

Only the files the change writes are parsed again, and the cross-record rules run again only
for the records the change can affect (`crmkb.store.incremental`), on the knowledge base with
those records swapped in. An error is the change's fault when it is in a
file the change writes, or is new elsewhere (a solution left listing an issue that moved away):
either refuses the whole change. Errors that were already there elsewhere do not block it.
"""

from __future__ import annotations

from crmkb.errors import RecordError, RecordErrors
from crmkb.knowledge_base import KnowledgeBase, cross_check, parse_document
from crmkb.records import REGISTRY
from crmkb.records.base import Kind, Record
from crmkb.store import incremental
from crmkb.store.change import errors_only
from crmkb.store.incremental import After, Overlay
from crmkb.yamlfile import MAX_BYTES, markdown_document, normalize, yaml_document

REFUSED = "kb refused the change: the records would fail kb check; nothing was written"


class ChangeRefused(RecordErrors):
    """The located errors a change would cause; reported with a closing note."""

    note = REFUSED


def kind_of(shown: str) -> Kind | None:
    """The record kind a repository path holds, if it is a record file."""
    for kind in REGISTRY:
        if kind.list_key:
            if shown == kind.directory + kind.suffix:
                return kind
        elif shown.startswith(kind.directory + "/") and "/" not in shown[len(kind.directory) + 1 :]:
            return kind
    return None


Parsed = tuple[list[Record], list[RecordError]]


def _parse(kind: Kind, shown: str, text: str, invalid: set[str]) -> Parsed:
    name = shown.rsplit("/", 1)[-1]
    if len(text.encode("utf-8")) > MAX_BYTES:
        return [], [RecordError(shown, 1, 1, f"the record would exceed {MAX_BYTES:,} bytes")]
    try:
        load = markdown_document if kind.markdown else yaml_document
        doc = load(normalize(text), shown)
    except RecordErrors as exc:
        invalid.add(name[: -len(kind.suffix)])
        return [], exc.errors
    return parse_document(kind, doc, name, invalid)


def after_change(
    kb: KnowledgeBase,
    load_errors: list[RecordError],
    texts: dict[str, str],
    removed: frozenset[str] | set[str] = frozenset(),
) -> After:
    """The knowledge base with the changed files' records swapped in (and the removed files'
    records gone), and its load errors."""
    records = {name: Overlay(bucket) for name, bucket in kb.records.items()}
    after = After(
        KnowledgeBase(
            root=kb.root,
            config=kb.config,
            today=kb.today,
            records=dict(records),
            invalid=set(kb.invalid),
            unreadable=set(kb.unreadable),
        ),
        [e for e in load_errors if e.path not in texts and e.path not in removed],
    )
    broken = {e.path for e in load_errors}
    for shown in sorted(removed):
        kind = kind_of(shown)
        bucket = after.kb.records.get(kind.name) if kind is not None else None
        if isinstance(bucket, Overlay):
            after.paths.add(shown)
            for record_id in bucket.ids_at(shown):
                del bucket[record_id]
                after.ids.add(record_id)
    for shown, text in sorted(texts.items()):
        kind = kind_of(shown)
        if kind is not None:
            _swap(after, kind, shown, text, shown in broken)
    return after


def _swap(after: After, kind: Kind, shown: str, text: str, broken: bool) -> None:
    """Put one written file's records in place of the ones it held."""
    after.paths.add(shown)
    after.kinds.add(kind.name)
    stem = shown.rsplit("/", 1)[-1][: -len(kind.suffix)]
    bucket = after.kb.records.setdefault(kind.name, Overlay({}))
    assert isinstance(bucket, Overlay)
    if broken or kind.list_key:
        old = bucket.ids_at(shown)
    else:  # a file that loaded without error holds one record, whose id is its name
        old = {stem} if stem in bucket and bucket.path_of(stem) == shown else set()
    for record_id in old:
        del bucket[record_id]
    after.ids |= {stem, *old}
    after.kb.invalid.discard(stem)
    records, found = _parse(kind, shown, text, after.kb.invalid)
    after.errors.extend(found)
    for record in records:
        after.ids.add(record.id)
        if record.id in bucket:
            other = bucket.path_of(record.id)
            message = f"duplicate id '{record.id}' (also used in {other}); pick a free id"
            after.errors.append(record.error(("id",), message))
            continue
        bucket[record.id] = record
        after.written.setdefault(kind.name, set()).add(record.id)


def cross_errors_after(
    kb: KnowledgeBase, cross_errors: list[RecordError], after: After, *, inputs_same: bool
) -> list[RecordError]:
    """The errors of `cross_check` on the knowledge base after the change (not its warnings):
    rerun only where the change can alter them (`crmkb.store.incremental`), in full otherwise."""
    ids = incremental.scope(kb, after) if inputs_same else None
    if ids is None:
        return [e for e in errors_only(cross_check, after.kb) if e.severity == "error"]
    return incremental.rerun(cross_errors, after, ids)


def refuse_new_errors(
    kb: KnowledgeBase,
    load_errors: list[RecordError],
    cross_errors: list[RecordError],
    texts: dict[str, str],
    *,
    inputs_same: bool = False,
    removed: frozenset[str] | set[str] = frozenset(),
) -> tuple[After, list[RecordError]] | None:
    """Raise RecordErrors when the change would leave errors it is to blame for; otherwise
    give the knowledge base after it and its cross-record errors (None: no record written).

    `inputs_same`: the files the rules read besides records are as they were when
    `cross_errors` were found, so only the records the change touches need checking again."""
    if not any(kind_of(shown) for shown in [*texts, *removed]):
        return None
    after = after_change(kb, load_errors, texts, removed)
    cross = cross_errors_after(kb, cross_errors, after, inputs_same=inputs_same)
    before = set(load_errors) | set(cross_errors)
    blamed = sorted(
        {
            e
            for e in after.errors + cross
            if e.severity == "error"
            and (e.path in texts or e not in before)
            and e.path not in removed
        }
    )
    if blamed:
        raise ChangeRefused(sorted(blamed))
    return after, cross
