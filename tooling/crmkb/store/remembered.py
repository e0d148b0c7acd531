"""The cross-record errors of the state a write starts from, remembered in the record cache.

A write needs the errors of the knowledge base as it is (so errors already there do not block
it). Running every rule for them costs as much as `kb check`; instead they are kept, keyed by a
hash of every input the rules read (`record_cache.fingerprint`), in two slots: the state a write
found (so a repeated command on the same state reuses it) and the state a write left (so the
next lifecycle step starts from it). The read commands' remembered results for the same inputs
serve too: their errors are the same, only their warnings differ.

When none fits (a record was edited by hand, or a `git pull` changed files, since the last
write), the last state a write knew is kept with its files' hashes: the files changed since are
treated as a change to that state and checked incrementally (`crmkb.store.incremental`), when
every other input (code, today, crmkb.yml, attachments...) is the same.
"""

from __future__ import annotations

from crmkb.errors import RecordError
from crmkb.knowledge_base import KnowledgeBase, cross_check, path_of, rule_files
from crmkb.record_cache import digest, errors_from_json, fingerprint
from crmkb.store import incremental
from crmkb.store.change import errors_only
from crmkb.store.incremental import After
from crmkb.yamlfile import normalize

FOUND = "write-errors-found"  # the state a write started from
LEFT = "write-errors-left"  # the state a write left behind
BASE = "write-errors-base"  # the last of those, with its files' hashes
# More changed files than this since the last known state: check everything afresh.
MAX_CHANGED = 200


def before_errors(kb: KnowledgeBase, load_errors: list[RecordError]) -> list[RecordError]:
    """The errors (not warnings) of `cross_check(kb)`, reused when every input is the same."""
    if kb.cache is None:
        return _errors(errors_only(cross_check, kb))
    inputs = inputs_of(kb, load_errors)
    for key, suffix in ((LEFT, ""), (FOUND, ""), ("rules", ""), ("rules", "-unlocated")):
        stored = kb.cache.derived(key, inputs + suffix)
        if stored is not None:
            return _errors(errors_from_json(stored))
    found = _from_base(kb, load_errors)
    if found is None:
        found = _errors(errors_only(cross_check, kb))
    _keep(kb, FOUND, inputs, kb.sources, load_errors, found)
    return found


def _from_base(kb: KnowledgeBase, load_errors: list[RecordError]) -> list[RecordError] | None:
    """The errors of the loaded state, from the last state a write knew and the record files
    changed since; None when that cannot be done incrementally."""
    from crmkb.store.validate import kind_of

    assert kb.cache is not None
    base = kb.cache.derived(BASE, _static(kb))
    if not isinstance(base, dict):
        return None
    old: dict[str, str] = base["sources"]
    changed = {p for p in old.keys() | kb.sources.keys() if old.get(p) != kb.sources.get(p)}
    if len(changed) > MAX_CHANGED or changed & set(base["broken"]):
        return None  # the ids a file held are known only for files that loaded cleanly
    after = After(kb, [])
    broken_now = {e.path for e in load_errors}
    for shown in sorted(changed):
        kind = kind_of(shown)
        if kind is None or kind.list_key:
            return None
        stem = shown.rsplit("/", 1)[-1][: -len(kind.suffix)]
        bucket = kb.records.get(kind.name, {})
        if shown in broken_now:
            now = {key for key in bucket if path_of(bucket, key) == shown}
        else:
            now = {stem} if stem in bucket and path_of(bucket, stem) == shown else set()
        after.paths.add(shown)
        after.kinds.add(kind.name)
        after.ids |= {stem, *now}
        after.written.setdefault(kind.name, set()).update(now)
    ids = incremental.scope(kb, after)
    if ids is None:
        return None
    return incremental.rerun(errors_from_json(base["errors"]), after, ids)


def keep_after(
    kb: KnowledgeBase, after: After, errors: list[RecordError], texts: dict[str, str]
) -> None:
    """Remember the errors of the state a committed write left, for the next write."""
    stems = {shown.rsplit("/", 1)[-1].rsplit(".", 1)[0] for shown in after.paths}
    if kb.cache is None or stems & kb.invalid:
        # A file that failed to load before may share its name with another broken file, which
        # the swapped-in state cannot tell: let the next write check afresh.
        return
    sources = dict(kb.sources)
    sources.update({shown: digest(normalize(texts[shown])) for shown in after.paths})
    inputs = _fingerprint(kb, sources, after.errors)
    _keep(kb, LEFT, inputs, sources, after.errors, _errors(errors))


def _keep(
    kb: KnowledgeBase,
    slot: str,
    inputs: str,
    sources: dict[str, str],
    load_errors: list[RecordError],
    errors: list[RecordError],
) -> None:
    assert kb.cache is not None
    found = [e.as_dict() for e in errors]
    kb.cache.keep(slot, inputs, found)
    broken = sorted({e.path for e in load_errors})
    kb.cache.keep(BASE, _static(kb), {"sources": sources, "broken": broken, "errors": found})


def _static(kb: KnowledgeBase) -> str:
    """The fingerprint of every input but the record files (code, today, crmkb.yml, ...)."""
    return fingerprint(kb.root, kb.today, {}, [], rule_files(kb))


def inputs_of(kb: KnowledgeBase, load_errors: list[RecordError]) -> str:
    """The fingerprint of every input the rules read in this loaded state."""
    return _fingerprint(kb, kb.sources, load_errors)


def _fingerprint(kb: KnowledgeBase, sources: dict[str, str], load_errors: list[RecordError]) -> str:
    return fingerprint(kb.root, kb.today, sources, load_errors, rule_files(kb))


def _errors(found: list[RecordError]) -> list[RecordError]:
    return sorted({e for e in found if e.severity == "error"})
