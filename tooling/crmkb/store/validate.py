"""Checking a change before it is written: the knowledge base after it, by `kb check`'s rules.

Only the files the change writes are parsed again; every cross-record rule then runs on the
knowledge base with those records swapped in. An error is the change's fault when it is in a
file the change writes, or is new elsewhere (a solution left listing an issue that moved away):
either refuses the whole change. Errors that were already there elsewhere do not block it.
"""

from __future__ import annotations

from crmkb.errors import RecordError, RecordErrors
from crmkb.knowledge_base import KnowledgeBase, cross_check, parse_document
from crmkb.records import REGISTRY
from crmkb.records.base import Kind, Record
from crmkb.store.change import errors_only
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
    kb: KnowledgeBase, load_errors: list[RecordError], texts: dict[str, str]
) -> tuple[KnowledgeBase, list[RecordError]]:
    """The knowledge base with the changed files' records swapped in, and its load errors."""
    after = KnowledgeBase(
        root=kb.root,
        config=kb.config,
        today=kb.today,
        records={name: dict(bucket) for name, bucket in kb.records.items()},
        invalid=set(kb.invalid),
        unreadable=set(kb.unreadable),
    )
    errors = [e for e in load_errors if e.path not in texts]
    for shown, text in sorted(texts.items()):
        kind = kind_of(shown)
        if kind is None:
            continue
        bucket = after.records.setdefault(kind.name, {})
        for record_id in [rid for rid, record in bucket.items() if record.path == shown]:
            del bucket[record_id]
        after.invalid.discard(shown.rsplit("/", 1)[-1][: -len(kind.suffix)])
        records, found = _parse(kind, shown, text, after.invalid)
        errors.extend(found)
        for record in records:
            if record.id in bucket:
                other = bucket[record.id].path
                message = f"duplicate id '{record.id}' (also used in {other}); pick a free id"
                errors.append(record.error(("id",), message))
                continue
            bucket[record.id] = record
    return after, errors


def refuse_new_errors(
    kb: KnowledgeBase,
    load_errors: list[RecordError],
    cross_errors: list[RecordError],
    texts: dict[str, str],
) -> None:
    """Raise RecordErrors when the change would leave errors it is to blame for."""
    if not any(kind_of(shown) for shown in texts):
        return
    after, errors = after_change(kb, load_errors, texts)
    errors.extend(errors_only(cross_check, after))
    before = set(load_errors) | set(cross_errors)
    blamed = sorted(
        {e for e in errors if e.severity == "error" and (e.path in texts or e not in before)}
    )
    if blamed:
        raise ChangeRefused(sorted(blamed))
